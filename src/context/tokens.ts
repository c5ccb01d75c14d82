// Token accounting. The hot path (every model call) uses the original RunCode's byte heuristic, cached per message
// object so a 2,000-message history costs one WeakMap lookup per message, and re-anchored on the input_tokens the
// API reports. The exact count (gpt-tokenizer, o200k) is loaded only by `/tokens`, `/context` and count_tokens.
import type { CatalogModel } from "../gateway/catalog";
import type { ContentBlock, Message, ToolSpec } from "../llm/types";

/** An image costs about 1,600 tokens at typical sizes; counting its base64 bytes would overstate it tenfold. */
export const IMAGE_TOKENS = 1600;
export const DEFAULT_WINDOW = 128_000;
export const DEFAULT_MAX_OUTPUT = 8192;

const bytes = (s: string) => Buffer.byteLength(s, "utf8");
export const textTokens = (s: string) => Math.ceil((bytes(s) / 4) * 1.33);
const jsonTokens = (v: unknown) => Math.ceil(bytes(JSON.stringify(v) ?? "") / 2);

export function blockTokens(b: ContentBlock): number {
  switch (b.type) {
    case "text":
      return textTokens(b.text);
    case "thinking":
      return textTokens(b.thinking);
    case "image":
      return IMAGE_TOKENS;
    case "tool_use":
      return 16 + textTokens(b.name) + jsonTokens(b.input);
    case "tool_result":
      if (typeof b.content === "string") return 4 + textTokens(b.content);
      return b.content.reduce((n, c) => n + blockTokens(c), 4);
    default:
      b satisfies never;
      return 0;
  }
}

// Messages are never mutated once they are in the history (stages build new objects), so the cache stays valid.
const cache = new WeakMap<Message, number>();

/** Heuristic tokens of one message (+4 framing), computed once per message object. */
export function messageTokens(m: Message): number {
  const hit = cache.get(m);
  if (hit !== undefined) return hit;
  const n = 4 + (typeof m.content === "string" ? textTokens(m.content) : m.content.reduce((s, b) => s + blockTokens(b), 0));
  cache.set(m, n);
  return n;
}

export function messagesTokens(ms: readonly Message[]): number {
  let n = 0;
  for (const m of ms) n += messageTokens(m);
  return n;
}

const toolsCache = new WeakMap<readonly ToolSpec[], number>();
/** The tool list is the same array for a whole run (or at least long stretches): counted once. */
export function toolsTokens(tools: readonly ToolSpec[] | undefined): number {
  if (!tools?.length) return 0;
  const hit = toolsCache.get(tools);
  if (hit !== undefined) return hit;
  const n = jsonTokens(tools);
  toolsCache.set(tools, n);
  return n;
}

/** The whole request's heuristic estimate: system + tools + messages. */
export function estimate(messages: readonly Message[], system?: string, tools?: readonly ToolSpec[]): number {
  return (system ? textTokens(system) : 0) + toolsTokens(tools) + messagesTokens(messages);
}

/**
 * The correction between the heuristic and what the API reports for the same request. Only plausible reports
 * move it (a free pool that answers with another model, or a gateway that reports 0, must not), and it is
 * smoothed and bounded: under-estimating overflows the window, so it may fall only a little below 1.
 */
export class Anchor {
  ratio = 1;
  observe(estimated: number, reported: number): void {
    if (!(estimated > 500 && reported > 0)) return;
    const r = reported / estimated;
    if (r < 0.25 || r > 4) return;
    this.ratio = Math.min(2.5, Math.max(0.8, this.ratio * 0.5 + r * 0.5));
  }
  apply(n: number): number {
    return Math.ceil(n * this.ratio);
  }
}

export type Limits = { window: number; maxOutput: number };

/** Context window and max output of a catalog model, with defaults for catalogs that omit them. */
export function limitsOf(model?: Partial<Pick<CatalogModel, "context" | "maxOutput">>): Limits {
  const window = model?.context && model.context > 0 ? model.context : DEFAULT_WINDOW;
  const out = model?.maxOutput && model.maxOutput > 0 ? model.maxOutput : DEFAULT_MAX_OUTPUT;
  // A catalog that claims an output limit near the whole window would leave no room for input.
  return { window, maxOutput: Math.min(out, Math.floor(window / 2)) };
}

type Counter = (text: string) => number;
const RUN = 400;
const LONG_RUN = new RegExp(`\\S{${RUN + 1}}`);
const PIECES = new RegExp(`(\\S{${RUN}})`);
let counter: Promise<Counter> | undefined;
/** gpt-tokenizer's o200k counter, imported on first use: `runcode --version` must never load it. */
function exactCounter(): Promise<Counter> {
  counter ??= import("./tokenizer").then(async (t) => {
    const enc = await t.o200k();
    // Text that contains "<|endoftext|>" (a file, a paste) is counted as plain text; by default the library throws.
    const plain = { allowedSpecial: new Set<string>(), disallowedSpecial: new Set<string>() };
    // BPE is quadratic in the length of a run without whitespace (256 KB of "€" took 97 s: a proxy client could stall
    // it at will), so such runs are counted in pieces of RUN characters, which changes a count by a token or so a cut.
    return (text: string) => {
      if (!LONG_RUN.test(text)) return enc.countTokens(text, plain);
      let n = 0;
      for (const part of text.split(PIECES)) if (part) n += enc.countTokens(part, plain);
      return n;
    };
  });
  return counter;
}

function blockText(b: ContentBlock): { text: string; images: number } {
  switch (b.type) {
    case "text":
      return { text: b.text, images: 0 };
    case "thinking":
      return { text: b.thinking, images: 0 };
    case "image":
      return { text: "", images: 1 };
    case "tool_use":
      return { text: `${b.name} ${JSON.stringify(b.input)}`, images: 0 };
    case "tool_result": {
      if (typeof b.content === "string") return { text: b.content, images: 0 };
      const parts = b.content.map(blockText);
      return { text: parts.map((p) => p.text).join("\n"), images: parts.reduce((n, p) => n + p.images, 0) };
    }
    default:
      b satisfies never;
      return { text: "", images: 0 };
  }
}

export type ExactCount = { system: number; tools: number; messages: number; total: number };

/** Exact token count with a real BPE tokenizer (o200k; close to, not identical with, every provider's). */
export async function countExact(messages: readonly Message[], system?: string, tools?: readonly ToolSpec[]): Promise<ExactCount> {
  const count = await exactCounter();
  let msgs = 0;
  for (const m of messages) {
    // ~4 tokens of role/turn framing per message, as in the chat formats.
    msgs += 4;
    if (typeof m.content === "string") msgs += count(m.content);
    else
      for (const b of m.content) {
        const t = blockText(b);
        msgs += (t.text ? count(t.text) : 0) + t.images * IMAGE_TOKENS + (b.type === "tool_use" ? 8 : 0);
      }
  }
  const s = system ? count(system) : 0;
  const t = tools?.length ? count(JSON.stringify(tools)) : 0;
  return { system: s, tools: t, messages: msgs, total: s + t + msgs };
}
