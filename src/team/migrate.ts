// `runcode team migrate`: a whole team copied row for row into an empty store (ids, token hashes, reservations, the
// audit chain with its hashes), then checked on the target: the same counts, the same sums per developer and
// status, and an audit chain that verifies with the same head. A check that fails names what differs; the source
// is never changed.
import { ActionableError } from "../core/errors";
import { verifyChain } from "./audit";
import { NotEmpty, type TeamDump, type TeamStore } from "./store";

export type Migrated = { developers: number; reservations: number; audit: number; head: string };

export async function migrateTeam(from: TeamStore, to: TeamStore): Promise<Migrated> {
  const source = await from.dump();
  const chain = verifyChain(source.audit);
  if (!chain.ok)
    throw new ActionableError(
      `the source's audit chain is broken at record ${chain.seq} (${chain.problem}); nothing was copied`,
      "run `runcode team audit --verify` on it and restore the database from a backup",
      "store",
    );
  try {
    await to.load(source);
  } catch (err) {
    if (err instanceof NotEmpty)
      throw new ActionableError(`${to.where} already holds a team; nothing was copied`, "migrate into an empty database", "usage");
    throw err;
  }
  const copied = await to.dump();
  const problem = differs(source, copied);
  const after = verifyChain(copied.audit);
  if (problem || !after.ok || after.head !== chain.head)
    throw new ActionableError(
      `the copy in ${to.where} does not match the source (${problem ?? (after.ok ? "the audit head differs" : after.problem)})`,
      "drop the target's tables and migrate again; the source was not changed",
      "store",
    );
  return { developers: copied.developers.length, reservations: copied.reservations.length, audit: copied.audit.length, head: chain.head };
}

/** What differs between two dumps, or undefined. */
function differs(a: TeamDump, b: TeamDump): string | undefined {
  for (const k of ["meta", "developers", "reservations", "audit"] as const)
    if (a[k].length !== b[k].length) return `${k}: ${a[k].length} in the source, ${b[k].length} in the copy`;
  const sums = (d: TeamDump) => {
    const m = new Map<string, bigint>();
    for (const r of d.reservations) m.set(`${r.developer}/${r.status}`, (m.get(`${r.developer}/${r.status}`) ?? 0n) + r.amount);
    return [...m].sort().join(",");
  };
  if (sums(a) !== sums(b)) return "reserved amounts per developer differ";
  const tokens = (d: TeamDump) =>
    d.developers.map((x) => `${x.id}:${x.email}:${x.tokenHash}:${x.budget}:${x.period}:${x.revokedAt}`).join(",");
  if (tokens(a) !== tokens(b)) return "developers differ";
  return undefined;
}
