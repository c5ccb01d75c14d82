// Modes: read-only planning, deep reasoning for one message, showing the system prompt or the model's reasoning.
import type { SlashCommand } from "./types";

export const modeCommands: SlashCommand[] = [
  {
    name: "plan",
    group: "Modes",
    help: "plan mode: read and search only, the model proposes a plan",
    run: (c) => {
      c.workspace.planMode = true;
      c.say("plan mode: tools that change things are off (/execute to go back)");
    },
  },
  {
    name: "execute",
    group: "Modes",
    help: "normal mode: the model may edit and run commands (with approval)",
    run: (c) => {
      c.workspace.planMode = false;
      c.say(`execute mode (permission mode ${c.workspace.policy.mode})`);
    },
  },
  {
    name: "ultrathink",
    group: "Modes",
    help: "deep reasoning for the next message (or give it now)",
    args: "[message]",
    run: async (c) => {
      c.next.deep = true;
      if (c.args.trim()) return c.send(c.args.trim());
      c.say("the next message gets a deep reasoning budget");
    },
  },
  {
    name: "ultraplan",
    group: "Modes",
    help: "plan mode plus deep reasoning: a thorough plan for a task",
    args: "<task>",
    run: async (c) => {
      c.workspace.planMode = true;
      c.next.deep = true;
      const task = c.args.trim();
      if (!task) return c.say("plan mode with deep reasoning on; describe the task");
      await c.send(
        `Make a thorough, step-by-step implementation plan for: ${task}\nRead the relevant code first. List the files to change, the order, risks and how to verify each step.`,
      );
    },
  },
  { name: "dump", group: "Modes", help: "show the system prompt the model gets", run: (c) => c.out(`${c.workspace.system}\n`) },
  {
    name: "thinking",
    group: "Modes",
    help: "toggle showing the model's reasoning (dimmed)",
    run: (c) => {
      c.view.thinking = !c.view.thinking;
      c.say(`reasoning ${c.view.thinking ? "shown" : "hidden"}`);
    },
  },
];
