// Whether a failed or degraded attempt should move to the next model of the chain, and which model that is.
// Pure helpers: the caller (ask, proxy) does the HTTP, emits `model.fallback`, and tracks what was signed.
import { freeChain, resolveId } from "./chain";
import { MAX_CHAIN } from "./tables";
import type { RouterModel, Tier } from "./types";

export type FallbackReason =
  | "rate_limited"
  | "server_error"
  | "overloaded"
  | "network"
  | "unknown_model"
  | "empty_answer"
  | "placeholder"
  | "repetition"
  | "payment";

export type Attempt = {
  /** HTTP status of the response; undefined when no response arrived. */
  status?: number;
  /** Error body, or the stream's error message (not the answer). */
  body?: string;
  /** The request never got a response (DNS, refused, reset, timeout). */
  networkError?: boolean;
  /** Text of a completed answer; leave undefined when the call failed. */
  answerText?: string;
  /** Tool calls in the answer: a turn with tool calls and no text is not empty. */
  toolCalls?: number;
};

const OVERLOADED = /overloaded|at capacity|temporarily unavailable/i;
const UNKNOWN_MODEL = /unknown model|model[^.]{0,40}(?:not found|does not exist|not available|not supported)|no such model|invalid model/i;
/** Whole answers that are a stand-in for one (seen from weak or overloaded upstreams). */
const PLACEHOLDER =
  /^\s*(?:\.\.\.|…|null|undefined|none|n\/a|todo|placeholder|lorem ipsum[\s\S]*|\[[^\]]{0,60}\]|<[a-z_]{1,30}>|(?:your|the) (?:response|answer|text) (?:goes )?here\.?)\s*$/i;
/** Upstream error text returned as if it were the answer. */
const ERROR_AS_ANSWER = /^[\s\S]{0,300}?(?:model is (?:currently )?overloaded|service (?:is )?(?:temporarily )?unavailable|upstream (?:error|timed? ?out))/i;

/**
 * Classify an attempt: a reason to try the next model, or null when the answer stands (or the error is the
 * request's own fault, like a 400, or a 402 that the payment layer handles). `freeOnPaymentFailure` allows a 402
 * to fall back, to a free model only (see nextModel).
 */
export function shouldFallBack(a: Attempt, opts: { freeOnPaymentFailure?: boolean } = {}): FallbackReason | null {
  if (a.networkError) return "network";
  const status = a.status ?? 0;
  const body = a.body ?? "";
  if (status === 402) return opts.freeOnPaymentFailure ? "payment" : null;
  if (status === 429) return "rate_limited";
  if (status === 529 || OVERLOADED.test(body)) return "overloaded";
  if (status >= 500) return "server_error";
  if (UNKNOWN_MODEL.test(body) && status >= 400) return "unknown_model";
  if (status >= 400) return null;
  if (a.answerText === undefined) return null;
  const text = a.answerText;
  if (!text.trim()) return a.toolCalls ? null : "empty_answer";
  if (PLACEHOLDER.test(text)) return "placeholder";
  if (ERROR_AS_ANSWER.test(text) && text.length < 400) return "overloaded";
  if (looping(text)) return "repetition";
  return null;
}

/**
 * A repetition loop: the answer ends in one chunk (1-200 chars) repeated until the output ran out. Legitimate
 * repetition (a table row, a divider) is far shorter than the 8 periods / 240 chars required here.
 */
export function looping(text: string): boolean {
  const s = text.length > 4000 ? text.slice(-4000) : text;
  const n = s.length;
  for (let p = 1; p <= 200 && p * 8 <= n; p++) {
    let run = 0;
    for (let i = n - 1; i >= p && s[i] === s[i - p]; i--) run++;
    if (run + p >= Math.max(p * 8, 240)) return true;
  }
  return false;
}

export type NextInput = {
  /** The decision's chain: [model, ...fallbacks]. */
  chain: string[];
  /** Models already tried for this answer, in order. */
  tried: string[];
  reason: FallbackReason;
  /**
   * True once any attempt for this answer made a payment signature, settled or not (a gateway that answered with
   * an error may still hold and settle it): never sign twice for one answer.
   */
  paid?: boolean;
  catalog: RouterModel[];
  tier?: Tier;
};

/**
 * The next model to try, or null when the chain is spent (MAX_CHAIN attempts). After a payment failure, or once
 * something was already signed, only free models qualify: the chain's own, then the catalog's free pool.
 */
export function nextModel({ chain, tried, reason, paid, catalog, tier = "MEDIUM" }: NextInput): string | null {
  if (tried.length >= MAX_CHAIN) return null;
  const freeOnly = reason === "payment" || paid === true;
  const isFree = (id: string) => catalog.find((m) => m.id === (resolveId(id, catalog) ?? id))?.free === true;
  const pool = freeOnly ? [...chain.filter(isFree), ...freeChain(tier, catalog)] : chain;
  return pool.find((id) => !tried.includes(id)) ?? null;
}
