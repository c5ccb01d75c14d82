// The ledger's counting rule: a signature counts toward the budgets from when it is made, for the whole budget
// window, whatever the gateway answered; a payment that failed before anything was signed never counts. And a
// database written before the window was recorded (ledger-001 only) migrates and keeps working.
import { afterEach, describe, expect, test } from "bun:test";
import { paths } from "../../src/core/home";
import { migrate, openDb } from "../../src/store/db";
import { LEDGER_MIGRATIONS, Ledger, type Reservation } from "../../src/money/ledger";
import { openStore } from "../../src/store/open";
import { cleanup, tempDir } from "../helpers";

const dirs: string[] = [];
afterEach(() => cleanup(...dirs.splice(0)));
const dbFile = () => {
  const home = tempDir("runcode-ledger-");
  dirs.push(home);
  return paths(home).db;
};

/** A ledger on its own connection with only the ledger's steps: what the store's connection would carry. */
const open = (file: string) => {
  const db = openDb(file);
  migrate(db, LEDGER_MIGRATIONS);
  return new Ledger(db);
};

const T0 = 1_750_000_000_000;
const MIN = 60_000;
let nonce = 0;
const reservation = (now: number, o: Partial<Reservation> = {}): Reservation => ({
  session: "s1",
  model: "m",
  url: "http://gw/v1/messages",
  network: "eip155:8453",
  asset: "0xusdc",
  payTo: "0xpay",
  payer: "0xme",
  amount: 10_000n,
  nonce: `0x${(nonce++).toString(16).padStart(64, "0")}`,
  sessionLimit: 1_000_000n,
  dayLimit: 1_000_000n,
  now,
  ...o,
});

describe("what counts toward the budgets", () => {
  test("a signed payment that failed counts for the whole day window, past its validity (it may have settled)", () => {
    const l = open(dbFile());
    const r = l.reserve(reservation(T0));
    if (!r.ok) throw new Error("refused");
    l.signed(r.id, { at: T0, validUntil: T0 + 5 * MIN });
    l.fail(r.id, T0, "gateway answered 500");
    expect(l.spent({ since: 0 })).toBe(10_000n);
    expect(l.spent({ session: "s1" })).toBe(10_000n);
    // A day cap of $0.015 leaves no room for a second $0.01, inside the window and long after it expired ...
    for (const at of [T0 + MIN, T0 + 6 * MIN, T0 + 23 * 60 * MIN]) {
      expect(l.reserve(reservation(at, { dayLimit: 15_000n }))).toEqual({ ok: false, limit: "day", spent: 10_000n });
      expect(l.reserve(reservation(at, { sessionLimit: 15_000n }))).toEqual({ ok: false, limit: "session", spent: 10_000n });
    }
    // ... until the rolling 24 hours have passed.
    expect(l.reserve(reservation(T0 + 24 * 60 * MIN + 1, { dayLimit: 15_000n, session: "s2" })).ok).toBe(true);
    l.db.close();
  });

  test("a payment that failed before anything was signed never counts", () => {
    const l = open(dbFile());
    const r = l.reserve(reservation(T0));
    if (!r.ok) throw new Error("refused");
    l.fail(r.id, T0, "signing failed");
    expect(l.spent({ since: 0 })).toBe(0n);
    l.db.close();
  });

  test("pending (sent, unanswered) and settled payments count for the whole day window, past their validity", () => {
    const l = open(dbFile());
    for (const settle of [false, true]) {
      const r = l.reserve(reservation(T0));
      if (!r.ok) throw new Error("refused");
      l.signed(r.id, { at: T0, validUntil: T0 + MIN });
      if (settle) l.settle(r.id, T0, "0xtx");
    }
    expect(l.spent({ since: T0 - 1 })).toBe(20_000n);
    expect(l.list().map((x) => [x.status, x.signed_at, x.valid_until])).toEqual([
      ["pending", T0, T0 + MIN],
      ["settled", T0, T0 + MIN],
    ]);
    l.db.close();
  });
});

