// What `ask` and `edit` share: flags, model pick, stdin merge, the tool session and permission policy, the renderer
// and the exit code. The command files only say what differs (edit: write tools, dry-run, the diff at the end).
import { homedir } from "node:os";
import { projectContext } from "../agent/context";
import { runAgent } from "../agent/loop";
import { chooseModel } from "../agent/choose";
import { EventRelay } from "../agent/relay";
import { createSession, type Session } from "../agent/session";
import { contextFor } from "../context";
import { ActionableError, describe, EXIT, exitFor, usageError } from "../core/errors";
import type { AgentEvent } from "../core/events";
import { newId } from "../core/id";
import type { ContentBlock } from "../llm/types";
import { freeFallbackAllowed } from "../money/settings";
import { MODES, Policy, type Mode } from "../permissions/policy";
import { readRules } from "../permissions/rules";
import { overlayFiles } from "../tools/files";
import { runMcp } from "../mcp/run";
import { jsonlRenderer } from "../render/jsonl";
import { textRenderer } from "../render/text";
import { repeated } from "./args";
import { catalog, context, gateway } from "./context";
import { loadImage } from "./images";
import { readStdin } from "./input";
import { payerFromContext } from "./payer";
import { startSession } from "./store";
import type { Store } from "../store/store";
import { isTrusted } from "../core/trust";
import { colorErr, colorOut } from "./ui";

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
  quiet: { type: "boolean", alias: "q", description: "answer only: nothing on stderr except errors" },
  thinking: { type: "boolean", description: "show the model's reasoning (dimmed, on stderr)" },
  continue: { type: "boolean", alias: "c", description: "continue the latest session in this directory" },
  session: { type: "string", description: "continue the session with this id (see `runcode sessions`)" },
  "no-session": { type: "boolean", description: "do not save this run (config session-save)" },
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
  const jsonl = !!args.jsonl;
  const json = !!args.json;
  const emit = jsonl || json ? machineSink(jsonl) : humanSink(!!args.quiet, !!args.thinking, kind.dryRun);
  const started = Date.now();
  let events: AsyncIterable<AgentEvent>;
  try {
    events = await prepare(kind, args, rawArgs);
  } catch (err) {
    // Failures before the run starts still end with exactly one `result` in machine modes.
    const d = describe(err);
    if (!jsonl && !json) throw err;
    emit({
      type: "result",
      ok: false,
      text: "",
      model: String(args.model ?? ""),
      usd: 0,
      usage: { input: 0, output: 0 },
      turns: 0,
      ms: Date.now() - started,
      error: { code: d.code, message: d.message },
    });
    return d.exit;
  }
  let exit: number = EXIT.ok;
  for await (const e of events) {
    emit(e);
    if (e.type === "result" && e.error) exit = exitFor(e.error.code);
  }
  return exit;
}

