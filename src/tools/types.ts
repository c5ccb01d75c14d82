// The tool contract: what every built-in, custom and MCP tool implements. A tool never prints; it gets a
// ToolContext with everything it may touch (files through `files`, live output through `emit`, the network through
// `gateway`), so tests and `edit --dry-run` can swap each piece.
import type { Sandbox } from "../sandbox";
import type { Gateway } from "../gateway/client";
import type { ImageBlock } from "../llm/types";
import type { ChangeLog, Files, ReadTracker } from "./files";

export type JsonSchema = {
  type?: "object" | "string" | "number" | "integer" | "boolean" | "array";
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: readonly unknown[];
  additionalProperties?: boolean;
  minimum?: number;
  maxItems?: number;
  minItems?: number;
};

export type ToolResult = {
  output: string;
  /** The call failed; `output` explains why in words the model can act on. */
  error?: boolean;
  /** Image blocks for vision models (Read of a PNG/JPEG…). */
  images?: ImageBlock[];
};

/** What permission rules match `Tool(glob)` against (every text must match): Bash's command, file paths, URLs. */
export type Subject = { texts: string[] /** real absolute paths the call touches, for the inside-project check */; paths?: string[] };

export type AskUserFn = (q: { question: string; options?: string[] }) => Promise<string | undefined>;

/** One running agent's state shared by its tools. Built once per workspace (see openToolbox in agent/toolbox.ts). */
export type ToolContext = {
  /** Project root (realpath); writes outside it need permission. */
  root: string;
  /** The working directory: relative paths start here; Bash's `cd` moves it (through setCwd) for later calls. */
  cwd: string;
  setCwd: (dir: string) => void;
  files: Files;
  reads: ReadTracker;
  changes: ChangeLog;
  todos: Array<{ content: string; status: string; id?: string }>;
  /** Paths outside the project may be used (trust mode, or approved). */
  outside: (path: string) => boolean;
  gateway?: Gateway;
  ask?: AskUserFn;
  /** Runs a child agent; wired by the loop (src/agent/subagent.ts). */
  subagent?: (p: { description: string; prompt: string; signal: AbortSignal; emit: Emit; usage: Usage }) => Promise<string>;
  limits: {
    bashTimeoutMaxMs: number;
    bashTimeoutMs: number;
    killGraceMs: number;
    outputCap: number /** WebFetch's whole-fetch limit (default 20 s) */;
    webTimeoutMs?: number;
  };
  env: Record<string, string | undefined>;
  /** The user's home directory: what `~` means in a tool's path. */
  home: string;
  /** The model accepts images (Read returns image blocks only then). */
  vision?: boolean;
  /** Force the built-in Grep even when ripgrep is installed (tests, RUNCODE_NO_RG). */
  noRipgrep?: boolean;
  fetch?: (req: Request) => Promise<Response>;
  /** Bash and custom command tools run inside this OS sandbox (--sandbox; src/sandbox/). */
  sandbox?: Sandbox;
};

/** Live output to the user. The returned promise resolves when the consumer has room (backpressure for floods). */
export type Emit = (stream: "stdout" | "stderr", text: string) => void | Promise<void>;

/** Reports a model call made inside a tool (sub-agents), so its cost counts in the run's total. */
export type Usage = (u: { model: string; input: number; output: number; usd: number }) => void | Promise<void>;

export type CallContext = ToolContext & { signal: AbortSignal; emit: Emit; call: string; usage: Usage };

export type Tool<I = Record<string, unknown>> = {
  name: string;
  /** Written for the model: what the tool does, when to use it, what it returns. */
  description: string;
  input_schema: JsonSchema & { type: "object" };
  /** Changes something outside the conversation (files, processes, money). Read-only tools run concurrently. */
  mutating: boolean;
  /** Runs shell commands (Bash, custom tools): rules match each part of the command, and `Bash` rules apply. */
  shell?: boolean;
  /** What permission patterns match; default: the tool name only. */
  subject?: (input: I, ctx: ToolContext) => Subject;
  run: (input: I, ctx: CallContext) => Promise<ToolResult>;
};

/** A tool with its input type erased: the registry validates input against the schema before calling `run`. */
export type AnyTool = Tool<never>;

export const fail = (output: string): ToolResult => ({ output, error: true });
