// `runcode edit INSTRUCTION [PATHS…]`: the agent changes the project non-interactively with the read-only tools
// plus Write/Edit/MultiEdit inside the project (Bash only with --allow). Ends with a summary and unified diff of
// the changed files; --dry-run keeps every write in memory and prints the diff to stdout instead.
import { existsSync } from "node:fs";
import { defineCommand } from "citty";
import { mergePrompt } from "../cli/input";
import { runArgs, runCommand, type RunArgs } from "../cli/run";
import { usageError } from "../core/errors";

export default defineCommand({
  meta: { name: "edit", description: "Let the agent change files; prints a summary and the unified diff" },
  args: {
    instruction: { type: "positional", required: false, description: "what to change; piped stdin is added as context" },
    paths: { type: "positional", required: false, description: "files or directories to focus on" },
    "dry-run": { type: "boolean", description: "write nothing: print the unified diff of what would change to stdout" },
    ...runArgs,
  },
  run: ({ args, rawArgs }) => runCommand({ name: "edit", prompt: editPrompt, dryRun: !!args["dry-run"] }, args as RunArgs, rawArgs),
});

/** Trailing arguments that exist on disk are paths to focus on; everything before them is the instruction. */
export function editPrompt(positional: string[], stdin: string | undefined): string {
  let cut = positional.length;
  while (cut > 1 && existsSync(positional[cut - 1]!)) cut--;
  const paths = positional.slice(cut);
  const prompt = mergePrompt(positional.slice(0, cut), stdin);
  if (!prompt.trim()) throw usageError("no instruction given", 'e.g. `runcode edit "rename getUser to fetchUser" src/`');
  return paths.length ? `${prompt}\n\nFocus on: ${paths.join(", ")}` : prompt;
}
