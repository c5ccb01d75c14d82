// The line after each turn: model, tokens, how full the context is, what the session cost, and the wallet balance
// once the session has paid for something (fetched in the background, so the prompt never waits on the network).
import type { Workspace } from "../agent/workspace";
import type { Paint } from "./render";

export const WARN_AT = 0.7;

const k = (n: number) => (n >= 1000 ? `${(n / 1000).toFixed(1)}k` : String(n));

export function statusLine(e: Workspace, p: Paint, balance?: string): string {
  const t = e.totals;
  const pct = e.model.context ? Math.round((e.lastInput / e.model.context) * 100) : 0;
  const parts = [
    // The model that answered: after a fallback it is not the one asked for.
    (e.answeredBy ?? e.model.id) + (e.planMode ? " (plan)" : ""),
    `${k(t.input)} in / ${k(t.output)} out`,
    `ctx ${pct}%`,
    t.usd > 0 ? `$${t.usd.toFixed(4)} session` : "free so far",
  ];
  if (balance) parts.push(`balance ${balance}`);
  return p.dim(`── ${parts.join(" · ")}`);
}

/**
 * The wallet's USDC balance as "$1.23" (logged in to a team: what is left of the developer's budget), or undefined
 * when there is no wallet or budget, or the RPC or the team server does not answer in time.
 */
export async function fetchBalance(e: Workspace): Promise<string | undefined> {
  try {
    if (e.run.team) {
      const [{ teamMe }, { VERSION }] = await Promise.all([import("../gateway/team"), import("../version")]);
      return (await teamMe(e.run.team, `runcode/${VERSION}`)).left ?? undefined;
    }
    const [{ activeWallet }, { readBalance, formatUsdc }, { rpcUrl }] = await Promise.all([
      import("../money/wallet/active"),
      import("../money/wallet/balance"),
      import("../money/rpc"),
    ]);
    const w = activeWallet(e.run.paths, e.run.env, e.run.chain);
    const b = await readBalance(w.chain, w.address, { url: rpcUrl(w.chain, e.run.env, e.run.get, e.run.baseUrl), timeoutMs: 3000 });
    return `$${Number(formatUsdc(b.usdc)).toFixed(2)}`;
  } catch {
    return undefined;
  }
}
