// Which failures of a model call may be retried on the next model of the chain, and which model that is. A call
// falls back only when nothing of it reached the user yet (no text, no tool call); a 402 is never a fallback reason
// (payment is its own path), but a refused or failed payment may continue on a free model when the user allowed it.
import { ActionableError } from "../core/errors";
import type { CatalogModel } from "../gateway/catalog";

/** At most this many models are tried for one answer (router.md). */
export const MAX_ATTEMPTS = 5;

const RETRYABLE: Record<string, string> = {
  gateway_unreachable: "network error",
  gateway_error: "gateway error",
  rate_limited: "rate limited",
  timeout: "timed out",
  stream_error: "stream failed",
  empty_answer: "empty answer",
  unknown_model: "unknown model",
};
const PAYMENT = new Set(["payment_required", "payment_refused", "payment_failed", "insufficient_funds"]);

export type ModelChain = {
  /** Models after the first, in order (already filtered for context, tools and vision). */
  fallbacks: CatalogModel[];
  /** Free models to continue on after a payment problem, when the user allowed it; empty = stop on payment errors. */
  free: CatalogModel[];
};

/**
 * One attempt at an answer. `signed`: a payment signature was made during it, settled or not — a gateway that
 * answered with an error may still hold it and settle it, so for "never pay twice" it counts as paid.
 */
export type Attempted = { model: CatalogModel; signed: boolean };

/**
 * The next model after `err`, with the reason to show, or undefined to give up and surface `err`.
 * After an attempt that signed anything, only free models may follow: one answer is never signed for twice.
 */
export function nextAfter(err: unknown, tried: Attempted[], chain: ModelChain): { model: CatalogModel; reason: string } | undefined {
  if (!(err instanceof ActionableError) || tried.length >= MAX_ATTEMPTS) return undefined;
  const seen = new Set(tried.map((t) => t.model.id));
  const paid = tried.some((t) => t.signed);
  if (PAYMENT.has(err.code)) {
    const model = chain.free.find((m) => !seen.has(m.id));
    return model && { model, reason: `payment: ${err.summary}` };
  }
  const reason = RETRYABLE[err.code];
  if (!reason) return undefined;
  const model = chain.fallbacks.find((m) => !seen.has(m.id) && (!paid || m.free));
  return model && { model, reason: `${reason}: ${err.summary}` };
}

/**
 * The model to resend to after a "prompt is too long" answer and a compaction: the same one while nothing was
 * signed for this answer (or it is free); after a signature, only a free model (never a second signature for one
 * answer) from the chain's fallbacks or, when the user allowed it, the free pool; undefined = surface the error.
 */
export function afterOverflow(tried: Attempted[], chain: ModelChain | undefined): CatalogModel | undefined {
  const last = tried.at(-1);
  if (!last) return undefined;
  if (last.model.free || !tried.some((t) => t.signed)) return last.model;
  const seen = new Set(tried.map((t) => t.model.id));
  return [...(chain?.fallbacks ?? []), ...(chain?.free ?? [])].find((m) => m.free && !seen.has(m.id));
}
