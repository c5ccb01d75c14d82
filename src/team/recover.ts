// What a killed team server leaves behind, resolved without losing or double-counting a cent:
// - At start-up, before serving, a server resolves its own open reservations from its own ledger (runcode.db,
//   fsynced): a payment that settled settles the reservation; one that failed, was voided or was never signed
//   releases it; one whose signature is still out keeps counting.
// - Every server sweeps, now and then, the pending reservations of any server whose authorization has expired for
//   a while: their server died and did not come back. They are settled (counted: the gateway may have been paid).
// A request that reserved money but has no audit record gets one, marked interrupted, so the log and the budgets
// agree.
import type { PaymentRow } from "../money/ledger";
import type { Open, TeamStore } from "./store";

export type Recovered = { settled: number; released: number; open: number; audited: number };

/** How far back a restart looks for what a crash left: reservations older than this were resolved by earlier starts. */
const LOOKBACK_MS = 7 * 24 * 60 * 60 * 1000;
/** How long after its authorization expired a pending reservation waits for its own server before a sweep takes it. */
export const SWEEP_GRACE_MS = 10 * 60 * 1000;

export async function recover(
  store: TeamStore,
  server: string,
  payment: (id: number) => PaymentRow | undefined,
  now: number,
): Promise<Recovered> {
  const out: Recovered = { settled: 0, released: 0, open: 0, audited: 0 };
  const rows: { open: Open; row?: PaymentRow }[] = [];
  for (const r of await store.unfinished(server, now - LOOKBACK_MS)) {
    const row = payment(r.payment);
    let status = r.status;
    if (status === "pending") {
      if (row?.status === "settled") status = "settled";
      else if (!row || row.status === "failed" || row.status === "void" || row.signed_at === null) status = "released";
      if (status === "settled") await store.settle(r.request, r.payment, now);
      if (status === "released") await store.release(r.request, r.payment, now);
      out[status === "pending" ? "open" : status]++;
    }
    rows.push({ open: { ...r, status }, row });
  }
  out.audited = await auditInterrupted(store, rows, now, "the server stopped before the answer ended");
  return out;
}

/** Settles what dead servers left pending past its authorization's expiry; returns how many. */
export async function sweep(store: TeamStore, now: number): Promise<number> {
  const swept = await store.sweep(now - SWEEP_GRACE_MS, now);
  await auditInterrupted(
    store,
    swept.map((open) => ({ open })),
    now,
    "its server stopped and did not come back",
  );
  return swept.length;
}

/** One interrupted record per request that has none, with what it reserved and how that ended. */
async function auditInterrupted(store: TeamStore, rows: { open: Open; row?: PaymentRow }[], now: number, why: string): Promise<number> {
  const developers = new Map((await store.developers()).map((d) => [d.id, d.email]));
  const requests = new Map<string, { developer: number; amount: bigint; row?: PaymentRow; outcome: string }>();
  for (const { open: r, row } of rows) {
    if (r.audited) continue;
    const seen = requests.get(r.request) ?? { developer: r.developer, amount: 0n, outcome: "released" };
    if (r.status !== "released") seen.amount += r.amount;
    seen.row = row ?? seen.row;
    if (r.status === "pending") seen.outcome = "outcome unknown, still counted";
    else if (r.status === "settled" && seen.outcome === "released") seen.outcome = "settled";
    requests.set(r.request, seen);
  }
  let written = 0;
  for (const [request, r] of requests) {
    if (await store.audited(request)) continue; // another server's sweep got there first
    written++;
    await store.append({
      at: now,
      request,
      developer: developers.get(r.developer) ?? null,
      client: null,
      method: "POST",
      path: r.row?.url ? new URL(r.row.url).pathname.replace(/^\/api(?=\/)/, "") : "-",
      modelAsked: r.row?.model ?? null,
      modelServed: r.row?.model ?? null,
      input: 0,
      output: 0,
      amount: r.amount,
      status: 0,
      latencyMs: 0,
      bodySha256: null,
      note: `interrupted: ${why} (payment ${r.outcome})`,
      prompt: null,
    });
  }
  return written;
}