async function prepare(kind: RunKind, args: RunArgs, rawArgs: string[]): Promise<AsyncIterable<AgentEvent>> {
  const ctx = context();
  const maxTokens = intFlag(args["max-tokens"], "--max-tokens") ?? (ctx.get("max-tokens") as number);
  const maxTurns = intFlag(args["max-turns"], "--max-turns") ?? (ctx.get("max-turns") as number);
  const temperature = args.temperature === undefined ? undefined : Number(args.temperature);
  if (temperature !== undefined && !(temperature >= 0 && temperature <= 2))
    throw usageError(`--temperature must be between 0 and 2, got "${args.temperature}"`, "e.g. --temperature 0.2");
  const mode = modeOf(args, ctx.get("permission-mode") as Mode);
  const stdin = process.stdin.isTTY ? undefined : await readStdin(Bun.stdin.stream(), (ctx.get("max-stdin-mb") as number) * 1048576);
  let prompt = kind.prompt(args._.map(String), stdin);
  const images = repeated(rawArgs, ["image"]).map(loadImage);
  const list = (name: string) =>
    repeated(rawArgs, [name])
      .flatMap((v) => v.split(/,(?![^(]*\))/))
      .map((s) => s.trim())
      .filter(Boolean);

  const project = projectContext({ cwd: ctx.cwd, home: ctx.paths.home });
  // --dry-run promises nothing touches disk: file writes go to the overlay, but commands could write anything.
  const deny = [...list("deny"), ...(kind.dryRun ? ["Bash"] : [])];
  const policy = new Policy({
    mode,
    root: project.root,
    file: readRules(ctx.paths.permissions),
    allow: list("allow"),
    deny,
    editsInProject: kind.name === "edit",
  });
  // Payments: the payer is only built when a 402 arrives, and its events join the run's stream via the relay.
  const relay = new EventRelay();
  // The session and its store exist only once the session is stored, after the catalog: the payer asks at each payment.
  let opened: { session: string; store?: Store } = { session: "" };
  const payer = payerFromContext(ctx, {
    store: () => opened.store,
    emit: relay.emit,
    session: () => opened.session,
    isFree: (id) => cat.models.some((m) => m.id === id && m.free),
  });
  const gw = gateway(ctx, payer);
  const { catalog: cat, pending } = await catalog(ctx, gw);
  const fallbackFree = freeFallbackAllowed({
    mode: kind.name,
    flag: args["fallback-free"] === undefined ? undefined : !!args["fallback-free"],
    config: ctx.get,
  });
  const picked = await chooseModel({
    name: typeof args.model === "string" ? args.model : (ctx.get("default-model") as string | undefined),
    models: cat.models,
    messages: [{ role: "user", content: prompt }],
    vision: images.length > 0,
    routed: ctx.get("smart-routing") === true,
    system: typeof args.system === "string" ? args.system : undefined,
    agentic: kind.name === "edit",
    maxTokens,
    config: ctx.config,
    fallbackFree,
  });
  const model = picked.model;
  if (images.length && !model.vision) {
    const alt = cat.models
      .filter((m) => m.vision)
      .slice(0, 3)
      .map((m) => m.id);
    throw new ActionableError(
      `${model.id} does not accept images`,
      `pick a vision model with -m${alt.length ? ` (e.g. ${alt.join(", ")})` : ""}`,
      "usage",
    );
  }
  const system = args.system ? `${project.system}\n\n${String(args.system)}` : project.system;
  const warnings: AgentEvent[] = [];
  const session = createSession({
    root: project.root,
    cwd: ctx.cwd,
    home: ctx.env.HOME || homedir(),
    toolsDir: ctx.paths.tools,
    trusted: mode === "trust" || !!args.trust || isTrusted(ctx.paths.trusted, project.root),
    policy,
    files: kind.dryRun ? overlayFiles() : undefined,
    gateway: gw,
    env: ctx.env,
    limits: {
      bashTimeoutMs: (ctx.get("bash-timeout") as number) * 1000,
      bashTimeoutMaxMs: (ctx.get("bash-timeout-max") as number) * 1000,
      outputCap: (ctx.get("tool-output-cap") as number) * 1024,
    },
    noRipgrep: !!ctx.env.RUNCODE_NO_RIPGREP,
    vision: model.vision,
    warn: (message) => warnings.push({ type: "warning", code: "custom_tool", message }),
    child: { protocol: ctx.protocol, model, maxTokens, system: project.system },
  });
  // Offer the model only tools this run could allow: no point advertising Bash to a run that will deny it.
  for (const t of session.tools.list()) if (!policy.offers(t, false)) session.tools.hide(t.name);
  const mcp = runMcp(ctx, {
    root: project.root,
    trusted: mode === "trust" || !!args.trust || !!args["trust-mcp"],
    registry: session.tools,
    policy,
  });
  if (mcp) {
    prompt = await mcp.attach(prompt);
    // A one-shot run has one chance to offer a server's tools: the first model call. Wait for every server (in
    // parallel, each bounded by mcp-connect-timeout) so a tool the user allowed is there when the model needs it.
    await mcp.manager.settled();
  }

  const content: ContentBlock[] = [...images, { type: "text", text: prompt }];
  // Stored before the model call: a crash from here on loses at most the answer in flight.
  const started = startSession(ctx, {
    resume: { latest: !!args.continue, id: typeof args.session === "string" ? args.session : undefined },
    save: ctx.get("session-save") === true && !args["no-session"] && args.session !== false,
    model: model.id,
    prompt: { role: "user", content: images.length ? content : prompt },
    newId: () => newId("ses"),
  });
  opened = { session: started.session, store: started.recorder?.store };
  const abort = new AbortController();
  process.once("SIGINT", () => abort.abort(new DOMException("interrupted", "AbortError")));
  const run = runAgent({
    gateway: gw,
    protocol: ctx.protocol,
    model,
    system,
    messages: started.messages,
    maxTokens,
    maxTurns,
    temperature,
    session: started.session,
    cwd: ctx.cwd,
    contextFiles: project.files,
    signal: abort.signal,
    tools: session.tools,
    toolContext: session.ctx,
    policy,
    outside: session.outside,
    context: contextFor({
      gateway: gw,
      protocol: ctx.protocol,
      model,
      toolContext: session.ctx,
      models: cat.models,
      auto: ctx.get("auto-compact") as boolean,
    }),
    chain: picked.chain,
    relay,
  });
  const recorded = started.recorder ? started.recorder.observe(run, started.messages) : run;
  return (async function* () {
    for await (const e of mcp ? mcp.wrap(recorded) : recorded) {
      if (e.type === "session.started") {
        yield e;
        if (picked.route) yield picked.route;
        yield* warnings;
        continue;
      }
      if (e.type === "result") yield* changed(session);
      yield e;
    }
    // A stale catalog was refreshed while the answer streamed; never hold the exit for long on it.
    started.recorder?.store.close();
    if (pending) await Promise.race([pending, Bun.sleep(1500)]);
  })();
}

/** One `file.changed` per file the run changed, before the `result`. */
function* changed(s: Session): Generator<AgentEvent> {
  for (const d of s.changes.diffs(s.ctx.root))
    yield { type: "file.changed", path: d.path, diff: d.diff, added: d.added, removed: d.removed };
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

function machineSink(jsonl: boolean) {
  const write = (s: string) => process.stdout.write(s);
  if (jsonl) return jsonlRenderer(write);
  return (e: AgentEvent) => {
    if (e.type === "result") write(`${JSON.stringify({ ...e, ts: Date.now() })}\n`);
  };
}

function humanSink(quiet: boolean, showReasoning: boolean, dryRun?: boolean) {
  return textRenderer(
    { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) },
    {
      tty: { out: !!process.stdout.isTTY, err: !!process.stderr.isTTY },
      color: { out: colorOut, err: colorErr },
      quiet,
      thinking: showReasoning,
      diff: dryRun ? "stdout" : "stderr",
    },
  );
}
