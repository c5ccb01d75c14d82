// SubAgent: hands a self-contained research task to a child agent with its own context and the read-only tools.
// Only its final answer comes back, which keeps the parent's context small; several can run in parallel.
import { fail, type Tool } from "./types";

type Input = { description: string; prompt: string };

export const SubAgent: Tool<Input> = {
  name: "SubAgent",
  description: `Start a sub-agent for a self-contained task (searching a large codebase, reading many files, researching a question) and get back its final answer.
- The sub-agent starts with no memory of this conversation: the prompt must say everything it needs, and what to report back.
- It can only read (Read, Glob, Grep, WebFetch, WebSearch); it cannot change files or run commands.
- description: 3-5 words naming the task. Launch several in one message to run them in parallel.`,
  input_schema: {
    type: "object",
    properties: {
      description: { type: "string", description: "short name of the task" },
      prompt: { type: "string", description: "the full task for the sub-agent" },
    },
    required: ["description", "prompt"],
  },
  mutating: false,
  async run(input, ctx) {
    if (!ctx.subagent) return fail("sub-agents are not available here (a sub-agent cannot start another)");
    try {
      const answer = await ctx.subagent({
        description: input.description,
        prompt: input.prompt,
        signal: ctx.signal,
        emit: ctx.emit,
        usage: ctx.usage,
      });
      return { output: answer || "(the sub-agent gave no answer)" };
    } catch (err) {
      return fail(`the sub-agent failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  },
};
