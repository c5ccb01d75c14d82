// The payment ledger: every payment is reserved here before it is signed, its signature's validity window is
// recorded before the signature is sent, and the row is then marked settled, failed or void from the gateway's
// answer. Table `quotes` keeps the requirements of settled 402s, which later requests are signed up front from.
// The budget check and the insert happen in one IMMEDIATE transaction, so two runcode processes paying at the same
// moment cannot both slip under the day budget. Amounts are atomic units (INTEGER, read back as bigint); USD is
// derived for display only.
//
// What counts toward the budgets (COUNTED): a signature counts from the moment it is made until it is proven unused.
// A gateway that answers "failed" still holds a valid authorization until `valid_until`, and could have settled it
// by then: the end of the window proves only that it cannot settle *later*. runcode does not ask the chain yet, so a
// failed row that was signed counts like a settled one for the whole budget window; a row that failed before
// anything was signed never counts; pending (reserved, or sent without an answer) and settled rows always count. A
// `void` row (signed up front from a cached quote, then superseded by a fresh 402) counts like a failed one: an honest
// gateway never submits it, but nothing proves a hostile one did not.
// `valid_until` is kept for what docs/security.md promises (how long a gateway can hold a signature) and for the
// on-chain check that would release a row whose window passed unused.
//
// The ledger has no door of its own into runcode.db: it is built on the connection the store opened (src/store/open.ts
// applies LEDGER_MIGRATIONS with the store's, after its newer-database checks), and it never closes it. Every write
// is stamped with the caller's clock.
import type { Database } from "bun:sqlite";

