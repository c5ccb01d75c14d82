// Money arithmetic. Budgets are USD in config for people, converted once to atomic USDC (6 decimals) for every
// decision; USD numbers exist only for display and events.

/** USD (a config number) → atomic USDC. Rounded to the micro-dollar once; every comparison after is bigint. */
export function usdToAtomic(usd: number): bigint {
  return BigInt(Math.round(usd * 1_000_000));
}

/** Atomic USDC → USD for display and events only; never used to decide. */
export function atomicToUsd(atomic: bigint): number {
  return Number(atomic) / 1_000_000;
}

/** "$0.012345" style, exact from the atomic amount (no float formatting). */
export function formatUsd(atomic: bigint): string {
  const neg = atomic < 0n;
  const a = neg ? -atomic : atomic;
  const frac = (a % 1_000_000n)
    .toString()
    .padStart(6, "0")
    .replace(/0{1,4}$/, "");
  return `${neg ? "-" : ""}$${a / 1_000_000n}.${frac.length < 2 ? frac.padEnd(2, "0") : frac}`;
}
