// The embedded team store: team.db next to the wallet, WAL, every write one IMMEDIATE transaction (so the CLI on the
// same machine and the server never interleave), schema changes as named migrations. `synchronous = NORMAL`: a
// commit survives kill -9 of the server; only a power cut can lose the last commits (the payment ledger in
// runcode.db, which is what money is reconciled from, is fsynced at every commit).
import type { Database, SQLQueryBindings } from "bun:sqlite";
import { migrate, openDb, type Migration } from "../store/db";
import { AUDIT_COLUMNS, auditValues, GENESIS, recordHash } from "./audit";
import {
  DuplicateDeveloper,
  NotEmpty,
  type AuditEntry,
  type AuditFilter,
  type AuditRecord,
  type Developer,
  type Open,
  type Period,
  type Reservation,
  type Reserved,
  type TeamDump,
  type TeamStore,
} from "./store";

export const TEAM_MIGRATIONS: readonly Migration[] = [
  {
    name: "team-001",
    sql: `CREATE TABLE team_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at INTEGER NOT NULL);
    CREATE TABLE developers (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      email TEXT NOT NULL UNIQUE COLLATE NOCASE,
      token_hash TEXT NOT NULL UNIQUE,      -- SHA-256 of the token, hex; the token itself is never stored
      budget INTEGER,                       -- atomic USDC per period; NULL = none of their own
      period TEXT NOT NULL CHECK (period IN ('day', 'week', 'month')),
      created_at INTEGER NOT NULL,
      token_at INTEGER NOT NULL,
      revoked_at INTEGER
    );
    CREATE TABLE reservations (
      request TEXT NOT NULL,                -- the server's id for the request
      payment INTEGER NOT NULL,             -- the ledger row in the server's runcode.db
      developer INTEGER NOT NULL REFERENCES developers (id),
      amount INTEGER NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('pending', 'settled', 'released')),
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      PRIMARY KEY (request, payment)
    );
    CREATE INDEX reservations_developer ON reservations (developer, created_at) WHERE status <> 'released';
    CREATE INDEX reservations_created ON reservations (created_at);
    CREATE TABLE audit (
      seq INTEGER PRIMARY KEY,              -- 1, 2, 3… with no gaps: a gap is a deleted record
      at INTEGER NOT NULL,
      request TEXT NOT NULL,
      developer TEXT,
      client TEXT,
      method TEXT NOT NULL,
      path TEXT NOT NULL,
      model_asked TEXT,
      model_served TEXT,
      input INTEGER NOT NULL,
      output INTEGER NOT NULL,
      amount INTEGER NOT NULL,
      status INTEGER NOT NULL,
      latency_ms REAL NOT NULL,
      body_sha256 TEXT,
      note TEXT,
      prompt TEXT,
      prev TEXT NOT NULL,
      hash TEXT NOT NULL
    );
    CREATE INDEX audit_at ON audit (at);
    CREATE INDEX audit_request ON audit (request);
    CREATE INDEX audit_developer ON audit (developer, at);`,
  },
  {
    // Several servers (one wallet): which server's ledger a reservation's payment is in, its nonce (unique across
    // servers), and when its authorization expires (the sweep settles what a dead server left pending).
    name: "team-002-servers",
    sql: `ALTER TABLE reservations ADD COLUMN server TEXT NOT NULL DEFAULT '';
    ALTER TABLE reservations ADD COLUMN nonce TEXT;
    ALTER TABLE reservations ADD COLUMN expires INTEGER NOT NULL DEFAULT 0;
    CREATE UNIQUE INDEX reservations_nonce ON reservations (nonce) WHERE nonce IS NOT NULL;
    CREATE INDEX reservations_pending ON reservations (expires) WHERE status = 'pending';`,
  },
];

const INSERT_AUDIT = `INSERT INTO audit (${AUDIT_COLUMNS}) VALUES (${AUDIT_COLUMNS.split(",")
  .map(() => "?")
  .join(", ")})`;

