// The context pipeline before each model call: optimize → reduce → microcompact (cheap, every call) → auto-compact
// (a summary, when the estimate reaches the window minus a reserve) → trim (cut until it fits). The history
// itself is never changed: the state keeps where the compacted prefix ends and the summary that replaces it, so the
// transcript the store saves stays complete and a resumed session can compact again.
import type { AgentEvent } from "../core/events";
import type { CatalogModel } from "../gateway/catalog";
import type { Message, ToolSpec } from "../llm/types";
import {
  fitUsers,
  recentResults,
  summaryMessage,
  summaryOf,
  summaryPrompt,
  splitPoint,
  userWords,
  type Extras,
  type Summarize,
} from "./compact";
import { isToolResults } from "./blocks";
import { trim } from "./trim";
import { microcompact, optimize, reduce, MICRO } from "./stages";
import { Anchor, limitsOf, messagesTokens, messageTokens, textTokens, toolsTokens, type Limits } from "./tokens";

export type ContextOptions = {
  model?: Partial<Pick<CatalogModel, "context" | "maxOutput">>;
  /** Writes the summary; omitted = no auto-compaction (trimming only). */
  summarize?: Summarize;
  /** Config `auto-compact`. */
  auto?: boolean;
  /** The todo list and files modified, read at compaction time (from the tool context). */
  extras?: () => Extras;
  now?: () => number;
  /** Runs before each compaction (PreCompact hooks, docs/hooks.md); returns the events to report. */
  beforeCompact?: (trigger: "auto" | "manual", instructions: string | undefined, signal?: AbortSignal) => Promise<AgentEvent[]>;
};

export type Request = { system?: string; tools?: readonly ToolSpec[]; maxTokens?: number; signal?: AbortSignal };

export type ContextState = {
  opts: ContextOptions;
  limits: Limits;
  anchor: Anchor;
  history: readonly Message[];
  /** history[0..cut) is represented by `summary`. */
  cut: number;
  summary?: Message;
  users: string[];
  failures: number;
  warned: boolean;
  lastSent: number;
  lastCall: number;
  last: Request;
};

export const MAX_FAILURES = 3;
const IDLE_MS = 5 * 60_000;
/** Tool results kept across a compaction (whole in the tail, or as previews in the summary message). */
const RECENT = 5;

export function createContext(opts: ContextOptions = {}): ContextState {
  return {
    opts,
    limits: limitsOf(opts.model),
    anchor: new Anchor(),
    history: [],
    cut: 0,
    users: [],
    failures: 0,
    warned: false,
    lastSent: 0,
    lastCall: 0,
    last: {},
  };
}

/** Token budgets for one request: `hard` must never be exceeded; compaction starts at `compactAt`. */
export function budgets(s: ContextState, r: Request): { hard: number; compactAt: number; fixed: number } {
  const limit = s.limits.window - Math.min(r.maxTokens ?? s.limits.maxOutput, s.limits.maxOutput);
  const fixed = (r.system ? textTokens(r.system) : 0) + toolsTokens(r.tools);
  // 5% margin for the heuristic's error on text it has not been anchored on yet.
  const hard = Math.floor(limit * 0.95) - fixed;
  return { hard, compactAt: Math.floor(limit - Math.min(28_000, limit * 0.15)) - fixed, fixed };
}

/** The cheap stages, with caps scaled down for small windows (a 32 KB result is a third of a 32k window). */
export function stages(s: ContextState, view: readonly Message[]): Message[] {
  const chars = s.limits.window * 3;
  const idle = s.lastCall > 0 && (s.opts.now ?? Date.now)() - s.lastCall > IDLE_MS;
  const a = optimize(view, {
    thinkingTurns: 2,
    resultCap: Math.min(32_000, Math.floor(chars * 0.15)),
    messageCap: Math.min(100_000, Math.floor(chars * 0.3)),
  });
  // Small windows age sooner and harder: ten whole results would fill a 32k window on their own.
  const b = reduce(a, { ageAfter: s.limits.window < 64_000 ? 4 : 10, ageCap: Math.min(4000, Math.floor(chars * 0.02)) });
  // After 5 idle minutes the provider's prompt cache is cold, so rewriting old results costs nothing extra.
  return microcompact(b, idle ? { after: 0, keepRecent: 3, keepSmall: MICRO.keepSmall } : MICRO);
}

const viewOf = (s: ContextState): Message[] => (s.summary ? [s.summary, ...s.history.slice(s.cut)] : s.history.slice(s.cut));
const cost = (s: ContextState) => (ms: readonly Message[]) => s.anchor.apply(messagesTokens(ms));

