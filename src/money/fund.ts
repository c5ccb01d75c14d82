// Funding the wallet (`runcode fund`, the end of `runcode setup`): a payment request any phone wallet understands,
// which fixes network, token and amount so USDC cannot be sent on the wrong chain (EIP-681 on Base, Solana Pay on
// Solana), shown as a QR code and a link; an optional card on-ramp link (`onramp-url`); and a watch of the balance
// that ends when the USDC has arrived. The QR library is imported only when a code is drawn.
import { ActionableError, usageError } from "../core/errors";
import { CHAINS, type Chain } from "./chain";

export const DEFAULT_AMOUNT_USD = "5";
/** The most one request asks for: the key sits in a file on this machine (a hot wallet), so keep it small. */
export const MAX_AMOUNT_USD = 1000;
/** Seconds between balance reads: the default and the bounds `--interval` accepts; failures back off to the max. */
export const POLL = { defaultS: 3, minS: 1, maxS: 60 } as const;

const ATOMIC = 1_000_000n; // USDC has 6 decimals on both chains

/** `--amount`: a positive USD amount with at most 6 decimals, up to MAX_AMOUNT_USD, as atomic USDC. */
export function parseAmount(raw: string): bigint {
  const s = raw.trim().replace(/^\$/, "");
  const m = /^(\d*)(?:\.(\d*))?$/.exec(s);
  const bad = () =>
    usageError(`--amount "${raw}" is not an amount in USD`, `use a number above 0 and at most ${MAX_AMOUNT_USD}, e.g. --amount 20`);
  if (!m || s === "" || s === "." || (m[2] ?? "").length > 6) throw bad();
  const atomic = BigInt(m[1] || "0") * ATOMIC + BigInt((m[2] ?? "").padEnd(6, "0") || "0");
  if (atomic <= 0n || atomic > BigInt(MAX_AMOUNT_USD) * ATOMIC) throw bad();
  return atomic;
}

/** `--interval`: seconds between balance reads, within POLL's bounds. */
export function parseInterval(raw: string): number {
  const n = /^\d+(\.\d+)?$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!(n >= POLL.minS && n <= POLL.maxS))
    throw usageError(`--interval "${raw}" is not a number of seconds from ${POLL.minS} to ${POLL.maxS}`, "e.g. --interval 5");
  return n;
}

/** Atomic USDC as a plain decimal ("5", "0.25", "12.345678"): no exponent, no trailing zeros. */
export function usdcDecimal(atomic: bigint): string {
  const frac = (atomic % ATOMIC).toString().padStart(6, "0").replace(/0+$/, "");
  return `${atomic / ATOMIC}${frac ? `.${frac}` : ""}`;
}

/**
 * The payment request for `atomic` USDC to `address`:
 *  Base (EIP-681):    ethereum:<USDC contract>@8453/transfer?address=<wallet>&uint256=<atomic>
 *  Solana (Solana Pay): solana:<wallet>?spl-token=<USDC mint>&amount=<decimal>
 */
export function paymentRequest(chain: Chain, address: string, atomic: bigint): string {
  const { usdc, network } = CHAINS[chain];
  if (chain === "base") return `ethereum:${usdc}@${network.split(":")[1]}/transfer?address=${address}&uint256=${atomic}`;
  return `solana:${address}?spl-token=${usdc}&amount=${usdcDecimal(atomic)}`;
}

/** The `onramp-url` template with `{address}`, `{network}` (base, solana) and `{amount}` (USD) filled, URL-encoded. */
export function onrampLink(template: string, v: { address: string; chain: Chain; atomic: bigint }): string {
  const values: Record<string, string> = { address: v.address, network: v.chain, amount: usdcDecimal(v.atomic) };
  const link = template.replace(/\{(address|network|amount)\}/g, (_, k: string) => encodeURIComponent(values[k]!));
  let ok = false;
  try {
    ok = ["https:", "http:"].includes(new URL(link).protocol);
  } catch {}
  if (!ok)
    throw new ActionableError(
      `onramp-url "${template}" is not an http(s) URL`,
      "fix it with `runcode config set onramp-url 'https://…?address={address}&network={network}&amount={amount}'` or `runcode config unset onramp-url`",
      "config",
    );
  return link;
}