/** Named schema steps (a store `Migration`), applied by src/store/open.ts with the store's own. */
export const LEDGER_MIGRATIONS: readonly { name: string; sql: string }[] = [
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
  {
    // Rows written before this step carry no window: they are taken as signed with the longest window runcode ever
    // signed (900 s), except the ones that failed while signing (never signed, so they never count).
    name: "ledger-002-signed-window",
    sql: `ALTER TABLE payments ADD COLUMN signed_at INTEGER;   -- ms, when the signature was made; NULL = never signed
    ALTER TABLE payments ADD COLUMN valid_until INTEGER;          -- ms, after which the signature cannot settle
    UPDATE payments SET signed_at = created_at, valid_until = created_at + 900000 WHERE NOT (status = 'failed' AND reason = 'signing failed');`,
  },
  {
    // Pre-signed payments: a status for a signature made up front and then superseded by a fresh quote (`void`; the
    // table is rebuilt, as SQLite cannot change a CHECK constraint in place), and the quotes they are signed from.
    name: "ledger-003-presigned",
    sql: `CREATE TABLE payments_003 (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      created_at INTEGER NOT NULL,
      session TEXT NOT NULL,
      model TEXT,
      url TEXT NOT NULL,
      network TEXT NOT NULL,
      asset TEXT NOT NULL,
      pay_to TEXT NOT NULL,
      payer TEXT NOT NULL,
      amount INTEGER NOT NULL,
      nonce TEXT,
      tx TEXT,
      status TEXT NOT NULL CHECK (status IN ('pending', 'settled', 'failed', 'void')),
      reason TEXT,
      updated_at INTEGER NOT NULL,
      signed_at INTEGER,
      valid_until INTEGER
    );
    INSERT INTO payments_003 SELECT id, created_at, session, model, url, network, asset, pay_to, payer, amount, nonce, tx, status,
      reason, updated_at, signed_at, valid_until FROM payments;
    DROP TABLE payments;
    ALTER TABLE payments_003 RENAME TO payments;
    CREATE INDEX payments_created ON payments (created_at);
    CREATE INDEX payments_session ON payments (session);
    CREATE UNIQUE INDEX payments_nonce ON payments (nonce) WHERE nonce IS NOT NULL;
    CREATE TABLE quotes (
      url TEXT NOT NULL,                    -- the paid endpoint
      model TEXT NOT NULL,
      network TEXT NOT NULL,                -- CAIP-2
      doc TEXT NOT NULL,                    -- the 402's x402 document, with only the requirement that was paid (JSON)
      fee INTEGER NOT NULL,                 -- atomic: that quote minus the token price computed for its request
      learned_at INTEGER NOT NULL,          -- ms, when that payment settled
      misses INTEGER NOT NULL DEFAULT 0,    -- pre-signed payments for this key voided by a fresh quote, in a window
      missed_at INTEGER,                    -- ms, the last of those
      PRIMARY KEY (url, model, network)
    );`,
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
  status: "pending" | "settled" | "failed" | "void";
  reason: string | null;
  signed_at: number | null;
  valid_until: number | null;
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
  /** Atomic budgets; what already counts (see COUNTED) plus `amount` must stay within each. */
  sessionLimit: bigint;
  dayLimit: bigint;
  now: number;
};

export type Reserved = { ok: true; id: number } | { ok: false; limit: "session" | "day"; spent: bigint };

/** Which quote a pre-signed payment is computed from: one per gateway endpoint, model and network. */
export type QuoteKey = { url: string; model: string; network: string };

/** A quote learned from a settled 402 (table `quotes`). */
export type Quote = { doc: Record<string, unknown>; fee: bigint; learnedAt: number; misses: number; missedAt: number | null };

const DAY_MS = 24 * 60 * 60 * 1000;
/**
 * Rows that count toward the budgets: everything but a payment that failed before it was signed. A `void` row (a
 * pre-signed payment the gateway answered with a fresh quote) counts like a failed one: it was signed and sent.
 */
const COUNTED = "(status IN ('pending', 'settled') OR (status IN ('failed', 'void') AND signed_at IS NOT NULL))";

export class Ledger {
  /** `db`: the store's open connection (src/store/open.ts), with LEDGER_MIGRATIONS applied. */
  constructor(readonly db: Database) {}

  /** Checks the session and rolling-24h budgets and records the pending payment, atomically across processes. */
  reserve(r: Reservation): Reserved {
    return this.durably((): Reserved => {
      const session = this.sum(`session = ?`, r.session);
      if (session + r.amount > r.sessionLimit) return { ok: false, limit: "session", spent: session };
      const day = this.sum(`created_at >= ?`, r.now - DAY_MS);
      if (day + r.amount > r.dayLimit) return { ok: false, limit: "day", spent: day };
      this.db.query("INSERT OR IGNORE INTO recipients (network, pay_to, first_seen) VALUES (?, ?, ?)").run(r.network, r.payTo, r.now);
      const row = this.db
        .query<{ id: bigint }, [number, string, string | null, string, string, string, string, string, bigint, string | null, number]>(
          `INSERT INTO payments (created_at, session, model, url, network, asset, pay_to, payer, amount, nonce, status, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?) RETURNING id`,
        )
        .get(r.now, r.session, r.model ?? null, r.url, r.network, r.asset, r.payTo, r.payer, r.amount, r.nonce ?? null, r.now);
      return { ok: true, id: Number(row!.id) };
    });
  }

  /**
   * A signature was made: when, until when it can settle (ms), and on Solana its transaction signature. Written
   * before the signature is sent, so a failure reported later still counts.
   */
  signed(id: number, s: { at: number; validUntil: number; tx?: string }) {
    this.durably(() =>
      this.db
        .query("UPDATE payments SET signed_at = ?, valid_until = ?, tx = COALESCE(?, tx), updated_at = ? WHERE id = ?")
        .run(s.at, s.validUntil, s.tx ?? null, s.at, id),
    );
  }

  settle(id: number, at: number, tx?: string) {
    this.durably(() =>
      this.db.query("UPDATE payments SET status = 'settled', tx = COALESCE(?, tx), updated_at = ? WHERE id = ?").run(tx ?? null, at, id),
    );
  }

  fail(id: number, at: number, reason: string) {
    this.durably(() =>
      this.db.query("UPDATE payments SET status = 'failed', reason = ?, updated_at = ? WHERE id = ?").run(reason.slice(0, 300), at, id),
    );
  }

  /**
   * A pre-signed payment the gateway did not take: it answered 402 with a fresh quote, which is paid instead. The
   * signature left the process, so the row keeps counting toward the budgets (COUNTED); it is not what was paid.
   */
  void(id: number, at: number, reason: string) {
    this.durably(() =>
      this.db.query("UPDATE payments SET status = 'void', reason = ?, updated_at = ? WHERE id = ?").run(reason.slice(0, 300), at, id),
    );
  }

  quote(k: QuoteKey): Quote | undefined {
    const row = this.db
      .query<{ doc: string; fee: bigint; learned_at: bigint; misses: bigint; missed_at: bigint | null }, [string, string, string]>(
        "SELECT doc, fee, learned_at, misses, missed_at FROM quotes WHERE url = ? AND model = ? AND network = ?",
      )
      .get(k.url, k.model, k.network);
    if (!row) return undefined;
    try {
      const doc: unknown = JSON.parse(row.doc);
      if (typeof doc !== "object" || doc === null || Array.isArray(doc)) return undefined;
      const missedAt = row.missed_at === null ? null : Number(row.missed_at);
      return {
        doc: doc as Record<string, unknown>,
        fee: BigInt(row.fee),
        learnedAt: Number(row.learned_at),
        misses: Number(row.misses),
        missedAt,
      };
    } catch {
      return undefined;
    }
  }

  /**
   * Keeps the quote a settled payment was made from. A cache, not money: written without the ledger's fsync; the
   * miss count stays (it counts voids in a window, `quoteMissed`).
   */
  learn(k: QuoteKey, doc: Record<string, unknown>, fee: bigint, at: number) {
    this.db
      .query(
        `INSERT INTO quotes (url, model, network, doc, fee, learned_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (url, model, network) DO UPDATE SET doc = excluded.doc, fee = excluded.fee, learned_at = excluded.learned_at`,
      )
      .run(k.url, k.model, k.network, JSON.stringify(doc), fee, at);
  }

  /** A pre-signed payment for this key was voided by a fresh quote: `misses` counts those since `since` (ms). */
  quoteMissed(k: QuoteKey, at: number, since: number) {
    this.db
      .query(
        `UPDATE quotes SET misses = CASE WHEN missed_at IS NULL OR missed_at < ? THEN 1 ELSE misses + 1 END, missed_at = ?
         WHERE url = ? AND model = ? AND network = ?`,
      )
      .run(since, at, k.url, k.model, k.network);
  }

  /** The first payTo ever seen for a network (the trusted gateway recipient unless configured otherwise). */
  recipient(network: string): string | undefined {
    return this.db.query<{ pay_to: string }, [string]>("SELECT pay_to FROM recipients WHERE network = ?").get(network)?.pay_to;
  }

  /** The user accepted a new recipient. */
  setRecipient(network: string, payTo: string, at: number) {
    this.durably(() =>
      this.db
        .query(
          "INSERT INTO recipients (network, pay_to, first_seen) VALUES (?, ?, ?) ON CONFLICT (network) DO UPDATE SET pay_to = excluded.pay_to",
        )
        .run(network, payTo, at),
    );
  }

  /** Atomic amount that counts toward the budgets (see COUNTED), in a session or since a time. */
  spent(o: { session?: string; since?: number }): bigint {
    if (o.session !== undefined) return this.sum("session = ?", o.session);
    return this.sum("created_at >= ?", o.since ?? 0);
  }

  /** One payment's row (a team server resolving a reservation it did not see to the end). */
  row(id: number): PaymentRow | undefined {
    return this.list(id)[0];
  }

  list(id?: number): PaymentRow[] {
    return this.db
      .query<PaymentRow & { id: bigint; created_at: bigint; signed_at: bigint | null; valid_until: bigint | null }, []>(
        `SELECT * FROM payments ${id === undefined ? "" : `WHERE id = ${Math.floor(id)}`} ORDER BY id`,
      )
      .all()
      .map((r) => ({
        ...r,
        id: Number(r.id),
        created_at: Number(r.created_at),
        signed_at: r.signed_at === null ? null : Number(r.signed_at),
        valid_until: r.valid_until === null ? null : Number(r.valid_until),
      }));
  }

  /**
   * One IMMEDIATE transaction, fsynced at commit. The store's connection runs `synchronous = NORMAL` (transcripts
   * need no fsync per commit); a money row must survive a power cut too, so ledger writes switch that connection to
   * FULL for their own commit and back. bun:sqlite is synchronous: no other write can run in between.
   */
  private durably<T>(fn: () => T): T {
    const before = this.db.query<{ synchronous: number | bigint }, []>("PRAGMA synchronous").get()?.synchronous ?? 2;
    this.db.exec("PRAGMA synchronous = FULL");
    try {
      return this.db.transaction(fn).immediate();
    } finally {
      this.db.exec(`PRAGMA synchronous = ${Number(before)}`);
    }
  }

  private sum(where: string, arg: string | number): bigint {
    const row = this.db
      .query<{ s: bigint }, [string | number]>(`SELECT COALESCE(SUM(amount), 0) AS s FROM payments WHERE ${COUNTED} AND ${where}`)
      .get(arg);
    return BigInt(row?.s ?? 0n);
  }
}
