// The settings payments own (assembled into the one settings table in src/settings.ts), and how the CLI turns them
// into what the payer is handed: budgets in USD become atomic limits here, once, and nothing below reads config.
import type { SettingDef } from "../core/config";
import { usdToAtomic } from "./usd";

export const PAYMENT_SETTINGS: Record<string, SettingDef> = {
  "max-usd-per-request": {
    kind: "usd",
    default: 0.5,
    doc: "largest payment signed for one request, in USD (the 402 quote must be at or under it)",
  },
  "max-usd-per-session": { kind: "usd", default: 5, doc: "total USD signed in one session (one ask/edit run or one REPL session)" },
  "max-usd-per-day": { kind: "usd", default: 20, doc: "total USD signed in any rolling 24 hours, counted across all runcode processes" },
  "fallback-to-free": {
    kind: "bool",
    doc: "after a refused or failed payment, continue on a free model (default: on in the REPL, off in ask/edit unless --fallback-free)",
  },
  "gateway-pay-to": {
    kind: "string",
    doc: "the gateway's payment recipient you trust; unset = the first one seen, and a change stops payments until accepted",
  },
  "base-rpc-url": {
    kind: "string",
    default: "https://mainnet.base.org",
    doc: "Base JSON-RPC endpoint for `runcode balance` (RUNCODE_BASE_RPC_URL overrides)",
  },
  "solana-rpc-url": {
    kind: "string",
    doc: "Solana JSON-RPC endpoint for balances and payment blockhashes; unset = the gateway's <api>/v1/solana/rpc (RUNCODE_SOLANA_RPC_URL overrides)",
  },
  "onramp-url": {
    kind: "string",
    doc: "card on-ramp link `runcode fund` offers, a template with {address}, {network} (base, solana) and {amount} (USD); unset = none",
  },
  "rpc-timeout": { kind: "int", default: 10, doc: "seconds before a blockchain RPC call is abandoned (an error, never a zero balance)" },
};

/** The spending limits the payer enforces, in atomic USDC. */
export type Limits = { perRequest: bigint; perSession: bigint; perDay: bigint };

/** `get` is the effective config value of a key (file value or default). */
export function paymentLimits(get: (key: string) => unknown): Limits {
  const atomic = (key: string) => usdToAtomic(Number(get(key) ?? 0));
  return { perRequest: atomic("max-usd-per-request"), perSession: atomic("max-usd-per-session"), perDay: atomic("max-usd-per-day") };
}

/** The recipient the user configured (`gateway-pay-to`), if any. */
export function configuredPayTo(get: (key: string) => unknown): string | undefined {
  const v = get("gateway-pay-to");
  return typeof v === "string" && v ? v : undefined;
}

/** Milliseconds before an RPC call is abandoned. */
export const rpcTimeoutMs = (get: (key: string) => unknown) => Number(get("rpc-timeout") ?? 10) * 1000;

/**
 * Whether a run may continue on a free model after a payment problem (the loop decides which errors are payment
 * problems: src/agent/fallback.ts). `flag` is --fallback-free when given; otherwise the `fallback-to-free` config
 * key; otherwise on in the REPL and off in ask/edit.
 */
export function freeFallbackAllowed(o: { mode: "repl" | "ask" | "edit"; flag?: boolean; config: (key: string) => unknown }): boolean {
  if (o.flag !== undefined) return o.flag;
  const configured = o.config("fallback-to-free");
  return typeof configured === "boolean" ? configured : o.mode === "repl";
}
