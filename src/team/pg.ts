// The team store on PostgreSQL, for several `runcode team serve` behind a load balancer: the same interface and the
// same results as src/team/sqlite.ts, through Bun's built-in client (`Bun.sql`: a connection pool, no dependency).
// What several servers need from it:
// - A developer's check-and-reserve takes that developer's row lock (SELECT … FOR UPDATE) before it sums the
//   period, so two servers reserving for one developer at once are serialised and never overspend.
// - Audit appends take one transaction-scoped advisory lock: the chain stays one chain, whichever server appends.
// - A payment nonce is unique across all servers (an index), so no two servers can hold the same authorization.
// - A lost connection (the database restarted, a failover) is retried on a fresh connection a few times; past that
//   the operation fails with StoreUnavailable, which the server answers with a 503 and nothing is paid. Writes are
//   safe to retry: a reservation and an audit record are keyed by their request, so a retry after a commit whose
//   acknowledgement was lost finds its own row instead of writing a second.
import type { SQL as Sql } from "bun";
import { AUDIT_COLUMNS, auditValues, GENESIS, recordHash } from "./audit";
import {
  DuplicateDeveloper,
  NotEmpty,
  StoreUnavailable,
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

/** Named, append-only schema steps, applied under an advisory lock so servers starting together apply each once. */
export const PG_MIGRATIONS: readonly { name: string; sql: string }[] = [
  {
    name: "team-001",
    sql: `CREATE TABLE team_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at BIGINT NOT NULL);
    CREATE TABLE developers (
      id BIGSERIAL PRIMARY KEY,
      email TEXT NOT NULL,
      token_hash TEXT NOT NULL UNIQUE,
      budget BIGINT,
      period TEXT NOT NULL CHECK (period IN ('day', 'week', 'month')),
      created_at BIGINT NOT NULL,
      token_at BIGINT NOT NULL,
      revoked_at BIGINT
    );
    CREATE UNIQUE INDEX developers_email ON developers (lower(email));
    CREATE TABLE reservations (
      request TEXT NOT NULL,
      payment BIGINT NOT NULL,
      developer BIGINT NOT NULL REFERENCES developers (id),
      amount BIGINT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('pending', 'settled', 'released')),
      created_at BIGINT NOT NULL,
      updated_at BIGINT NOT NULL,
      server TEXT NOT NULL DEFAULT '',
      nonce TEXT,
      expires BIGINT NOT NULL DEFAULT 0,
      PRIMARY KEY (request, payment)
    );
    CREATE INDEX reservations_developer ON reservations (developer, created_at) WHERE status <> 'released';
    CREATE INDEX reservations_created ON reservations (created_at);
    CREATE UNIQUE INDEX reservations_nonce ON reservations (nonce) WHERE nonce IS NOT NULL;
    CREATE INDEX reservations_pending ON reservations (expires) WHERE status = 'pending';
    CREATE TABLE audit (
      seq BIGINT PRIMARY KEY,
      at BIGINT NOT NULL,
      request TEXT NOT NULL,
      developer TEXT,
      client TEXT,
      method TEXT NOT NULL,
      path TEXT NOT NULL,
      model_asked TEXT,
      model_served TEXT,
      input BIGINT NOT NULL,
      output BIGINT NOT NULL,
      amount BIGINT NOT NULL,
      status INTEGER NOT NULL,
      latency_ms DOUBLE PRECISION NOT NULL,
      body_sha256 TEXT,
      note TEXT,
      prompt TEXT,
      prev TEXT NOT NULL,
      hash TEXT NOT NULL
    );
    CREATE INDEX audit_at ON audit (at);
    CREATE UNIQUE INDEX audit_request ON audit (request);
    CREATE INDEX audit_developer ON audit (lower(developer), at);`,
  },
];

const INSERT_AUDIT = `INSERT INTO audit (${AUDIT_COLUMNS}) VALUES (${AUDIT_COLUMNS.split(",")
  .map((_, i) => `$${i + 1}`)
  .join(", ")})`;

/** Advisory lock keys (one namespace: runcode's team store). */
const LOCK = { migrate: 0x72630001, audit: 0x72630002 } as const;

type Row = Record<string, unknown>;
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const big = (v: unknown) => BigInt(v as bigint | number | string);

const developer = (r: Row): Developer => ({
  id: Number(r.id),
  email: String(r.email),
  budget: r.budget === null ? null : big(r.budget),
  period: r.period as Period,
  createdAt: Number(r.created_at),
  tokenAt: Number(r.token_at),
  revokedAt: num(r.revoked_at),
});

const record = (r: Row): AuditRecord => ({
  seq: Number(r.seq),
  at: Number(r.at),
  request: String(r.request),
  developer: (r.developer as string | null) ?? null,
  client: (r.client as string | null) ?? null,
  method: String(r.method),
  path: String(r.path),
  modelAsked: (r.model_asked as string | null) ?? null,
  modelServed: (r.model_served as string | null) ?? null,
  input: Number(r.input),
  output: Number(r.output),
  amount: big(r.amount),
  status: Number(r.status),
  latencyMs: Number(r.latency_ms),
  bodySha256: (r.body_sha256 as string | null) ?? null,
  note: (r.note as string | null) ?? null,
  prompt: (r.prompt as string | null) ?? null,
  prev: String(r.prev),
  hash: String(r.hash),
});

const open = (r: Row): Open => ({
  request: String(r.request),
  payment: Number(r.payment),
  developer: Number(r.developer),
  amount: big(r.amount),
  status: r.status as Open["status"],
  createdAt: Number(r.created_at),
  audited: r.audited === true,
});

/** A connection-level failure: worth a fresh connection, and after a few of those, "unavailable". */
function lostConnection(err: unknown): boolean {
  const e = err as { code?: string; errno?: string };
  if (typeof e?.code === "string" && /^ERR_POSTGRES_(CONNECTION|SOCKET|TLS)/.test(e.code)) return true;
  if (typeof e?.code === "string" && /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE)$/.test(e.code)) return true;
  // SQLSTATE 08 (connection exception), 57P01-57P03 (admin shutdown, crash shutdown, cannot connect now).
  return typeof e?.errno === "string" && (/^08/.test(e.errno) || /^57P0[1-3]$/.test(e.errno));
}

