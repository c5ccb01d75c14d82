// The command table: one line per command with the description `runcode --help` lists, so the list is printed
// without importing any command module; each module is imported only when its command runs or shows its own help.
// A module's `meta.description` must match its line here (test/unit/commands.test.ts, which also must name every
// command: adding one here without a test there is a compile error).
import type { CommandDef } from "citty";

// `any`: each command has its own argument types; citty's own subcommand table is typed the same way.
export type CommandEntry = { description: string; hidden?: true; load: () => Promise<CommandDef<any>> };

/** The REPL's flags (`runcode -m sonnet`): here, so `runcode --help` lists them without loading the REPL. */
export const replArgs = {
  model: { type: "string", alias: "m", description: "model id, shortcut or profile (auto, eco, premium, free)" },
  raw: { type: "boolean", description: "print answers as the model wrote them (no Markdown rendering)" },
  trust: { type: "boolean", description: "allow every tool without asking (permission mode trust)" },
  allow: { type: "string", description: "allow a tool or rule without asking, e.g. 'Bash(git *)'; repeatable" },
  deny: { type: "string", description: "deny a tool or rule; repeatable" },
  continue: { type: "boolean", alias: "c", description: "continue the latest session in this directory" },
  session: { type: "string", description: "resume the session with this id" },
} as const;

const table = {
  repl: {
    description: "interactive session (what `runcode` with no command runs)",
    hidden: true,
    load: () => import("./repl").then((m) => m.default),
  },
  ask: { description: "Ask one question; stdin is context, stdout is only the answer", load: () => import("./ask").then((m) => m.default) },
  edit: {
    description: "Let the agent change files; prints a summary and the unified diff",
    load: () => import("./edit").then((m) => m.default),
  },
  models: {
    description: "List the gateway's models with prices per 1M tokens and context",
    load: () => import("./models").then((m) => m.default),
  },
  providers: {
    description: "Models from your own endpoints next to the gateway: Ollama, LM Studio, vLLM, OpenRouter…",
    load: () => import("./providers").then((m) => m.default),
  },
  route: {
    description: "Show the model the smart router picks for prompts (JSONL), without calling it",
    load: () => import("./route").then((m) => m.default),
  },
  config: { description: "Read and change settings (runcode-config.json)", load: () => import("./config").then((m) => m.default) },
  doctor: {
    description: "Check the install, wallet, gateway, RPC, MCP, Claude Code and proxy setup",
    load: () => import("./doctor").then((m) => m.default),
  },
  upgrade: {
    description: "Replace runcode with the latest release (SHA-256 verified)",
    load: () => import("./upgrade").then((m) => m.default),
  },
  wallet: {
    description: "Show the active wallet; manage it with create, import, export, chain",
    load: () => import("./wallet").then((m) => m.default),
  },
  balance: {
    description: "USDC balance of the active wallet (and ETH/SOL for gas context), or what is left of your team budget",
    load: () => import("./balance").then((m) => m.default),
  },
  fund: {
    description: "Fund the wallet: a QR code and payment link for USDC, then wait until it arrives",
    load: () => import("./fund").then((m) => m.default),
  },
  setup: {
    description: "First-run wizard: choose a chain, create or import a wallet, test a free model, learn how to fund",
    load: () => import("./setup").then((m) => m.default),
  },
  sessions: {
    description: "List, show, export, search and remove saved sessions",
    load: () => import("./sessions").then((m) => m.default),
  },
  stats: {
    description: "Usage statistics: requests, tokens, cost, latency, fallbacks, savings vs Claude Opus",
    load: () => import("./stats").then((m) => m.default),
  },
  dashboard: {
    description: "A web page of your spending, models and requests (served locally, works offline)",
    load: () => import("./dashboard").then((m) => m.default),
  },
  proxy: {
    description: "Run the local pay-per-request gateway for Claude Code, Cursor, aider…",
    load: () => import("./proxy").then((m) => m.default),
  },
  bench: {
    description: "Benchmark models on coding tasks: pass rate and USD per solved task",
    load: () => import("./bench").then((m) => m.default),
  },
  team: {
    description: "A shared team wallet: developers, budgets, the team server and its audit log",
    load: () => import("./team").then((m) => m.default),
  },
  login: {
    description: "Use a team server instead of a wallet: check and store its URL and your token",
    load: () => import("./login").then((m) => m.default),
  },
  logout: {
    description: "Stop using the team server: remove the stored URL and token",
    load: () => import("./logout").then((m) => m.default),
  },
  daemon: {
    description: "Run the proxy in the background: start, stop, status, restart, logs",
    load: () => import("./daemon").then((m) => m.default),
  },
  init: {
    description: "Configure Claude Code to use the proxy (~/.claude/settings.json) and start it at login",
    load: () => import("./init").then((m) => m.default),
  },
  uninit: {
    description: "Restore Claude Code's settings as they were before `runcode init`, remove auto-start",
    load: () => import("./init").then((m) => m.uninit),
  },
  mcp: {
    description: "Manage MCP servers (mcp.json, .mcp.json; same format as Claude Code)",
    load: () => import("./mcp").then((m) => m.default),
  },
  completion: {
    description: "Print a shell completion script: bash, zsh or fish",
    load: () => import("./completion").then((m) => m.default),
  },
} satisfies Record<string, CommandEntry>;

export type CommandName = keyof typeof table;
export const COMMANDS: Record<CommandName, CommandEntry> = table;
