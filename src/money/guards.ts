// The decisions taken before anything is signed. Each refusal names the limit and the exact command that changes
// it; all are exit code 3 (payment) so scripts can tell them apart. Money is compared as bigint atomic units.
import { ActionableError, EXIT } from "../core/errors";
import { CHAINS, type Chain } from "./chain";
import { formatUsd } from "./usd";
import type { PaymentRequired, Requirement } from "./requirements";

export const refused = (message: string, fix: string) => new ActionableError(message, fix, "payment_refused", EXIT.payment);

/** USDC domain parameters of the assets we know; a requirement's `extra` is checked against these. */
export const KNOWN_EIP712: Record<string, { name: string; version: string; chainId: number }> = {
  "eip155:8453/0x833589fcd6edb6e08f4c7c32d4f71b54bda02913": { name: "USD Coin", version: "2", chainId: 8453 },
  "eip155:84532/0x036cbd53842c5426634e7929541ec2318f3dcf7e": { name: "USDC", version: "2", chainId: 84532 },
};

const sameAddress = (chain: Chain, a: string, b: string) => (chain === "base" ? a.toLowerCase() === b.toLowerCase() : a === b);

/**
 * The requirement for the wallet's chain, paid in that chain's USDC with the "exact" scheme; when the gateway offers
 * several of those, the cheapest (each one pays for the same request).
 */
export function choose(pr: PaymentRequired, chain: Chain): Requirement {
  const { network, usdc } = CHAINS[chain];
  const onChain = pr.accepts.filter((r) => r.network === network && r.scheme === "exact");
  const otherSchemes = [...new Set(pr.accepts.filter((r) => r.network === network && r.scheme !== "exact").map((r) => r.scheme))];
  if (!onChain.length && otherSchemes.length)
    throw refused(
      `refused to pay: the gateway asks for the x402 scheme ${otherSchemes.map((s) => `"${s.slice(0, 40)}"`).join(", ")} on ${network}, and runcode pays only "exact"; nothing was signed`,
      "use a free model with -m free, or a gateway that accepts the exact scheme",
    );
  if (!onChain.length) {
    const offered = [...new Set(pr.accepts.map((r) => r.network))];
    const other = (Object.keys(CHAINS) as Chain[]).find((c) => c !== chain && offered.includes(CHAINS[c].network));
    throw refused(
      `refused to pay: the gateway asks for payment on ${offered.join(", ")}, but your wallet pays on ${chain} (${network})`,
      other
        ? `switch with \`runcode wallet chain ${other}\`, or use a free model with -m free`
        : "this gateway does not accept your chain; use a free model with -m free",
    );
  }
  const usdcReqs = onChain.filter((r) => sameAddress(chain, r.asset, usdc));
  if (!usdcReqs.length)
    throw refused(
      `refused to pay: the gateway asks for asset ${onChain[0]!.asset} on ${chain}, not USDC (${usdc}); nothing was signed`,
      "runcode only pays in USDC; check RUNCODE_API_URL points at a gateway you trust",
    );
  const req = usdcReqs.reduce((a, b) => (b.amount < a.amount ? b : a));
  // A recipient that is not an address of this chain could never be paid (viem would throw deep inside signing).
  const valid = chain === "base" ? /^0x[0-9a-fA-F]{40}$/.test(req.payTo) : /^[1-9A-HJ-NP-Za-km-z]{32,44}$/.test(req.payTo);
  if (!valid)
    throw refused(
      `refused to pay: the gateway's payment recipient "${req.payTo.slice(0, 80)}" is not a ${chain} address; nothing was signed`,
      "retry later, or use a free model with -m free",
    );
  return req;
}

/** A 402 for a model the catalog lists as free: a hostile or broken gateway, never paid. */
export function freeModelRefusal(model: string): ActionableError {
  return refused(
    `refused to pay: the gateway asked to be paid for ${model}, which its catalog lists as free; nothing was signed`,
    "retry later, or check that RUNCODE_API_URL points at a gateway you trust",
  );
}

export function checkAmount(req: Requirement, cap: bigint, model?: string) {
  if (req.amount <= 0n)
    throw refused(`refused to pay: the gateway quoted ${formatUsd(req.amount)}`, "retry later, or use a free model with -m free");
  if (req.amount > cap)
    throw refused(
      `refused to pay ${formatUsd(req.amount)} for ${model ?? "this request"}: over max-usd-per-request (${formatUsd(cap)})`,
      `raise it with \`runcode config set max-usd-per-request ${suggest(req.amount)}\`, or use a cheaper model`,
    );
}

export function budgetRefusal(limit: "session" | "day", amount: bigint, spent: bigint, cap: bigint): ActionableError {
  const key = limit === "session" ? "max-usd-per-session" : "max-usd-per-day";
  const scope = limit === "session" ? "this session has" : "the last 24 hours have";
  return refused(
    `refused to pay ${formatUsd(amount)}: ${scope} already signed ${formatUsd(spent)} of ${key} (${formatUsd(cap)})`,
    `raise it with \`runcode config set ${key} ${suggest(spent + amount)}\`, or use a free model with -m free`,
  );
}

/** Why a payTo is not trusted, or undefined when it is (configured, or the first one seen on this network). */
export function payToProblem(chain: Chain, payTo: string, configured: string | undefined, known: string | undefined): string | undefined {
  const trusted = configured ?? known;
  if (!trusted || sameAddress(chain, trusted, payTo)) return undefined;
  const where = configured ? "your configured gateway-pay-to" : "the recipient this gateway used before";
  return `the gateway's payment recipient changed from ${trusted} (${where}) to ${payTo}`;
}

export function payToRefusal(problem: string, payTo: string): ActionableError {
  return refused(
    `refused to pay: ${problem}; nothing was signed`,
    `if you trust this gateway, accept it with \`runcode config set gateway-pay-to ${payTo}\``,
  );
}

/** EIP-712 domain for a known asset; a requirement whose `extra` disagrees is refused (it could never verify). */
export function eip712Domain(req: Requirement) {
  const known = KNOWN_EIP712[`${req.network}/${req.asset.toLowerCase()}`];
  if (!known) throw refused(`refused to pay: unknown asset ${req.asset} on ${req.network}`, "runcode only pays in USDC on Base or Solana");
  const { name, version } = req.extra;
  if ((name !== undefined && name !== known.name) || (version !== undefined && version !== known.version))
    throw refused(
      `refused to pay: the gateway describes USDC as "${String(name)}" version ${String(version)}, expected "${known.name}" version ${known.version}`,
      "the gateway is misconfigured; use a free model with -m free",
    );
  return { name: known.name, version: known.version, chainId: known.chainId, verifyingContract: req.asset as `0x${string}` };
}

/** A round USD figure a little above `atomic`, for the "raise it with" hint. */
function suggest(atomic: bigint): string {
  const cents = (atomic * 2n + 9_999n) / 10_000n; // double it, rounded up to the cent
  return `${cents / 100n}.${(cents % 100n).toString().padStart(2, "0")}`;
}
