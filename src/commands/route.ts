// `runcode route [PROMPT…]`: show what the router would pick, without calling any model. Arguments are one
// prompt; with no arguments each stdin line is one input (plain text, or a JSON object {prompt, system?, tools?,
// images?, maxTokens?}) and one JSON object is written per input as soon as it is decided. Stdout carries only
// that JSONL (or, with --explain, the tables); the network is touched only for `--catalog live`.
import { err, out, tty } from "../cli/io";
import { readFileSync } from "node:fs";
import { defineCommand } from "citty";
import { catalog as loadLive, context, gateway } from "../cli/context";
import { ActionableError, EXIT } from "../core/errors";
import { BUILTIN_MODELS } from "../gateway/builtin-models";
import { decide, explain, profileOf, routerOptions, type Decision, type RouteRequest, type RouterModel, type Tier } from "../router";

export default defineCommand({
  meta: { name: "route", description: "Show the model the smart router picks for prompts (JSONL), without calling it" },
  args: {
    prompt: { type: "positional", required: false, description: "the prompt; omit to read one prompt per stdin line" },
    // Strings, not citty enums: a bad value must be an ActionableError (exit 2), not citty's generic throw.
    profile: { type: "string", default: "auto", valueHint: "auto|eco|premium|free", description: "routing profile" },
    explain: { type: "boolean", description: "print a table of the 15 dimensions instead of JSON" },
    catalog: {
      type: "string",
      default: "cache",
      valueHint: "cache|live|builtin",
      description: "model catalog: cache (or built-in when none), live (asks the gateway), builtin",
    },
    pin: { type: "boolean", description: "treat the inputs as one session: the tier only goes up" },
    tools: { type: "boolean", description: "route as if every request carries tools" },
  },
  async run({ args }) {
    if (!profileOf(args.profile))
      throw new ActionableError(`unknown profile "${args.profile}"`, "use --profile auto, eco, premium or free", "usage");
    if (!["cache", "live", "builtin"].includes(args.catalog))
      throw new ActionableError(`unknown catalog "${args.catalog}"`, "use --catalog cache, live or builtin", "usage");
    const ctx = context();
    const options = routerOptions(ctx.config);
    const models = await catalogFor(args.catalog, ctx);
    let pinned: Tier | undefined;
    let failed = false;
    const one = (input: string): string => {
      try {
        const request = parseInput(input, args.tools === true);
        const d = decide({ request, profile: args.profile, catalog: models, options, pinned: args.pin ? pinned : undefined });
        pinned = d.tier;
        return args.explain ? explain(d) : `${JSON.stringify(view(d))}\n`;
      } catch (err) {
        failed = true;
        // err.message, not describe(): Bun gives every Error an own `line` property that hides ActionableError.line.
        const error =
          err instanceof ActionableError ? { code: err.code, message: err.message } : { code: "internal", message: String(err) };
        return `${JSON.stringify({ error })}\n`;
      }
    };
    const words = args._.filter((a) => a !== "-");
    if (words.length) {
      out(one(words.join(" ")));
      return failed ? EXIT.failure : EXIT.ok;
    }
    if (tty.in)
      throw new ActionableError("no prompt given", 'pass one (`runcode route "fix the login bug"`) or pipe one prompt per line', "usage");
    await eachLineBatch(Bun.stdin.stream(), (lines) => {
      const text = lines
        .filter((l) => l.trim())
        .map(one)
        .join("");
      if (text) out(text);
    });
    return failed ? EXIT.failure : EXIT.ok;
  },
});

/** The JSON line for one decision: the `route.decided` fields plus what explains them. */
const view = (d: Decision) => ({
  profile: d.profile,
  tier: d.tier,
  model: d.model,
  fallbacks: d.fallbacks,
  confidence: d.confidence,
  score: d.score,
  signals: d.signals,
  estUsd: d.estUsd,
  savings: d.savings,
  agentic: d.agentic,
  pinned: d.pinned,
  tokens: d.tokens,
});

/** A plain line is a prompt; a line starting with "{" is a JSON request. */
function parseInput(line: string, tools: boolean): RouteRequest {
  if (!line.trimStart().startsWith("{")) return { prompt: line, tools };
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(line) as Record<string, unknown>;
  } catch {
    throw new ActionableError("input line is not valid JSON", 'write {"prompt": "…"} or a plain line of text', "usage");
  }
  if (typeof o.prompt !== "string") throw new ActionableError('JSON input has no "prompt" string', 'write {"prompt": "…"}', "usage");
  const t = o.tools;
  return {
    prompt: o.prompt,
    system: typeof o.system === "string" ? o.system : undefined,
    tools: tools || t === true || (Array.isArray(t) && t.length > 0),
    images: o.images === true,
    maxOutput: typeof o.maxTokens === "number" ? o.maxTokens : undefined,
  };
}

/** Calls `each` with the complete lines of every chunk as it arrives, so output streams without reading stdin whole. */
async function eachLineBatch(stream: ReadableStream<Uint8Array>, each: (lines: string[]) => void) {
  const decoder = new TextDecoder();
  let rest = "";
  const reader = stream.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    const lines = (rest + decoder.decode(value, { stream: true })).split("\n");
    rest = lines.pop() ?? "";
    each(lines);
  }
  rest += decoder.decode();
  if (rest) each([rest]);
}

/** The cached catalog (any age: routing offline beats refusing), else the built-in list; live only when asked. */
async function catalogFor(mode: string, ctx: ReturnType<typeof context>): Promise<RouterModel[]> {
  if (mode === "live") return (await loadLive(ctx, gateway(ctx), true)).catalog.models;
  if (mode === "cache") {
    try {
      const cached = JSON.parse(readFileSync(ctx.paths.catalogCache, "utf8")) as { models?: unknown };
      if (Array.isArray(cached.models) && cached.models.length) return cached.models as RouterModel[];
    } catch {
      // No cache (or an unreadable one): the built-in list is the documented fallback.
    }
  }
  return BUILTIN_MODELS;
}
