// The payment ledger: every signed payment is written here BEFORE it is sent, then marked settled or failed from
// the gateway's answer. The budget check and the insert happen in one IMMEDIATE transaction, so two runcode
// processes paying at the same moment cannot both slip under the day budget. Amounts are atomic units (INTEGER,
// read back as bigint); USD is derived for display only.
import type { Database } from "bun:sqlite";
import { migrate, openDb, type Migration } from "./db";

export const LEDGER_MIGRATIONS: readonly Migration[] = [
  {
    name: "ledger-001-payments",
    sql: `CREATE TABLE payments (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      created_at INTEGER NOT NULL,          -- ms since epoch, when the payment was decided
      session TEXT NOT NULL,
      model TEXT,
      url TEXT NOT NULL,                    -- the paid request
      network TEXT NOT NULL,                -- CAIP-2
      asset TEXT NOT NULL,
      pay_to TEXT NOT NULL,
      payer TEXT NOT NULL,                  -- our address (never the key)
      amount INTEGER NOT NULL,              -- atomic units of the asset
      nonce TEXT,                           -- EIP-3009 nonce (Base)
      tx TEXT,                              -- transaction signature (Solana) or settlement tx from the receipt
      status TEXT NOT NULL CHECK (status IN ('pending', 'settled', 'failed')),
      reason TEXT,
      updated_at INTEGER NOT NULL
    );
    CREATE INDEX payments_created ON payments (created_at);
    CREATE INDEX payments_session ON payments (session);
    CREATE UNIQUE INDEX payments_nonce ON payments (nonce) WHERE nonce IS NOT NULL;
    CREATE TABLE recipients (network TEXT PRIMARY KEY, pay_to TEXT NOT NULL, first_seen INTEGER NOT NULL);`,
  },
];

export type PaymentRow = {
  id: number;
  created_at: number;
  session: string;
  model: string | null;
  url: string;
  network: string;
  asset: string;
  pay_to: string;
  payer: string;
  amount: bigint;
  nonce: string | null;
  tx: string | null;
  status: "pending" | "settled" | "failed";
  reason: string | null;
};

export type Reservation = {
  session: string;
  model?: string;
  url: string;
  network: string;
  asset: string;
  payTo: string;
  payer: string;
  amount: bigint;
  nonce?: string;
  /** Atomic budgets; what was already signed (pending or settled) plus `amount` must stay within each. */
  sessionLimit: bigint;
  dayLimit: bigint;
  now: number;
};

export type Reserved = { ok: true; id: number } | { ok: false; limit: "session" | "day"; spent: bigint };

const DAY_MS = 24 * 60 * 60 * 1000;
const COUNTED = "status IN ('pending', 'settled')";

export class Ledger {
  private constructor(readonly db: Database) {}

  static open(file: string): Ledger {
    const db = openDb(file);
    migrate(db, LEDGER_MIGRATIONS);
    return new Ledger(db);
  }

  /** Checks the session and rolling-24h budgets and records the pending payment, atomically across processes. */
  reserve(r: Reservation): Reserved {
    return this.db.transaction((): Reserved => {
      const session = this.sum(`session = ?`, r.session);
      if (session + r.amount > r.sessionLimit) return { ok: false, limit: "session", spent: session };
      const day = this.sum(`created_at >= ?`, r.now - DAY_MS);
      if (day + r.amount > r.dayLimit) return { ok: false, limit: "day", spent: day };
      this.db
        .query("INSERT OR IGNORE INTO recipients (network, pay_to, first_seen) VALUES (?, ?, ?)")
        .run(r.network, r.payTo, r.now);
      const row = this.db
        .query<{ id: bigint }, [number, string, string | null, string, string, string, string, string, bigint, string | null, number]>(
          `INSERT INTO payments (created_at, session, model, url, network, asset, pay_to, payer, amount, nonce, status, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?) RETURNING id`,
        )
        .get(r.now, r.session, r.model ?? null, r.url, r.network, r.asset, r.payTo, r.payer, r.amount, r.nonce ?? null, r.now);
      return { ok: true, id: Number(row!.id) };
    }).immediate();
  }

  /** The Solana transaction signature is only known after signing; it is stored before the payment is sent. */
  attachTx(id: number, tx: string) {
    this.db.query("UPDATE payments SET tx = ?, updated_at = ? WHERE id = ?").run(tx, Date.now(), id);
  }

  settle(id: number, tx?: string) {
    this.db.query("UPDATE payments SET status = 'settled', tx = COALESCE(?, tx), updated_at = ? WHERE id = ?").run(tx ?? null, Date.now(), id);
  }

  fail(id: number, reason: string) {
    this.db.query("UPDATE payments SET status = 'failed', reason = ?, updated_at = ? WHERE id = ?").run(reason.slice(0, 300), Date.now(), id);
  }

  /** The first payTo ever seen for a network (the trusted gateway recipient unless configured otherwise). */
  recipient(network: string): string | undefined {
    return this.db.query<{ pay_to: string }, [string]>("SELECT pay_to FROM recipients WHERE network = ?").get(network)?.pay_to;
  }

  /** The user accepted a new recipient. */
  setRecipient(network: string, payTo: string) {
    this.db
      .query("INSERT INTO recipients (network, pay_to, first_seen) VALUES (?, ?, ?) ON CONFLICT (network) DO UPDATE SET pay_to = excluded.pay_to")
      .run(network, payTo, Date.now());
  }

  /** Atomic amount signed (pending or settled) in a session, or since a time. */
  spent(o: { session?: string; since?: number }): bigint {
    if (o.session !== undefined) return this.sum("session = ?", o.session);
    return this.sum("created_at >= ?", o.since ?? 0);
  }

  list(): PaymentRow[] {
    return this.db
      .query<PaymentRow & { id: bigint; created_at: bigint }, []>("SELECT * FROM payments ORDER BY id")
      .all()
      .map((r) => ({ ...r, id: Number(r.id), created_at: Number(r.created_at) }));
  }

  close() {
    this.db.close();
  }

  private sum(where: string, arg: string | number): bigint {
    const row = this.db.query<{ s: bigint }, [string | number]>(`SELECT COALESCE(SUM(amount), 0) AS s FROM payments WHERE ${COUNTED} AND ${where}`).get(arg);
    return BigInt(row?.s ?? 0n);
  }
}
