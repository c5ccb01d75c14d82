// Prompt shortcuts: each becomes a message to the model (with whatever the user typed after it appended).
import type { SlashCommand } from "./types";

const PROMPTS: Array<[name: string, help: string, prompt: string]> = [
  [
    "fix",
    "find and fix the bug you describe (or the failing tests)",
    "Find the root cause of this problem and fix it with the smallest change, then verify the fix by running the relevant test or command.",
  ],
  [
    "debug",
    "investigate a problem step by step before changing anything",
    "Debug this: reproduce it, form hypotheses, gather evidence with reads, searches and commands, and explain the root cause before proposing a fix.",
  ],
  [
    "test",
    "write or run tests for the code you name",
    "Write focused tests for this (follow the project's test framework and conventions), run them and fix what fails.",
  ],
  [
    "init",
    "write an AGENTS.md describing this project for coding agents",
    "Study this project (layout, languages, build, test and lint commands, conventions) and write an AGENTS.md at the project root for coding agents: how to build, test and run it, the code layout, and the conventions to follow. Keep it concise. If AGENTS.md exists, improve it instead.",
  ],
  [
    "todo",
    "find TODO/FIXME comments and propose what to do",
    "Find the TODO, FIXME and HACK comments in this project, group them, and say which are worth doing first and why.",
  ],
  [
    "deps",
    "review dependencies: outdated, unused, risky",
    "Review this project's dependencies: which are unused, outdated, duplicated or risky, and what to do about each. Do not change files unless asked.",
  ],
  [
    "optimize",
    "find and fix performance problems",
    "Find the most significant performance problems here, measure where you can, and propose (then make) targeted optimisations.",
  ],
  [
    "security",
    "security review of the code",
    "Do a security review: injection, path traversal, secrets in code, unsafe deserialisation, authz gaps, dependency risks. Report findings by severity with file and line.",
  ],
  ["lint", "run the linters and fix what they report", "Run the project's linters and type checker, then fix the problems they report."],
  [
    "migrate",
    "migrate code to a new API, version or pattern",
    "Plan and carry out this migration step by step, keeping the code working after each step and running the tests.",
  ],
  [
    "clean",
    "remove dead code, unused files and imports",
    "Find dead code, unused exports, files and imports and remove them safely; run the tests afterwards.",
  ],
  [
    "tasks",
    "list the open tasks (the model's todo list) and what is next",
    "List the open tasks for this work: what is done, what is in progress and what comes next.",
  ],
];

export const codeCommands: SlashCommand[] = PROMPTS.map(([name, help, prompt]) => ({
  name,
  group: "Code",
  help,
  args: "[details]",
  run: (c) => c.send(c.args.trim() ? `${prompt}\n\n${c.args.trim()}` : prompt),
}));
