// What `runcode balance` and the REPL's /wallet show: the active wallet's balances read from the chain, and what the
// ledger says was signed in the last 24 hours against the daily cap. The ledger is handed in as a function, so this
// file opens no database.
import type { Paths } from "../../core/home";
import type { Chain } from "../chain";
import { rpcUrl } from "../rpc";
import { paymentLimits, rpcTimeoutMs } from "../settings";
import { formatUsd } from "../usd";
import { activeWallet } from "./active";
import { type Balance, formatNative, formatUsdc, readBalance } from "./balance";

export type WalletContext = {
  paths: Paths;
  env: Record<string, string | undefined>;
  chain: Chain;
  get: (key: string) => unknown;
  baseUrl: string;
};

export type BalanceReport = { balance: Balance; signed24h: bigint; dayCap: bigint };

/** `spentSince` is the ledger's total signed since a time (ms). */
export async function balanceReport(ctx: WalletContext, spentSince: (since: number) => bigint): Promise<BalanceReport> {
  const w = activeWallet(ctx.paths, ctx.env, ctx.chain);
  const url = rpcUrl(ctx.chain, ctx.env, ctx.get, ctx.baseUrl);
  const balance = await readBalance(ctx.chain, w.address, { url, timeoutMs: rpcTimeoutMs(ctx.get) });
  return { balance, signed24h: spentSince(Date.now() - 86_400_000), dayCap: paymentLimits(ctx.get).perDay };
}

/** `runcode balance --json`: one object. */
export function reportJson({ balance: b, signed24h, dayCap }: BalanceReport) {
  return {
    chain: b.chain,
    network: b.network,
    address: b.address,
    usdc: { atomic: b.usdc.toString(), amount: formatUsdc(b.usdc) },
    native: { symbol: b.nativeSymbol, atomic: b.native.toString(), amount: formatNative(b) },
    signedLast24h: { atomic: signed24h.toString(), usd: formatUsd(signed24h), cap: formatUsd(dayCap) },
  };
}

/** The product (the balances, for stdout) and the notes (address, budget, how to fund; stderr or the REPL's notes). */
export function reportText({ balance: b, signed24h, dayCap }: BalanceReport): { out: string; notes: string[] } {
  const name = b.chain === "base" ? "Base" : "Solana";
  const notes = [`address ${b.address}`, `signed in the last 24h: ${formatUsd(signed24h)} of ${formatUsd(dayCap)} (max-usd-per-day)`];
  if (b.usdc === 0n) notes.push(`fund it with USDC on ${name} to use paid models (\`runcode fund\` shows how), or keep using -m free`);
  return { out: `${formatUsdc(b.usdc)} USDC on ${name}\n${formatNative(b)} ${b.nativeSymbol}\n`, notes };
}
