// At start-up, before serving, the team server resolves what a killed predecessor left open: a pending reservation
// whose payment the ledger (runcode.db, fsynced) knows the outcome of follows it (settled, or released when it
// failed, was voided or was never signed); one whose signature is still out keeps counting until it is. A request
// that reserved money but has no audit record gets one, marked interrupted, so the log and the budgets agree.
import type { PaymentRow } from "../money/ledger";
import type { TeamStore } from "./store";

export type Recovered = { settled: number; released: number; open: number; audited: number };

/** How far back a restart looks for what a crash left: reservations older than this were resolved by earlier starts. */
const LOOKBACK_MS = 7 * 24 * 60 * 60 * 1000;

export async function recover(store: TeamStore, payment: (id: number) => PaymentRow | undefined, now: number): Promise<Recovered> {
  const out: Recovered = { settled: 0, released: 0, open: 0, audited: 0 };
  const developers = new Map((await store.developers()).map((d) => [d.id, d.email]));
  const requests = new Map<string, { developer: number; amount: bigint; row?: PaymentRow; outcome: string }>();
  for (const r of await store.unfinished(now - LOOKBACK_MS)) {
    const row = payment(r.payment);
    let status = r.status;
    if (status === "pending") {
      if (row?.status === "settled") status = "settled";
      else if (!row || row.status === "failed" || row.status === "void" || row.signed_at === null) status = "released";
      if (status === "settled") await store.settle(r.request, r.payment, now);
      if (status === "released") await store.release(r.request, r.payment, now);
      out[status === "pending" ? "open" : status]++;
    }
    if (r.audited) continue;
    const seen = requests.get(r.request) ?? { developer: r.developer, amount: 0n, outcome: "released" };
    if (status !== "released") seen.amount += r.amount;
    seen.row = row ?? seen.row;
    if (status === "pending") seen.outcome = "outcome unknown, still counted";
    else if (status === "settled" && seen.outcome === "released") seen.outcome = "settled";
    requests.set(r.request, seen);
  }
  for (const [request, r] of requests) {
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
      note: `interrupted: the server stopped before the answer ended (payment ${r.outcome})`,
      prompt: null,
    });
    out.audited++;
  }
  return out;
}
