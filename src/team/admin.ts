// What a team admin can do, as functions over the team store: the CLI calls them on the server's machine (opening
// team.db itself), and the server exposes the same ones under /team/admin/ to the admin token over TLS. Tokens are
// returned once, here, and never stored: only their hashes.
import { ActionableError, usageError } from "../core/errors";
import { formatUsd, usdToAtomic } from "../money/usd";
import { verifyChain, type Verdict } from "./audit";
import { PERIODS, periodWindow } from "./period";
import { DuplicateDeveloper, type AuditFilter, type AuditRecord, type Developer, type Period, type TeamStore } from "./store";
import { newToken, tokenHash } from "./tokens";

export type DeveloperView = {
  email: string;
  status: "active" | "revoked";
  budget: string | null;
  period: Period;
  spent: string;
  left: string | null;
  resets: string;
  created: string;
};

const EMAIL = /^[^\s@<>()",;]+@[^\s@<>()",;]+$/;

export function checkEmail(email: string): string {
  const e = email.trim();
  if (!EMAIL.test(e) || e.length > 254) throw usageError(`"${email}" is not an email address`, "e.g. runcode team add dev@example.com");
  return e.toLowerCase();
}

export function checkPeriod(p: string | undefined): Period {
  const period = (p ?? "week") as Period;
  if (!PERIODS.includes(period)) throw usageError(`--per must be day, week or month, got "${p}"`, "e.g. --per week");
  return period;
}

/** A budget in USD ("50", "12.5") → atomic; "none" or "off" → null (no budget of their own). */
export function checkBudget(v: string): bigint | null {
  if (/^(none|off|unlimited)$/i.test(v)) return null;
  const n = Number(v);
  if (!/^\d+(\.\d+)?$/.test(v.trim()) || !Number.isFinite(n))
    throw usageError(`the budget must be a number of US dollars, got "${v}"`, "e.g. 50 for $50, or none to remove it");
  return usdToAtomic(n);
}

const unknown = (email: string) => new ActionableError(`no developer ${email} in this team`, "list them with `runcode team list`", "usage");

export async function addDeveloper(store: TeamStore, email: string, budget: bigint | null, period: Period, now: number) {
  const token = newToken("developer");
  try {
    const dev = await store.addDeveloper({ email: checkEmail(email), tokenHash: tokenHash(token), budget, period, now });
    return { developer: await view(store, dev, now), token };
  } catch (err) {
    if (err instanceof DuplicateDeveloper)
      throw new ActionableError(`${email} is already in this team`, `give them a new token with \`runcode team rotate ${email}\``, "usage");
    throw err;
  }
}

export async function setBudget(store: TeamStore, email: string, budget: bigint | null, period: Period, now: number) {
  const e = checkEmail(email);
  if (!(await store.setBudget(e, budget, period))) throw unknown(e);
  return view(store, (await store.developer(e))!, now);
}

export async function revoke(store: TeamStore, email: string, now: number) {
  const e = checkEmail(email);
  const dev = await store.developer(e);
  if (!dev) throw unknown(e);
  await store.revoke(e, now);
  return view(store, (await store.developer(e))!, now);
}

export async function rotate(store: TeamStore, email: string, now: number) {
  const e = checkEmail(email);
  const token = newToken("developer");
  if (!(await store.setToken(e, tokenHash(token), now))) throw unknown(e);
  return { developer: await view(store, (await store.developer(e))!, now), token };
}

export async function list(store: TeamStore, now: number): Promise<DeveloperView[]> {
  return Promise.all((await store.developers()).map((d) => view(store, d, now)));
}

/** A developer as the admin and the developer see them: budget, spent and left this period, when it resets. */
export async function view(store: TeamStore, d: Developer, now: number): Promise<DeveloperView> {
  const w = periodWindow(d.period, now);
  const spent = await store.spent(d.id, w.start);
  return {
    email: d.email,
    status: d.revokedAt === null ? "active" : "revoked",
    budget: d.budget === null ? null : formatUsd(d.budget),
    period: d.period,
    spent: formatUsd(spent),
    left: d.budget === null ? null : formatUsd(d.budget > spent ? d.budget - spent : 0n),
    resets: new Date(w.end).toISOString(),
    created: new Date(d.createdAt).toISOString(),
  };
}

export async function audit(store: TeamStore, f: AuditFilter): Promise<AuditRecord[]> {
  return store.audit(f);
}

/** The whole chain, from its first record: a filter would hide the very records an edit or deletion touched. */
export async function verify(store: TeamStore): Promise<Verdict> {
  return verifyChain(await store.audit());
}