type DevRow = {
  id: bigint;
  email: string;
  budget: bigint | null;
  period: Period;
  created_at: bigint;
  token_at: bigint;
  revoked_at: bigint | null;
};
const developer = (r: DevRow): Developer => ({
  id: Number(r.id),
  email: r.email,
  budget: r.budget === null ? null : BigInt(r.budget),
  period: r.period,
  createdAt: Number(r.created_at),
  tokenAt: Number(r.token_at),
  revokedAt: r.revoked_at === null ? null : Number(r.revoked_at),
});

type AuditRow = {
  seq: bigint;
  at: bigint;
  request: string;
  developer: string | null;
  client: string | null;
  method: string;
  path: string;
  model_asked: string | null;
  model_served: string | null;
  input: bigint;
  output: bigint;
  amount: bigint;
  status: bigint;
  latency_ms: number;
  body_sha256: string | null;
  note: string | null;
  prompt: string | null;
  prev: string;
  hash: string;
};
const record = (r: AuditRow): AuditRecord => ({
  seq: Number(r.seq),
  at: Number(r.at),
  request: r.request,
  developer: r.developer,
  client: r.client,
  method: r.method,
  path: r.path,
  modelAsked: r.model_asked,
  modelServed: r.model_served,
  input: Number(r.input),
  output: Number(r.output),
  amount: BigInt(r.amount),
  status: Number(r.status),
  latencyMs: Number(r.latency_ms),
  bodySha256: r.body_sha256,
  note: r.note,
  prompt: r.prompt,
  prev: r.prev,
  hash: r.hash,
});

type OpenRow = {
  request: string;
  payment: bigint;
  developer: bigint;
  amount: bigint;
  status: Open["status"];
  created_at: bigint;
  audited: bigint;
};
const open = (r: OpenRow): Open => ({
  request: r.request,
  payment: Number(r.payment),
  developer: Number(r.developer),
  amount: BigInt(r.amount),
  status: r.status,
  createdAt: Number(r.created_at),
  audited: Number(r.audited) === 1,
});

export class SqliteTeamStore implements TeamStore {
  private constructor(
    readonly db: Database,
    readonly where: string,
  ) {}

  /** Opens (creating and migrating) the team database at `file`, 0600. */
  static open(file: string): SqliteTeamStore {
    const db = openDb(file);
    db.exec("PRAGMA synchronous = NORMAL");
    db.exec("PRAGMA foreign_keys = ON");
    migrate(db, TEAM_MIGRATIONS);
    return new SqliteTeamStore(db, file);
  }

  private tx<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  async adminHash() {
    return this.db.query<{ value: string }, [string]>("SELECT value FROM team_meta WHERE key = ?").get("admin_token_sha256")?.value;
  }

  async setAdminHash(hash: string, now: number) {
    this.db
      .query(
        "INSERT INTO team_meta (key, value, updated_at) VALUES ('admin_token_sha256', ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
      )
      .run(hash, now);
  }

  async addDeveloper(d: { email: string; tokenHash: string; budget: bigint | null; period: Period; now: number }) {
    return this.tx(() => {
      if (this.db.query("SELECT 1 FROM developers WHERE email = ?").get(d.email)) throw new DuplicateDeveloper(d.email);
      const row = this.db
        .query<DevRow, [string, string, bigint | null, string, number, number]>(
          "INSERT INTO developers (email, token_hash, budget, period, created_at, token_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING *",
        )
        .get(d.email, d.tokenHash, d.budget, d.period, d.now, d.now)!;
      return developer(row);
    });
  }

  async developer(email: string) {
    const r = this.db.query<DevRow, [string]>("SELECT * FROM developers WHERE email = ?").get(email);
    return r ? developer(r) : undefined;
  }