/** The URL without its password, for messages and `where`. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "postgres://…";
  }
}

export class PgTeamStore implements TeamStore {
  private constructor(
    private readonly sql: Sql,
    readonly where: string,
    private readonly max: number,
  ) {}

  /** Connects (pooled), creates or migrates the schema. */
  static async open(url: string, o: { max?: number } = {}): Promise<PgTeamStore> {
    const { SQL } = await import("bun");
    const max = o.max ?? 10;
    const sql = new SQL(url, { max, bigint: true, idleTimeout: 30, connectionTimeout: 5, onnotice: () => {} } as never);
    const store = new PgTeamStore(sql, displayUrl(url), max);
    await store.run(async () => {
      await sql.begin(async (tx) => {
        await tx`SELECT pg_advisory_xact_lock(${LOCK.migrate})`;
        await tx.unsafe("CREATE TABLE IF NOT EXISTS team_migrations (name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)");
        for (const step of PG_MIGRATIONS) {
          const [done] = await tx`SELECT 1 FROM team_migrations WHERE name = ${step.name}`;
          if (done) continue;
          await tx.unsafe(step.sql);
          await tx`INSERT INTO team_migrations (name, applied_at) VALUES (${step.name}, ${Date.now()})`;
        }
      });
    });
    return store;
  }

  /**
   * Runs `fn`, again on another connection when the one it had was lost; StoreUnavailable once the server itself
   * cannot be reached a few times in a row. After a database restart every idle connection in the pool is dead and
   * fails once, at once: those are retried without waiting (up to the pool's size); a refused or timed-out connect
   * waits a little longer each time.
   */
  private async run<T>(fn: () => Promise<T>): Promise<T> {
    let unreachable = 0;
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        if (!lostConnection(err)) throw err;
        const refused = /REFUSED|TIMEOUT|ECONNREFUSED|ETIMEDOUT|57P03/.test(
          `${(err as { code?: string }).code} ${(err as { errno?: string }).errno}`,
        );
        if (refused) unreachable++;
        if (unreachable > 3 || attempt > this.max + 3) throw new StoreUnavailable(err instanceof Error ? err.message : String(err));
        if (refused) await Bun.sleep(50 * 2 ** unreachable);
      }
    }
  }

  private rows(q: (sql: Sql) => Promise<unknown>): Promise<Row[]> {
    return this.run(async () => (await q(this.sql)) as Row[]);
  }

  async adminHash() {
    const [r] = await this.rows((s) => s`SELECT value FROM team_meta WHERE key = 'admin_token_sha256'`);
    return r ? String(r.value) : undefined;
  }

  async setAdminHash(hash: string, now: number) {
    await this.rows(
      (s) =>
        s`INSERT INTO team_meta (key, value, updated_at) VALUES ('admin_token_sha256', ${hash}, ${now})
          ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    );
  }

  async addDeveloper(d: { email: string; tokenHash: string; budget: bigint | null; period: Period; now: number }) {
    try {
      const [r] = await this.rows(
        (s) => s`INSERT INTO developers (email, token_hash, budget, period, created_at, token_at)
          VALUES (${d.email}, ${d.tokenHash}, ${d.budget}, ${d.period}, ${d.now}, ${d.now}) RETURNING *`,
      );
      return developer(r!);
    } catch (err) {
      if ((err as { errno?: string }).errno === "23505") throw new DuplicateDeveloper(d.email);
      throw err;
    }
  }

  async developer(email: string) {
    const [r] = await this.rows((s) => s`SELECT * FROM developers WHERE lower(email) = lower(${email})`);
    return r ? developer(r) : undefined;
  }

  async developers() {
    return (await this.rows((s) => s`SELECT * FROM developers ORDER BY email`)).map(developer);
  }

  async byToken(hash: string) {
    const [r] = await this.rows((s) => s`SELECT * FROM developers WHERE token_hash = ${hash} AND revoked_at IS NULL`);
    return r ? developer(r) : undefined;
  }

  async setBudget(email: string, budget: bigint | null, period: Period) {
    const r = await this.rows(
      (s) => s`UPDATE developers SET budget = ${budget}, period = ${period} WHERE lower(email) = lower(${email}) RETURNING id`,
    );
    return r.length > 0;
  }

  async setToken(email: string, hash: string, now: number) {
    const r = await this.rows(
      (s) =>
        s`UPDATE developers SET token_hash = ${hash}, token_at = ${now}, revoked_at = NULL WHERE lower(email) = lower(${email}) RETURNING id`,
    );
    return r.length > 0;
  }

  async revoke(email: string, now: number) {
    const r = await this.rows(
      (s) => s`UPDATE developers SET revoked_at = ${now} WHERE lower(email) = lower(${email}) AND revoked_at IS NULL RETURNING id`,
    );
    return r.length > 0;
  }

  async spent(developer: number, since: number) {
    const [r] = await this.rows(
      (s) =>
        s`SELECT COALESCE(SUM(amount), 0) AS s FROM reservations WHERE developer = ${developer} AND created_at >= ${since} AND status <> 'released'`,
    );
    return big(r!.s);
  }

  async reserve(r: Reservation): Promise<Reserved> {
    return this.run(() =>
      this.sql.begin(async (tx): Promise<Reserved> => {
        // The developer's row lock: every other reservation for them (on any server) waits here until this commits.
        const [dev] = (await tx`SELECT budget FROM developers WHERE id = ${r.developer} FOR UPDATE`) as Row[];
        // A retry after a commit whose acknowledgement was lost: the reservation is already there.
        const [mine] = (await tx`SELECT 1 FROM reservations WHERE request = ${r.request} AND payment = ${r.payment}`) as Row[];
        if (mine) return { ok: true };
        const budget = dev?.budget === null || dev?.budget === undefined ? null : big(dev.budget);
        if (budget !== null) {
          const [s] = (await tx`SELECT COALESCE(SUM(amount), 0) AS s FROM reservations
            WHERE developer = ${r.developer} AND created_at >= ${r.since} AND status <> 'released'`) as Row[];
          const spent = big(s!.s);
          if (spent + r.amount > budget) return { ok: false, spent, budget };
        }
        await tx`INSERT INTO reservations (request, payment, developer, amount, status, created_at, updated_at, server, nonce, expires)
          VALUES (${r.request}, ${r.payment}, ${r.developer}, ${r.amount}, 'pending', ${r.now}, ${r.now}, ${r.server}, ${r.nonce}, ${r.expires})`;
        return { ok: true };
      }),
    );
  }

  async settle(request: string, payment: number, now: number) {
    await this.rows(
      (s) =>
        s`UPDATE reservations SET status = 'settled', updated_at = ${now} WHERE request = ${request} AND payment = ${payment} AND status = 'pending'`,
    );
  }

  async release(request: string, payment: number, now: number) {
    await this.rows(
      (s) =>
        s`UPDATE reservations SET status = 'released', updated_at = ${now} WHERE request = ${request} AND payment = ${payment} AND status = 'pending'`,
    );
  }

  async unfinished(server: string, since: number): Promise<Open[]> {
    const rows = await this.rows(
      (s) => s`SELECT r.request, r.payment, r.developer, r.amount, r.status, r.created_at,
          EXISTS (SELECT 1 FROM audit a WHERE a.request = r.request) AS audited
        FROM reservations r WHERE r.server = ${server} AND r.created_at >= ${since}
          AND (r.status = 'pending' OR NOT EXISTS (SELECT 1 FROM audit a WHERE a.request = r.request))
        ORDER BY r.created_at`,
    );
    return rows.map(open);
  }

  async sweep(before: number, now: number): Promise<Open[]> {
    const rows = await this.rows(
      (s) => s`UPDATE reservations r SET status = 'settled', updated_at = ${now}
        WHERE r.status = 'pending' AND r.expires < ${before}
        RETURNING r.request, r.payment, r.developer, r.amount, r.status, r.created_at,
          EXISTS (SELECT 1 FROM audit a WHERE a.request = r.request) AS audited`,
    );
    return rows.map(open).sort((a, b) => a.createdAt - b.createdAt);
  }

  async append(e: AuditEntry): Promise<AuditRecord> {
    return this.run(() =>
      this.sql.begin(async (tx) => {
        await tx`SELECT pg_advisory_xact_lock(${LOCK.audit})`;
        const [again] = (await tx`SELECT * FROM audit WHERE request = ${e.request}`) as Row[];
        if (again) return record(again); // a retry after a commit whose acknowledgement was lost
        const [last] = (await tx`SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1`) as Row[];
        const seq = last ? Number(last.seq) + 1 : 1;
        const prev = last ? String(last.hash) : GENESIS;
        const hash = recordHash(seq, prev, e);
        const r: AuditRecord = { ...e, seq, prev, hash };
        await tx.unsafe(INSERT_AUDIT, auditValues(r));
        return r;
      }),
    );
  }

  async audited(request: string) {
    return (await this.rows((s) => s`SELECT 1 FROM audit WHERE request = ${request} LIMIT 1`)).length > 0;
  }

  async audit(f: AuditFilter = {}) {
    const since = f.since ?? null;
    const dev = f.developer ?? null;
    const limit = f.limit ? Math.floor(f.limit) : null;
    const rows = await this.rows(
      (s) => s`SELECT * FROM audit WHERE (${since}::bigint IS NULL OR at >= ${since}::bigint)
        AND (${dev}::text IS NULL OR lower(developer) = lower(${dev}::text)) ORDER BY seq LIMIT ${limit}`,
    );
    return rows.map(record);
  }

  async dump(): Promise<TeamDump> {
    const meta = (await this.rows((s) => s`SELECT * FROM team_meta ORDER BY key`)).map((r) => ({
      key: String(r.key),
      value: String(r.value),
      updatedAt: Number(r.updated_at),
    }));
    const developers = (await this.rows((s) => s`SELECT * FROM developers ORDER BY id`)).map((r) => ({
      ...developer(r),
      tokenHash: String(r.token_hash),
    }));
    const reservations = (
      await this.rows(
        (s) => s`SELECT r.*, EXISTS (SELECT 1 FROM audit a WHERE a.request = r.request) AS audited FROM reservations r
          ORDER BY created_at, request, payment`,
      )
    ).map((r) => ({
      ...open(r),
      server: String(r.server),
      nonce: (r.nonce as string | null) ?? null,
      expires: Number(r.expires),
      updatedAt: Number(r.updated_at),
    }));
    return { meta, developers, reservations, audit: await this.audit() };
  }

  async load(d: TeamDump) {
    await this.run(() =>
      this.sql.begin(async (tx) => {
        const [n] =
          (await tx`SELECT (SELECT COUNT(*) FROM developers) + (SELECT COUNT(*) FROM audit) + (SELECT COUNT(*) FROM reservations) AS n`) as Row[];
        if (Number(n!.n) > 0) throw new NotEmpty(this.where);
        for (const m of d.meta)
          await tx`INSERT INTO team_meta (key, value, updated_at) VALUES (${m.key}, ${m.value}, ${m.updatedAt})
            ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`;
        for (const x of d.developers)
          await tx`INSERT INTO developers (id, email, token_hash, budget, period, created_at, token_at, revoked_at)
            VALUES (${x.id}, ${x.email}, ${x.tokenHash}, ${x.budget}, ${x.period}, ${x.createdAt}, ${x.tokenAt}, ${x.revokedAt})`;
        // The next developer added gets an id after the copied ones.
        await tx`SELECT setval(pg_get_serial_sequence('developers', 'id'), GREATEST((SELECT MAX(id) FROM developers), 1), (SELECT COUNT(*) > 0 FROM developers))`;
        for (const r of d.reservations)
          await tx`INSERT INTO reservations (request, payment, developer, amount, status, created_at, updated_at, server, nonce, expires)
            VALUES (${r.request}, ${r.payment}, ${r.developer}, ${r.amount}, ${r.status}, ${r.createdAt}, ${r.updatedAt}, ${r.server}, ${r.nonce}, ${r.expires})`;
        for (const e of d.audit) await tx.unsafe(INSERT_AUDIT, auditValues(e));
      }),
    );
  }

  /** Rows of a read (the dashboard's SQL, src/team/dashboard.ts), with positional parameters `$1…`. */
  async select(text: string, params: unknown[]): Promise<Row[]> {
    return this.rows((s) => s.unsafe(text, params));
  }

  /** Whether the database answers (for /health). */
  async ping(): Promise<void> {
    await this.rows((s) => s`SELECT 1`);
  }

  async close() {
    await this.sql.close();
  }
}
