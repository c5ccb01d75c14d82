// The one fallback policy: after a failed or degraded attempt at an answer, which model is tried next, and why.
// Pure: the callers (the agent loop, the proxy) do the HTTP, describe what they saw as a `Failure`, record whether
// each attempt signed a payment, emit `model.fallback` and switch models. Rules, in order:
//   1. nothing that reached the user is retried (text, a tool call, a streamed byte);
//   2. at most MAX_CHAIN attempts per answer;
//   3. a failure that is the request's own fault (a 4xx whose text does not say the model is missing or overloaded,
//      a refused secret, a fault of ours) is not retried;
//   4. a payment failure continues only when the user allowed free fallback, and only on a free model;
//   5. once an attempt signed a payment (settled or not), only free models may follow: one answer, one signature;
//   6. the next model is the chain's next untried one; when only free models qualify, the chain's free models, then
//      the free pool, which extends a routed chain always and a named model's only when free fallback is allowed;
//   7. a compacted prompt goes back to the same model, unless that would sign a second time for this answer.
import { catalogIndex, freePool, resolveId } from "./chain";
import { MAX_CHAIN } from "./tables";
import type { CatalogModel, Tier } from "./types";

/** What the caller saw. Each caller describes what it has: the proxy statuses and bodies, the agent loop error codes. */
export type Failure =
  /** An error status from the gateway, with its body. */
  | { kind: "status"; status: number; body?: string }
  /** An ActionableError (`code`, and its message: a 4xx's message is the gateway's error text). */
  | { kind: "error"; code: string; message?: string }
  /** A complete answer, to be judged: empty, a placeholder, an error as text, a repetition loop. */
  | { kind: "answer"; text: string; toolCalls: number }
  /** The prompt did not fit the model's window and the caller compacted the history: where to resend it. */
  | { kind: "too_long" };

/** Why the next model is tried; `REASONS` says it in words. */
export type FallbackReason = keyof typeof REASONS;

export const REASONS = {
  timeout: "timed out",
  rate_limited: "rate limited",
  overloaded: "overloaded",
  server_error: "gateway error",
  stream_error: "stream failed",
  unknown_model: "unknown model",
  empty_answer: "empty answer",
  placeholder: "placeholder answer",
  repetition: "repetition loop",
  payment: "payment",
  too_long: "prompt too long",
} as const;

/** The payment error codes (no wallet, refused by a guard, failed, not enough funds): the only set of them. */
const PAYMENT = new Set(["payment_required", "payment_refused", "payment_failed", "insufficient_funds"]);
export const isPaymentError = (code: string) => PAYMENT.has(code);

/**
 * ActionableError codes worth another model; any other code is the request's own fault or final. Not
 * gateway_unreachable: a host that cannot be reached is the same dead host for every model behind it.
 */
const BY_CODE: Record<string, FallbackReason> = {
  timeout: "timeout",
  rate_limited: "rate_limited",
  gateway_error: "server_error",
  stream_error: "stream_error",
  unknown_model: "unknown_model",
  empty_answer: "empty_answer",
};

const OVERLOADED = /overloaded|at capacity|temporarily unavailable/i;
const UNKNOWN_MODEL = /unknown model|model[^.]{0,40}(?:not found|does not exist|not available|not supported)|no such model|invalid model/i;
/** Whole answers that are a stand-in for one (seen from weak or overloaded upstreams). */
const PLACEHOLDER =
  /^\s*(?:\.\.\.|…|null|undefined|none|n\/a|todo|placeholder|lorem ipsum[\s\S]*|\[[^\]]{0,60}\]|<[a-z_]{1,30}>|(?:your|the) (?:response|answer|text) (?:goes )?here\.?)\s*$/i;
/** Upstream error text returned as if it were the answer. */
const ERROR_AS_ANSWER =
  /^[\s\S]{0,300}?(?:model is (?:currently )?overloaded|service (?:is )?(?:temporarily )?unavailable|upstream (?:error|timed? ?out))/i;