  async developers() {
    return this.db.query<DevRow, []>("SELECT * FROM developers ORDER BY email").all().map(developer);
  }

  async byToken(hash: string) {
    const r = this.db.query<DevRow, [string]>("SELECT * FROM developers WHERE token_hash = ? AND revoked_at IS NULL").get(hash);
    return r ? developer(r) : undefined;
  }

  async setBudget(email: string, budget: bigint | null, period: Period) {
    return this.db.query("UPDATE developers SET budget = ?, period = ? WHERE email = ?").run(budget, period, email).changes > 0;
  }

  async setToken(email: string, hash: string, now: number) {
    return (
      this.db.query("UPDATE developers SET token_hash = ?, token_at = ?, revoked_at = NULL WHERE email = ?").run(hash, now, email).changes >
      0
    );
  }

  async revoke(email: string, now: number) {
    return this.db.query("UPDATE developers SET revoked_at = ? WHERE email = ? AND revoked_at IS NULL").run(now, email).changes > 0;
  }

  async spent(developer: number, since: number) {
    return this.sum(developer, since);
  }

  private sum(developer: number, since: number): bigint {
    const row = this.db
      .query<{ s: bigint }, [number, number]>(
        "SELECT COALESCE(SUM(amount), 0) AS s FROM reservations WHERE developer = ? AND created_at >= ? AND status <> 'released'",
      )
      .get(developer, since);
    return BigInt(row?.s ?? 0n);
  }

  async reserve(r: Reservation): Promise<Reserved> {
    return this.tx((): Reserved => {
      const dev = this.db.query<{ budget: bigint | null }, [number]>("SELECT budget FROM developers WHERE id = ?").get(r.developer);
      const budget = dev?.budget === null || dev?.budget === undefined ? null : BigInt(dev.budget);
      if (budget !== null) {
        const spent = this.sum(r.developer, r.since);
        if (spent + r.amount > budget) return { ok: false, spent, budget };
      }
      this.db
        .query(
          `INSERT INTO reservations (request, payment, developer, amount, status, created_at, updated_at, server, nonce, expires)
           VALUES (?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?)`,
        )
        .run(r.request, r.payment, r.developer, r.amount, r.now, r.now, r.server, r.nonce, r.expires);
      return { ok: true };
    });
  }

  async settle(request: string, payment: number, now: number) {
    this.db
      .query("UPDATE reservations SET status = 'settled', updated_at = ? WHERE request = ? AND payment = ? AND status = 'pending'")
      .run(now, request, payment);
  }

  async release(request: string, payment: number, now: number) {
    this.db
      .query("UPDATE reservations SET status = 'released', updated_at = ? WHERE request = ? AND payment = ? AND status = 'pending'")
      .run(now, request, payment);
  }

  async unfinished(server: string, since: number): Promise<Open[]> {
    return this.db
      .query<OpenRow, [string, number]>(
        `SELECT r.request, r.payment, r.developer, r.amount, r.status, r.created_at,
           EXISTS (SELECT 1 FROM audit a WHERE a.request = r.request) AS audited
         FROM reservations r WHERE r.server = ? AND r.created_at >= ?
           AND (r.status = 'pending' OR NOT EXISTS (SELECT 1 FROM audit a WHERE a.request = r.request))
         ORDER BY r.created_at`,
      )
      .all(server, since)
      .map(open);
  }

  async sweep(before: number, now: number): Promise<Open[]> {
    return this.tx(() => {
      const rows = this.db
        .query<OpenRow, [number]>(
          `SELECT r.request, r.payment, r.developer, r.amount, r.status, r.created_at,
             EXISTS (SELECT 1 FROM audit a WHERE a.request = r.request) AS audited
           FROM reservations r WHERE r.status = 'pending' AND r.expires < ? ORDER BY r.created_at`,
        )
        .all(before)
        .map(open);
      const settle = this.db.query("UPDATE reservations SET status = 'settled', updated_at = ? WHERE request = ? AND payment = ?");
      for (const r of rows) settle.run(now, r.request, r.payment);
      return rows.map((r) => ({ ...r, status: "settled" as const }));
    });
  }

