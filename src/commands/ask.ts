// `runcode ask [PROMPT…]`: one answer for pipelines. Stdout carries only the answer (or JSONL); see input.ts for
// how arguments and stdin merge. The agent may use the read-only tools; Bash and writes only when allowed.
import { defineCommand } from "citty";
import { mergePrompt } from "../cli/input";
import { runArgs, runCommand, type RunArgs } from "../cli/run";

export const askArgs = {
  prompt: {
    type: "positional",
    required: false,
    description: "the instruction; piped stdin is added as context; `-` reads the prompt from stdin",
  },
  ...runArgs,
} as const;

export default defineCommand({
  meta: { name: "ask", description: "Ask one question; stdin is context, stdout is only the answer" },
  args: askArgs,
  run: ({ args, rawArgs }) => runCommand({ name: "ask", prompt: mergePrompt }, args as RunArgs, rawArgs),
});
