// What `ask` and `edit` share: flags, stdin merge, the renderer and the exit code, over the one run assembly
// (agent/workspace.ts). The command files only say what differs (edit: write tools, dry-run, the diff at the end).
import { prefetchProject } from "../agent/system-prompt";
import { Workspace, type WorkspaceSpec } from "../agent/workspace";
import { describe, EXIT, exitFor, usageError } from "../core/errors";
import type { ContentBlock } from "../llm/types";
import { MODES, type Mode } from "../permissions/policy";
import { VERSION } from "../version";
import { repeated } from "./args";
import { context } from "./context";
import { loadImage } from "./images";
import { readStdin } from "./input";
import { out, tty } from "./io";
import { formatOf, outputArgs, sinkFor, writeLastMessage } from "./output";
import { loadSchema, schemaPrompt, structuredTurn, type Schema } from "./structured";
import { ui } from "./ui";

export const runArgs = {
  model: { type: "string", alias: "m", description: "model id, shortcut (sonnet, flash, free…) or profile (auto, eco, premium, free)" },
  system: { type: "string", description: "extra system prompt (added to the project context)" },
  "max-tokens": { type: "string", description: "maximum output tokens per model call" },
  "max-turns": { type: "string", description: "model calls before the agent stops (config max-turns, default 100)" },
  temperature: { type: "string", description: "sampling temperature (0-2)" },
  image: { type: "string", description: "attach an image (PNG, JPEG, GIF, WebP); repeatable" },
  allow: { type: "string", description: "allow a tool or rule without asking, e.g. Bash or 'Bash(git *)'; repeatable" },
  deny: { type: "string", description: "deny a tool or rule, e.g. WebFetch or 'Bash(rm *)'; repeatable" },
  trust: { type: "boolean", description: "allow every tool (permission mode trust) and load this project's .runcode/tools" },
  "trust-mcp": { type: "boolean", description: "start the MCP servers of this project's .mcp.json (docs/mcp.md)" },
  mode: { type: "string", description: "permission mode: default, trust, plan or deny-all (config permission-mode)" },
  jsonl: { type: "boolean", description: "write one JSON event per line to stdout (schema: docs/jsonl.md)" },
  json: { type: "boolean", description: "write one JSON object (the final result) to stdout" },
  ...outputArgs,
  quiet: { type: "boolean", alias: "q", description: "answer only: nothing on stderr except errors" },
  thinking: { type: "boolean", description: "show the model's reasoning (dimmed, on stderr)" },
  continue: { type: "boolean", alias: "c", description: "continue the latest session in this directory" },
  session: { type: "string", description: "continue the session with this id (see `runcode sessions`)" },
  "no-session": { type: "boolean", description: "do not save this run (config session-save)" },
  sandbox: {
    type: "string",
    description: "run Bash in an OS sandbox, unasked: read-only, workspace-write or danger-full-access (config sandbox)",
  },
  "sandbox-network": { type: "boolean", description: "let sandboxed commands use the network (off by default)" },
  "fallback-free": {
    type: "boolean",
    description: "after a refused or failed payment, continue on a free model (config fallback-to-free)",
  },
} as const;

export type RunArgs = { [K in keyof typeof runArgs]?: string | boolean } & { _: string[] } & Record<string, unknown>;

export type RunKind = {
  name: "ask" | "edit";
  /** The user message from the positional arguments and piped stdin. */
  prompt: (positional: string[], stdin: string | undefined) => string;
  dryRun?: boolean;
};

export async function runCommand(kind: RunKind, args: RunArgs, rawArgs: string[]): Promise<number> {
  prefetchProject(process.cwd());
  const format = formatOf(args);
  const machine = format !== "text";
  const structured = typeof args["json-schema"] === "string";
  let ws: Workspace | undefined;
  const emit = sinkFor(format, { quiet: !!args.quiet, thinking: !!args.thinking, dryRun: kind.dryRun, structured, ws: () => ws });
  const started = Date.now();
  let spoke = false;
  try {
    const { spec, text, images, schema } = await prepare(kind, args, rawArgs);
    ws = await Workspace.open(spec);
    const abort = new AbortController();
    const interrupt = () => abort.abort(new DOMException("interrupted", "AbortError"));
    process.once("SIGINT", interrupt);
    let exit: number = EXIT.ok;
    try {
      const input = { text, images, signal: abort.signal };
      for await (const e of schema ? structuredTurn(ws, input, schema) : ws.turn(input)) {
        spoke = true;
        emit(e);
        if (e.type !== "result") continue;
        if (e.ok && typeof args["output-last-message"] === "string") writeLastMessage(args["output-last-message"], e.text);
        if (e.ok && structured && format === "text") out(`${e.text}\n`);
        if (!e.error) continue;
        exit = exitFor(e.error.code);
        // Programs read the stream; a CI log shows stderr: the reason is there too, in one line.
        if (machine) ui.error(e.error.message);
      }
    } finally {
      process.off("SIGINT", interrupt);
    }
    return exit;
  } catch (err) {
    // A failure before the run starts (a bad flag, an unknown model, binary stdin): in machine modes the stream
    // keeps its contract (session.started, then exactly one result) and the reason is on stderr as well.
    if (!machine || spoke) throw err;
    const d = describe(err);
    const model = String(args.model ?? ws?.model.id ?? "");
    if (format === "jsonl" || format === "stream-json")
      emit({ type: "session.started", session: ws?.sessionId ?? "", model, version: VERSION, cwd: process.cwd(), schema: 1 });
    ui.error(d.message);
    emit({
      type: "result",
      ok: false,
      text: "",
      model,
      usd: 0,
      usage: { input: 0, output: 0 },
      turns: 0,
      ms: Date.now() - started,
      error: { code: d.code, message: d.message },
    });
    return d.exit;
  } finally {
    await ws?.close();
  }
}