describe("pre-signed payments (ledger-003)", () => {
  test("a void payment (signed up front, superseded by a fresh quote) keeps counting toward the budgets", () => {
    const l = open(dbFile());
    const r = l.reserve(reservation(T0));
    if (!r.ok) throw new Error("refused");
    l.signed(r.id, { at: T0, validUntil: T0 + 5 * MIN });
    l.void(r.id, T0, "superseded by a fresh quote");
    expect(l.list()[0]).toMatchObject({ status: "void", reason: "superseded by a fresh quote", signed_at: T0 });
    expect(l.spent({ session: "s1" })).toBe(10_000n);
    expect(l.reserve(reservation(T0 + 23 * 60 * MIN, { dayLimit: 15_000n }))).toEqual({ ok: false, limit: "day", spent: 10_000n });
    l.db.close();
  });

  test("a ledger-002 database is rebuilt with its rows, ids and indexes; quotes are kept per url, model and network", () => {
    const file = dbFile();
    const db = openDb(file);
    migrate(db, LEDGER_MIGRATIONS.slice(0, 2));
    db.query(
      `INSERT INTO payments (id, created_at, session, url, network, asset, pay_to, payer, amount, nonce, status, updated_at, signed_at, valid_until)
       VALUES (7, ?, 's1', 'u', 'eip155:8453', '0xusdc', '0xpay', '0xme', 10000, '0x07', 'failed', ?, ?, ?)`,
    ).run(T0, T0, T0, T0 + MIN);
    db.close();
    const l = open(file);
    expect(l.list().map((x) => [x.id, x.status, x.amount, x.signed_at])).toEqual([[7, "failed", 10_000n, T0]]);
    const r = l.reserve(reservation(T0));
    expect(r).toEqual({ ok: true, id: 8 }); // AUTOINCREMENT carried over
    expect(() => l.reserve(reservation(T0, { nonce: "0x07" }))).toThrow(); // the unique nonce index too
    const key = { url: "u", model: "m", network: "eip155:8453" };
    expect(l.quote(key)).toBeUndefined();
    l.learn(key, { x402Version: 2, accepts: [] }, 1000n, T0);
    l.quoteMissed(key, T0 + 1, T0 - 60 * MIN);
    l.learn(key, { x402Version: 2, accepts: [{ a: 1 }] }, 900n, T0 + 2);
    expect(l.quote(key)).toEqual({
      doc: { x402Version: 2, accepts: [{ a: 1 }] },
      fee: 900n,
      learnedAt: T0 + 2,
      misses: 1,
      missedAt: T0 + 1,
    });
    l.quoteMissed(key, T0 + 3, T0 - 60 * MIN);
    expect(l.quote(key)).toMatchObject({ misses: 2, missedAt: T0 + 3 });
    // A miss after the window closed starts the count again.
    l.quoteMissed(key, T0 + 61 * MIN, T0 + MIN);
    expect(l.quote(key)).toMatchObject({ misses: 1, missedAt: T0 + 61 * MIN });
    expect(l.quote({ ...key, model: "other" })).toBeUndefined();
    l.db.close();
  });
});

describe("a database from before ledger-002", () => {
  /** A runcode.db as the previous version left it: ledger-001 only, with a row of each kind. */
  function oldDb(file: string, at: number) {
    const db = openDb(file);
    migrate(db, LEDGER_MIGRATIONS.slice(0, 1));
    const insert = db.query(
      `INSERT INTO payments (created_at, session, model, url, network, asset, pay_to, payer, amount, nonce, status, reason, updated_at)
       VALUES (?, 'old', 'm', 'u', 'eip155:8453', '0xusdc', '0xpay', '0xme', 10000, ?, ?, ?, ?)`,
    );
    insert.run(at, "0x01", "settled", null, at);
    insert.run(at, "0x02", "failed", "gateway answered 500; a failed request is not charged", at);
    insert.run(at, "0x03", "failed", "signing failed", at);
    db.close();
  }

  test("opens, migrates and keeps working; its failed signatures count, except those that failed while signing", () => {
    const file = dbFile();
    const at = Date.now() - MIN;
    oldDb(file, at);
    const l = open(file);
    expect(l.list().map((x) => [x.status, x.signed_at, x.valid_until])).toEqual([
      ["settled", at, at + 900_000],
      ["failed", at, at + 900_000],
      ["failed", null, null],
    ]);
    // settled + the failed one (it was signed); not the one that failed while signing.
    expect(l.spent({ session: "old" })).toBe(20_000n);
    const r = l.reserve(reservation(Date.now()));
    expect(r.ok).toBe(true);
    l.db.close();
    const names = (() => {
      const db = openDb(file);
      const n = db
        .query<{ name: string }, []>("SELECT name FROM migrations ORDER BY name")
        .all()
        .map((x) => x.name);
      db.close();
      return n;
    })();
    expect(names).toEqual(["ledger-001-payments", "ledger-002-signed-window", "ledger-003-presigned"]);
  });

  test("the store opens it too (sessions and stats migrations after the ledger's)", () => {
    const home = tempDir("runcode-ledger-");
    dirs.push(home);
    oldDb(paths(home).db, Date.now());
    const store = openStore({ home, warn: () => {} });
    const names = store.db
      .query<{ name: string }, []>("SELECT name FROM migrations ORDER BY name")
      .all()
      .map((x) => x.name);
    store.close();
    expect(names).toContain("ledger-002-signed-window");
    expect(names).toContain("store-003-requests");
    const reopened = openStore({ home, warn: () => {} });
    const l = new Ledger(reopened.db);
    expect(l.list()).toHaveLength(3);
    expect(l.reserve(reservation(Date.now())).ok).toBe(true);
    reopened.close();
  });
});

describe("on the store's connection", () => {
  test("the ledger writes through the connection the store opened, leaves its NORMAL sync as found, and never closes it", () => {
    const home = tempDir("runcode-ledger-");
    dirs.push(home);
    const store = openStore({ home, warn: () => {} });
    const sync = () => Number(store.db.query<{ synchronous: bigint }, []>("PRAGMA synchronous").get()!.synchronous);
    expect(sync()).toBe(1); // NORMAL, for transcripts
    const l = new Ledger(store.db);
    const r = l.reserve(reservation(T0));
    if (!r.ok) throw new Error("refused");
    l.signed(r.id, { at: T0 + 1, validUntil: T0 + MIN });
    l.settle(r.id, T0 + 2, "0xtx");
    expect(sync()).toBe(1);
    expect(l.list().map((x) => [x.status, x.created_at, x.signed_at, x.tx])).toEqual([["settled", T0, T0 + 1, "0xtx"]]);
    // The store still works: the ledger did not take the connection away.
    expect(store.db.query("SELECT COUNT(*) AS n FROM sessions").get()).toEqual({ n: 0n });
    store.close();
  });
});
