// Which responses and errors the payer handed back after it had signed. The agent loop learns this from its
// `payment.failed {signed: true}` events; the proxy sees no events, only what Gateway.forward returns or throws, so
// the payer tags those values here. Weak: a tag lives exactly as long as the value it describes.
const tagged = new WeakSet<object>();

/** Tags a response or error handed back after a signature was made; returns it unchanged. */
export function afterSigning<T>(x: T): T {
  if (typeof x === "object" && x !== null) tagged.add(x);
  return x;
}

/**
 * Whether this non-2xx response or error came back after the payer signed. A settled 2xx answer is not tagged (the
 * gateway client wraps its body); its `usd > 0` says it was paid.
 */
export const wasSigned = (x: unknown): boolean => typeof x === "object" && x !== null && tagged.has(x);