/** Flags, stdin and images → the workspace's spec and the one message of this run. */
async function prepare(
  kind: RunKind,
  args: RunArgs,
  rawArgs: string[],
): Promise<{ spec: WorkspaceSpec; text: string; images: ContentBlock[]; schema?: Schema }> {
  const ctx = context();
  const maxTokens = intFlag(args["max-tokens"], "--max-tokens") ?? (ctx.get("max-tokens") as number);
  const maxTurns = intFlag(args["max-turns"], "--max-turns") ?? (ctx.get("max-turns") as number);
  const temperature = args.temperature === undefined ? undefined : Number(args.temperature);
  if (temperature !== undefined && !(temperature >= 0 && temperature <= 2))
    throw usageError(`--temperature must be between 0 and 2, got "${args.temperature}"`, "e.g. --temperature 0.2");
  const mode = modeOf(args, ctx.get("permission-mode") as Mode);
  const stdin = tty.in ? undefined : await readStdin(Bun.stdin.stream(), (ctx.get("max-stdin-mb") as number) * 1048576);
  const text = kind.prompt(args._.map(String), stdin);
  const images = repeated(rawArgs, ["image"]).map(loadImage);
  const schema = typeof args["json-schema"] === "string" ? await loadSchema(args["json-schema"]) : undefined;
  const system = [typeof args.system === "string" ? args.system : "", schema ? schemaPrompt(schema) : ""].filter(Boolean).join("\n\n");
  const list = (name: string) =>
    repeated(rawArgs, [name])
      .flatMap((v) => v.split(/,(?![^(]*\))/))
      .map((s) => s.trim())
      .filter(Boolean);
  const spec: WorkspaceSpec = {
    run: ctx,
    kind: kind.name,
    mode,
    trust: !!args.trust,
    trustMcp: !!args["trust-mcp"],
    allow: list("allow"),
    deny: list("deny"),
    dryRun: kind.dryRun,
    interactive: false,
    warn: ui.warn,
    model: typeof args.model === "string" ? args.model : (ctx.get("default-model") as string | undefined),
    system: system || undefined,
    maxTokens,
    maxTurns,
    temperature,
    fallbackFree: args["fallback-free"] === undefined ? undefined : !!args["fallback-free"],
    resume: { latest: !!args.continue, id: typeof args.session === "string" ? args.session : undefined },
    save: ctx.get("session-save") === true && !args["no-session"] && args.session !== false,
    sandbox: sandboxOf(args, ctx.get("sandbox") as string),
  };
  return { spec, text, images, schema };
}

/** --sandbox MODE (or the config's), or undefined for none. */
function sandboxOf(args: RunArgs, configured: string): WorkspaceSpec["sandbox"] {
  const m = args.sandbox === undefined ? configured : String(args.sandbox);
  const modes = ["read-only", "workspace-write", "danger-full-access"];
  if (m === "off" || m === "") {
    if (args["sandbox-network"]) throw usageError("--sandbox-network needs a sandbox", "add --sandbox workspace-write");
    return undefined;
  }
  if (!modes.includes(m)) throw usageError(`--sandbox must be one of ${modes.join(", ")}, got "${m}"`, "e.g. --sandbox workspace-write");
  return { mode: m as NonNullable<WorkspaceSpec["sandbox"]>["mode"], network: !!args["sandbox-network"] };
}

function modeOf(args: RunArgs, configured: Mode): Mode {
  if (args.trust) return "trust";
  if (args.mode === undefined) return configured;
  const m = String(args.mode);
  if (!(MODES as readonly string[]).includes(m))
    throw usageError(`--mode must be one of ${MODES.join(", ")}, got "${m}"`, "e.g. --mode plan");
  return m as Mode;
}

function intFlag(v: unknown, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n <= 0) throw usageError(`${flag} must be a positive whole number, got "${v}"`, `e.g. ${flag} 4096`);
  return n;
}
