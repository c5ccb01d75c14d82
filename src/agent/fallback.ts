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

export type Attempted = { model: CatalogModel; paid: boolean };

/**
 * The next model after `err`, with the reason to show, or undefined to give up and surface `err`.
 * After an attempt that paid anything, only free models may follow: one answer is never paid for twice.
 */
export function nextAfter(err: unknown, tried: Attempted[], chain: ModelChain): { model: CatalogModel; reason: string } | undefined {
  if (!(err instanceof ActionableError) || tried.length >= MAX_ATTEMPTS) return undefined;
  const seen = new Set(tried.map((t) => t.model.id));
  const paid = tried.some((t) => t.paid);
  if (PAYMENT.has(err.code)) {
    const model = chain.free.find((m) => !seen.has(m.id));
    return model && { model, reason: `payment: ${err.summary}` };
  }
  const reason = RETRYABLE[err.code];
  if (!reason) return undefined;
  const model = chain.fallbacks.find((m) => !seen.has(m.id) && (!paid || m.free));
  return model && { model, reason: `${reason}: ${err.summary}` };
}