export const chainName = (chain: Chain) => (chain === "base" ? "Base" : "Solana");

/** The terminal QR code of a text, as lines of block characters (light modules drawn, for a dark terminal). */
export async function qrCode(text: string): Promise<string> {
  const qr = (await import("qrcode-terminal")).default;
  return new Promise<string>((resolve) => qr.generate(text, { small: true }, (code) => resolve(code.replace(/\n+$/, ""))));
}

export type FundingRequest = { chain: Chain; address: string; atomic: bigint; onramp?: string };

/**
 * Shows the request: the QR code and the instructions through `say` (stderr), the link itself through `link`
 * (stdout in `runcode fund`, so `runcode fund --no-wait | pbcopy` copies it; the same stream as `say` in setup).
 */
export async function showRequest(r: FundingRequest, say: (s: string) => void, link: (uri: string) => void = say) {
  const name = chainName(r.chain);
  const uri = paymentRequest(r.chain, r.address, r.atomic);
  // A bad template is an error before anything is shown.
  const buy = r.onramp && onrampLink(r.onramp, { address: r.address, chain: r.chain, atomic: r.atomic });
  say(`\nSend USDC on ${name} to:\n\n  ${r.address}\n`);
  say(`on the ${name} network (${CHAINS[r.chain].network}) only: USDC sent on Ethereum mainnet or another chain does not arrive.`);
  say(`Or scan with a phone wallet: the code asks for ${usdcDecimal(r.atomic)} USDC on ${name} and fixes network, token and amount.\n`);
  say(await qrCode(uri));
  say("");
  link(uri);
  say("");
  if (buy) say(`To buy USDC with a card: ${buy}`);
  else say(`To buy USDC with a card: Coinbase (coinbase.com) or another on-ramp that sells USDC on ${name}; send it to the address above.`);
  say(`Spending is capped per request, session and day: \`runcode config list\` shows max-usd-per-*.`);
}

export type WatchDeps = {
  /** The wallet's USDC balance, atomic; throws when it cannot be read (never a zero). */
  read: (signal: AbortSignal) => Promise<bigint>;
  intervalMs: number;
  signal: AbortSignal;
  /** Called after every read, with its error when it failed. */
  onPoll?: (e?: unknown) => void;
};

export type WatchResult = { arrived: true; received: bigint; balance: bigint } | { arrived: false };

/**
 * Reads the balance until it rises above the lowest seen (a payment signed meanwhile lowers it), and reports by how
 * much. The first read must succeed (an RPC that cannot be read is an error, not a silent wait); later failures
 * back off, doubling the pause up to POLL.maxS. Aborting the signal ends the watch with `arrived: false`.
 */
export async function watchDeposit(d: WatchDeps): Promise<WatchResult> {
  let low = await d.read(d.signal);
  d.onPoll?.();
  let pause = d.intervalMs;
  while (!d.signal.aborted) {
    if (!(await sleep(pause, d.signal))) break;
    try {
      const now = await d.read(d.signal);
      d.onPoll?.();
      pause = d.intervalMs;
      if (now > low) return { arrived: true, received: now - low, balance: now };
      low = now;
    } catch (err) {
      if (d.signal.aborted) break;
      d.onPoll?.(err);
      pause = Math.min(pause * 2, POLL.maxS * 1000);
    }
  }
  return { arrived: false };
}

/** Resolves true after `ms`, false as soon as the signal aborts; leaves no timer behind either way. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (v: boolean) => {
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
      resolve(v);
    };
    const onAbort = () => done(false);
    const timer = setTimeout(() => done(true), ms);
    signal.addEventListener("abort", onAbort);
  });
}