/** The messages to send for `history`, plus the events to report (compaction, warnings, summariser usage). */
export async function prepareContext(
  s: ContextState,
  history: readonly Message[],
  r: Request = {},
): Promise<{ messages: Message[]; events: AgentEvent[] }> {
  if (history !== s.history && (history.length < s.cut || (s.cut > 0 && history[0] !== s.history[0])))
    Object.assign(s, { cut: 0, summary: undefined, users: [] });
  s.history = history;
  s.last = r;
  const events: AgentEvent[] = [];
  const b = budgets(s, r);
  let view = stages(s, viewOf(s));
  let used = cost(s)(view);
  if (!s.warned && used + b.fixed >= s.limits.window * 0.7) {
    s.warned = true;
    events.push({
      type: "warning",
      code: "context_70",
      message: `the conversation uses ${Math.round(((used + b.fixed) / s.limits.window) * 100)}% of the model's ${s.limits.window}-token context window; older history will be compacted`,
    });
  }
  if (used >= b.compactAt && s.opts.auto !== false && s.opts.summarize && s.failures < MAX_FAILURES) {
    const before = used + b.fixed;
    if (s.opts.beforeCompact) events.push(...(await s.opts.beforeCompact("auto", undefined, r.signal)));
    const c = await compactView(s, view, b, undefined, r.signal);
    events.push(...c.events);
    if (c.ok) {
      view = stages(s, viewOf(s));
      used = cost(s)(view);
      events.push({ type: "compact.boundary", before, after: used + b.fixed, trigger: "auto" });
    }
  }
  if (used > b.hard) view = trim(view, b.hard, cost(s));
  s.lastSent = messagesTokens(view) + b.fixed;
  s.lastCall = (s.opts.now ?? Date.now)();
  return { messages: view, events };
}

/** Re-anchor the estimate on the input tokens the API reported for the last request. */
export function observeUsage(s: ContextState, reportedInput: number): void {
  s.anchor.observe(s.lastSent, reportedInput);
}

/**
 * The provider refused the last request as too long: the estimate ran low for this model's tokenizer. Raise the
 * correction so the next `prepareContext` compacts or trims to a size that fits.
 */
export function overflowed(s: ContextState): void {
  s.anchor.ratio = Math.min(2.5, s.anchor.ratio * 1.3);
}

type Outcome = { ok: boolean; events: AgentEvent[] };

async function compactView(
  s: ContextState,
  view: Message[],
  b: { compactAt: number },
  focus: string | undefined,
  signal?: AbortSignal,
): Promise<Outcome> {
  const events: AgentEvent[] = [];
  const fail = (why: string): Outcome => {
    s.failures++;
    events.push({
      type: "warning",
      code: "compact_failed",
      message: `compaction failed: ${why}${s.failures >= MAX_FAILURES ? `; automatic compaction is off for this session after ${MAX_FAILURES} failures (older history is trimmed instead)` : ""}`,
    });
    return { ok: false, events };
  };
  const start = s.summary ? 1 : 0;
  const k = splitPoint(view, (m) => s.anchor.apply(messageTokens(m)), Math.floor(b.compactAt * 0.5), start);
  if (!k) return fail("nothing old enough to summarise");
  const older = view.slice(start, k);
  let text: string;
  try {
    const out = await s.opts.summarize!(
      summaryPrompt(older, { previous: summaryOf(s.summary), focus, maxChars: Math.min(240_000, s.limits.window * 2) }),
      signal,
    );
    if (typeof out !== "string") events.push({ type: "usage", model: out.model, input: out.input, output: out.output, usd: out.usd });
    text = typeof out === "string" ? out : out.text;
  } catch (err) {
    if (signal?.aborted) throw err;
    return fail(err instanceof Error ? err.message : String(err));
  }
  if (!text.trim()) return fail("the summariser returned nothing");
  // The user's words may take a fifth of the window; beyond it, huge messages keep only their instructions.
  const users = fitUsers([...s.users, ...userWords(older, Infinity)], Math.floor((s.limits.window * 3) / 5));
  const tail = view.slice(k).filter(isToolResults).length;
  const summary = summaryMessage(text, users, s.opts.extras?.() ?? { todos: [], files: [] }, recentResults(older, RECENT - tail, 800));
  const after = [summary, ...view.slice(k)];
  if (messagesTokens(after) >= messagesTokens(view)) return fail("the summary was not smaller than what it replaced");
  // view[start..k) maps onto history[cut..cut+k-start): the cheap stages keep one message per message.
  s.cut += k - start;
  s.summary = summary;
  s.users = users;
  s.failures = 0;
  return { ok: true, events };
}

/** `/compact [instructions]`: compact now, whatever the estimate. Returns the events to show. */
export async function compactNow(s: ContextState, instructions?: string, signal?: AbortSignal): Promise<AgentEvent[]> {
  if (!s.opts.summarize) return [{ type: "warning", code: "compact_unavailable", message: "no model is available to write the summary" }];
  const b = budgets(s, s.last);
  const view = stages(s, viewOf(s));
  const before = cost(s)(view) + b.fixed;
  const failures = s.failures;
  const hooked = s.opts.beforeCompact ? await s.opts.beforeCompact("manual", instructions, signal) : [];
  const c = await compactView(s, view, { compactAt: Math.max(b.compactAt, 4000) }, instructions, signal);
  // A manual attempt never counts towards the automatic circuit breaker.
  if (!c.ok) s.failures = failures;
  if (!c.ok) return [...hooked, ...c.events];
  return [...hooked, ...c.events, { type: "compact.boundary", before, after: cost(s)(stages(s, viewOf(s))) + b.fixed, trigger: "manual" }];
}

/** For tests and `/context`: the view that would be sent now, without compaction or trimming. */
export const currentView = (s: ContextState): Message[] => stages(s, viewOf(s));
