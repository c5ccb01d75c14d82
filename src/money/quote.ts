// What the gateway will quote for a request, computed before it is sent, so a payment can be signed up front
// (docs/payments.md, "Pre-signed payments"). The gateway prices a request as
//   ceil(ceil(characters / 4) × input price + max_tokens × output price) + a flat fee
// with prices in USD per 1M tokens, which is the same number in atomic USDC per token. The formula is the gateway's
// own, float arithmetic included, so the estimate lands on the quote's atomic unit; what it cannot know (the flat
// fee, and any calibration of the token estimate) is learned from a real quote as an offset: `fee = quoted − computed`.
// Pure functions: no clock, no I/O.

/** Published prices of a model, USD per 1M tokens (the catalog's `pricing`). */
export type Prices = { input: number; output: number };

/** What the price depends on: the request's characters and the `max_tokens` it asks for. */
export type Size = { chars: number; maxTokens: number };

/**
 * The size of a request body, or undefined when it cannot be priced up front: not JSON, or no positive integer
 * `max_tokens` (the gateway then applies a default runcode does not know, so nothing is signed ahead).
 */
export function requestSize(body: string | Uint8Array): Size | undefined {
  const text = typeof body === "string" ? body : new TextDecoder().decode(body);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  const max = (doc as { max_tokens?: unknown } | null)?.max_tokens;
  if (typeof max !== "number" || !Number.isSafeInteger(max) || max <= 0) return undefined;
  return { chars: text.length, maxTokens: max };
}

/** The token part of the price (atomic USDC), without the flat fee. */
export function tokenPrice(p: Prices, s: Size): bigint {
  return BigInt(Math.ceil(Math.ceil(s.chars / 4) * p.input + s.maxTokens * p.output));
}

/** What a real quote says the formula misses: the flat fee plus any calibration (may be negative). */
export const learnedFee = (quoted: bigint, p: Prices, s: Size): bigint => quoted - tokenPrice(p, s);

/** The amount to sign up front for a request, or undefined when the prices cannot give a positive one. */
export function presignedAmount(p: Prices, s: Size, fee: bigint): bigint | undefined {
  if (!(p.input >= 0 && p.output >= 0 && Number.isFinite(p.input + p.output)) || p.input + p.output === 0) return undefined;
  const amount = tokenPrice(p, s) + fee;
  return amount > 0n ? amount : undefined;
}