  async append(e: AuditEntry): Promise<AuditRecord> {
    return this.tx(() => {
      const last = this.db.query<{ seq: bigint; hash: string }, []>("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").get();
      const seq = last ? Number(last.seq) + 1 : 1;
      const prev = last?.hash ?? GENESIS;
      const hash = recordHash(seq, prev, e);
      const r: AuditRecord = { ...e, seq, prev, hash };
      this.db.query(INSERT_AUDIT).run(...(auditValues(r) as SQLQueryBindings[]));
      return r;
    });
  }

  async audited(request: string) {
    return !!this.db.query("SELECT 1 FROM audit WHERE request = ? LIMIT 1").get(request);
  }

  async audit(f: AuditFilter = {}) {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (f.since !== undefined) {
      where.push("at >= ?");
      args.push(f.since);
    }
    if (f.developer !== undefined) {
      where.push("developer = ? COLLATE NOCASE");
      args.push(f.developer);
    }
    const sql = `SELECT * FROM audit ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY seq${f.limit ? ` LIMIT ${Math.floor(f.limit)}` : ""}`;
    return this.db
      .query<AuditRow, (string | number)[]>(sql)
      .all(...args)
      .map(record);
  }

  async dump(): Promise<TeamDump> {
    const meta = this.db
      .query<{ key: string; value: string; updated_at: bigint }, []>("SELECT * FROM team_meta ORDER BY key")
      .all()
      .map((r) => ({ key: r.key, value: r.value, updatedAt: Number(r.updated_at) }));
    const developers = this.db
      .query<DevRow & { token_hash: string }, []>("SELECT * FROM developers ORDER BY id")
      .all()
      .map((r) => ({ ...developer(r), tokenHash: r.token_hash }));
    const reservations = this.db
      .query<OpenRow & { server: string; nonce: string | null; expires: bigint; updated_at: bigint }, []>(
        `SELECT r.*, EXISTS (SELECT 1 FROM audit a WHERE a.request = r.request) AS audited FROM reservations r ORDER BY created_at, request, payment`,
      )
      .all()
      .map((r) => ({ ...open(r), server: r.server, nonce: r.nonce, expires: Number(r.expires), updatedAt: Number(r.updated_at) }));
    return { meta, developers, reservations, audit: await this.audit() };
  }

  async load(d: TeamDump) {
    this.tx(() => {
      const any = this.db
        .query("SELECT (SELECT COUNT(*) FROM developers) + (SELECT COUNT(*) FROM audit) + (SELECT COUNT(*) FROM reservations) AS n")
        .get() as { n: bigint };
      if (Number(any.n) > 0) throw new NotEmpty(this.where);
      for (const m of d.meta)
        this.db.query("INSERT OR REPLACE INTO team_meta (key, value, updated_at) VALUES (?, ?, ?)").run(m.key, m.value, m.updatedAt);
      const dev = this.db.query(
        "INSERT INTO developers (id, email, token_hash, budget, period, created_at, token_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      );
      for (const x of d.developers) dev.run(x.id, x.email, x.tokenHash, x.budget, x.period, x.createdAt, x.tokenAt, x.revokedAt);
      const res = this.db.query(
        `INSERT INTO reservations (request, payment, developer, amount, status, created_at, updated_at, server, nonce, expires)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const r of d.reservations)
        res.run(r.request, r.payment, r.developer, r.amount, r.status, r.createdAt, r.updatedAt, r.server, r.nonce, r.expires);
      const audit = this.db.query(INSERT_AUDIT);
      for (const e of d.audit) audit.run(...(auditValues(e) as SQLQueryBindings[]));
    });
  }

  async close() {
    this.db.close();
  }
}
