// What a slash command gets: the workspace (the assembled run and its conversation), its argument text, and the
// REPL's ways to talk to the user. Commands print through `say` (notes, on the terminal / stderr) or `out` (product:
// diffs, the system prompt).
import type { Workspace } from "../../agent/workspace";
import type { AgentEvent } from "../../core/events";
import type { Paint } from "../render";

export const GROUPS = ["Session", "Model", "Modes", "Git", "Code", "Info", "Custom", "MCP"] as const;
export type Group = (typeof GROUPS)[number];

export type Choice = { value: string; label: string; hint?: string };

export type CommandContext = {
  workspace: Workspace;
  /** REPL state for the next message: /ultrathink asks for deep reasoning once. */
  next: { deep: boolean };
  args: string;
  say: (line: string) => void;
  /** Shows events (a compaction's boundary, warnings) as a turn shows them: through the one human renderer. */
  show: (events: AgentEvent[]) => void;
  out: (text: string) => void;
  p: Paint;
  interactive: boolean;
  confirm: (question: string) => Promise<boolean>;
  choose: (message: string, options: Choice[]) => Promise<string | undefined>;
  /** Sends a prompt to the model as a turn of this conversation. */
  send: (prompt: string) => Promise<void>;
  view: { thinking: boolean; markdown: boolean };
  exit: () => void;
  commands: () => SlashCommand[];
};

export type SlashCommand = {
  name: string;
  group: Group;
  /** One line, shown by /help. */
  help: string;
  args?: string;
  run: (c: CommandContext) => void | Promise<void>;
};

/** Runs git in the project; output and exit code, never throws. */
export function git(cwd: string, args: string[]): { ok: boolean; out: string } {
  try {
    const r = Bun.spawnSync(["git", ...args], { cwd, stdout: "pipe", stderr: "pipe" });
    return { ok: r.exitCode === 0, out: `${r.stdout.toString()}${r.stderr.toString()}`.replace(/\n$/, "") };
  } catch {
    return { ok: false, out: "git is not installed" };
  }
}
