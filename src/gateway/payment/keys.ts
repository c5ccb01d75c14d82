// Config keys owned by payments (spread into KEYS in src/core/config.ts). Budgets are USD in config for people,
// converted once to atomic USDC (6 decimals) for every decision.
import type { KeyDef } from "../../core/config";

export const PAYMENT_KEYS: Record<string, KeyDef> = {
  "max-usd-per-request": { kind: "usd", default: 0.5, doc: "largest payment signed for one request, in USD (the 402 quote must be at or under it)" },
  "max-usd-per-session": { kind: "usd", default: 5, doc: "total USD signed in one session (one ask/edit run or one REPL session)" },
  "max-usd-per-day": { kind: "usd", default: 20, doc: "total USD signed in any rolling 24 hours, counted across all runcode processes" },
  "fallback-to-free": { kind: "bool", doc: "after a refused or failed payment, continue on a free model (default: on in the REPL, off in ask/edit unless --fallback-free)" },
  "gateway-pay-to": { kind: "string", doc: "the gateway's payment recipient you trust; unset = the first one seen, and a change stops payments until accepted" },
  "base-rpc-url": { kind: "string", default: "https://mainnet.base.org", doc: "Base JSON-RPC endpoint for `runcode balance` (RUNCODE_BASE_RPC_URL overrides)" },
  "solana-rpc-url": { kind: "string", doc: "Solana JSON-RPC endpoint for balances and payment blockhashes; unset = the gateway's <api>/v1/solana/rpc (RUNCODE_SOLANA_RPC_URL overrides)" },
  "rpc-timeout": { kind: "int", default: 10, doc: "seconds before a blockchain RPC call is abandoned (an error, never a zero balance)" },
};

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
  const frac = (a % 1_000_000n).toString().padStart(6, "0").replace(/0{1,4}$/, "");
  return `${neg ? "-" : ""}$${a / 1_000_000n}.${frac.length < 2 ? frac.padEnd(2, "0") : frac}`;
}