/** A 4xx is the request's own fault unless its text says the model is missing or overloaded. */
const clientError = (text: string): FallbackReason | null =>
  OVERLOADED.test(text) ? "overloaded" : UNKNOWN_MODEL.test(text) ? "unknown_model" : null;

/** The reason `f` is worth another model, or null when it is final (the request's fault, or an answer that stands). */
export function failureReason(f: Failure): FallbackReason | null {
  switch (f.kind) {
    case "too_long":
      return "too_long";
    case "error":
      if (isPaymentError(f.code)) return "payment";
      return f.code === "bad_request" ? clientError(f.message ?? "") : (BY_CODE[f.code] ?? null);
    case "status": {
      const body = f.body ?? "";
      if (f.status === 402) return "payment";
      if (f.status === 429) return "rate_limited";
      if (f.status === 529 || OVERLOADED.test(body)) return "overloaded";
      if (f.status >= 500) return "server_error";
      if (f.status === 404) return "unknown_model";
      return f.status >= 400 ? clientError(body) : null;
    }
    case "answer":
      if (!f.text.trim()) return f.toolCalls ? null : "empty_answer";
      if (PLACEHOLDER.test(f.text)) return "placeholder";
      if (ERROR_AS_ANSWER.test(f.text) && f.text.length < 400) return "overloaded";
      return looping(f.text) ? "repetition" : null;
    default:
      return f satisfies never;
  }
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

/** What the caller was given for one answer. */
export type ModelChain = {
  /** Catalog ids, first choice first (the rest already filtered for context, tools and vision). */
  models: string[];
  /**
   * true: the router (or the default free pick) chose the models. false: the user named the first one; the policy
   * never adds a model to it except a free one after a payment failure the user allowed to continue.
   */
  routed: boolean;
  /** A payment failure may continue on a free model (fallback-to-free / --fallback-free); false: it is final. */
  freeAfterPayment: boolean;
  /** The catalog the ids come from; the free pool is ranked from it. */
  catalog: CatalogModel[];
  /** The tier the free pool is ranked for (a routed decision's); default MEDIUM. */
  tier?: Tier;
  /** The request carries images: only free models that accept them join. */
  vision?: boolean;
};

/**
 * One attempt at the answer. `signed`: a payment signature was made during it, settled or not — a gateway that
 * answered with an error may still hold it and settle it, so for "never sign twice" it counts as paid.
 */
export type Tried = { id: string; signed: boolean };

export type FallbackInput = {
  failure: Failure;
  /** Something of the failed attempt reached the user (answer text, a tool call, a byte to the client). */
  reached: boolean;
  /** Every attempt at this answer so far, the failed one last. */
  tried: Tried[];
  chain: ModelChain;
};

/** The model to try next and why, or null: surface the failure (or keep the answer). */
export function nextModel({ failure, reached, tried, chain }: FallbackInput): { model: string; reason: FallbackReason } | null {
  if (reached || tried.length >= MAX_CHAIN) return null;
  const reason = failureReason(failure);
  if (!reason || (reason === "payment" && !chain.freeAfterPayment)) return null;
  const { catalog } = chain;
  const isFree = (id: string) => catalogIndex(catalog).byId.get(resolveId(id, catalog) ?? id)?.free === true;
  const signed = tried.some((t) => t.signed);
  const last = tried.at(-1);
  // A compacted prompt goes back to the same model, unless that would sign a second time for this answer.
  if (reason === "too_long" && last && (!signed || isFree(last.id))) return { model: last.id, reason };
  const freeOnly = signed || reason === "payment";
  const extend = chain.routed || chain.freeAfterPayment;
  const pool = freeOnly
    ? [...chain.models.filter(isFree), ...(extend ? freePool(catalog, { tier: chain.tier, vision: chain.vision }).map((m) => m.id) : [])]
    : chain.models;
  const model = pool.find((id) => !tried.some((t) => t.id === id));
  return model === undefined ? null : { model, reason };
}
