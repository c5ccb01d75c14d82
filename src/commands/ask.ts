// `runcode ask [PROMPT…]`: one answer for pipelines. Stdout carries only the answer (or JSONL); see input.ts
// for how arguments and stdin merge.
import { defineCommand } from "citty";
import { runAgent } from "../agent/loop";
import { repeated } from "../cli/args";
import { catalog, context, gateway } from "../cli/context";
import { loadImage } from "../cli/images";
import { mergePrompt, readStdin } from "../cli/input";
import { spinner } from "../cli/spinner";
import { c } from "../cli/ui";
import { ActionableError, describe, EXIT, exitFor, usageError } from "../core/errors";
import type { AgentEvent } from "../core/events";
import { newId } from "../core/id";
import { bestFree, resolveModel } from "../gateway/models";
import type { CatalogModel } from "../gateway/catalog";
import type { ContentBlock } from "../llm/types";
import { jsonlRenderer } from "../render/jsonl";
import { textRenderer } from "../render/text";

export const askArgs = {
  prompt: { type: "positional", required: false, description: "the instruction; piped stdin is added as context; `-` reads the prompt from stdin" },
  model: { type: "string", alias: "m", description: "model id, shortcut (sonnet, flash, free…) or profile (auto, eco, premium, free)" },
  system: { type: "string", description: "system prompt" },
  "max-tokens": { type: "string", description: "maximum output tokens" },
  temperature: { type: "string", description: "sampling temperature (0-2)" },
  image: { type: "string", description: "attach an image (PNG, JPEG, GIF, WebP); repeatable" },
  jsonl: { type: "boolean", description: "write one JSON event per line to stdout (schema: docs/jsonl.md)" },
  json: { type: "boolean", description: "write one JSON object (the final result) to stdout" },
  quiet: { type: "boolean", alias: "q", description: "answer only: nothing on stderr except errors" },
  thinking: { type: "boolean", description: "show the model's reasoning (dimmed, on stderr)" },
} as const;

export default defineCommand({
  meta: { name: "ask", description: "Ask one question; stdin is context, stdout is only the answer" },
  args: askArgs,
  async run({ args, rawArgs }) {
    const jsonl = !!args.jsonl;
    const json = !!args.json;
    const emit = jsonl || json ? machineSink(jsonl) : humanSink(!!args.quiet, !!args.thinking);
    const started = Date.now();
    let events: AsyncIterable<AgentEvent>;
    try {
      events = await prepare(args, rawArgs);
    } catch (err) {
      // Failures before the run starts still end with exactly one `result` in machine modes.
      const d = describe(err);
      if (!jsonl && !json) throw err;
      emit({ type: "result", ok: false, text: "", model: args.model ?? "", usd: 0, usage: { input: 0, output: 0 }, turns: 0, ms: Date.now() - started, error: { code: d.code, message: d.message } });
      return d.exit;
    }
    let exit: number = EXIT.ok;
    for await (const e of events) {
      emit(e);
      if (e.type === "result" && e.error) exit = exitFor(e.error.code);
    }
    return exit;
  },
});

type Args = { [K in keyof typeof askArgs]?: string | boolean } & { _: string[] };

async function prepare(args: Args & Record<string, unknown>, rawArgs: string[]): Promise<AsyncIterable<AgentEvent>> {
  const ctx = context();
  const positional = args._.map(String);
  const maxTokens = intFlag(args["max-tokens"], "--max-tokens") ?? (ctx.get("max-tokens") as number);
  const temperature = args.temperature === undefined ? undefined : Number(args.temperature);
  if (temperature !== undefined && !(temperature >= 0 && temperature <= 2)) throw usageError(`--temperature must be between 0 and 2, got "${args.temperature}"`, "e.g. --temperature 0.2");
  const stdin = process.stdin.isTTY ? undefined : await readStdin(Bun.stdin.stream(), (ctx.get("max-stdin-mb") as number) * 1048576);
  const prompt = mergePrompt(positional, stdin);
  const images = repeated(rawArgs, ["image"]).map(loadImage);

  const gw = gateway(ctx);
  const { catalog: cat, pending } = await catalog(ctx, gw);
  const model = pickModel(String(args.model ?? ctx.get("default-model") ?? "free"), cat.models, images.length > 0);
  if (images.length && !model.vision) {
    const alt = cat.models.filter((m) => m.vision).slice(0, 3).map((m) => m.id);
    throw new ActionableError(`${model.id} does not accept images`, `pick a vision model with -m${alt.length ? ` (e.g. ${alt.join(", ")})` : ""}`, "usage");
  }
  const content: ContentBlock[] = [...images, { type: "text", text: prompt }];
  const abort = new AbortController();
  process.once("SIGINT", () => abort.abort(new DOMException("interrupted", "AbortError")));
  const run = runAgent({
    gateway: gw,
    protocol: ctx.protocol,
    model,
    system: args.system as string | undefined,
    messages: [{ role: "user", content: images.length ? content : prompt }],
    maxTokens,
    temperature,
    session: newId("ses"),
    cwd: ctx.cwd,
    signal: abort.signal,
  });
  return (async function* () {
    yield* run;
    // A stale catalog was refreshed while the answer streamed; never hold the exit for long on it.
    if (pending) await Promise.race([pending, Bun.sleep(1500)]);
  })();
}

function pickModel(name: string, models: CatalogModel[], vision: boolean): CatalogModel {
  if (name === "free" && vision) {
    const m = bestFree(models, { vision: true });
    if (m) return m;
  }
  const r = resolveModel(name, models);
  if ("model" in r) return r.model;
  // Routing profiles arrive with the router; until it is wired, the profile's free-safe default is used.
  const m = bestFree(models);
  if (!m) throw new ActionableError(`cannot route profile "${r.profile}": no model available`, "pick a model with -m", "unknown_model");
  return m;
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

function humanSink(quiet: boolean, showReasoning: boolean) {
  return textRenderer(
    { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s), dim: c.dim, red: c.red, yellow: c.yellow, spinner: spinner() },
    { quiet, showReasoning },
  );
}

