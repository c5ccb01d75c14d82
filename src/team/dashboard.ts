// The team server's dashboard (/dashboard, signed in with the admin token): DashboardData over the team store,
// team.db or PostgreSQL. Requests are the audit records of authenticated developers (each request a developer sent,
// served or refused: a record without a developer is a missing or wrong token, shown in the audit log only); their
// spend is the record's amount (atomic USDC, the same unit as micro-USD), their source the developer. Budgets and
// what each developer spent this period come from admin.list, the same figures as `runcode team list`; the chain's
// verdict from admin.verify. A request's payment is the ledger row its reservation names, in this server's
// runcode.db: shown for the reservations this server made (several servers share a store, each its own ledger). The SQL is written once, with `$name` parameters, in what SQLite and PostgreSQL share; a Dialect runs
// it and spells the little that differs. Loaded only when the team server first serves /dashboard.
import type { Database } from "bun:sqlite";
import { dashboardHandler, type DashboardHandler } from "../dashboard/http";
import {
  bucketOf,
  buckets,
  calendar,
  DAY,
  HOUR,
  percentile,
  totals,
  type DashboardData,
  type Filter,
  type RequestRow,
  type Sums,
  type TeamView,
} from "../dashboard/data";
import * as admin from "./admin";
import { PgTeamStore } from "./pg";
import { SqliteTeamStore } from "./sqlite";
import type { TeamStore } from "./store";
import { sameHash, TOKEN_SHAPE, tokenHash } from "./tokens";

type Params = Record<string, number | string | null>;
type Keyed = Sums & { k0: bigint | string | null; k1: bigint | string | null };

const MODEL = "COALESCE(model_served, model_asked)";
// CASE, not a summed comparison: PostgreSQL has no SUM of booleans.
const SUMS = `COUNT(*) AS requests, SUM(CASE WHEN status >= 400 OR status = 0 THEN 1 ELSE 0 END) AS errors,
  SUM(CASE WHEN note LIKE '%→%' THEN 1 ELSE 0 END) AS fallbacks,
  SUM(input) AS input, SUM(output) AS output, 0 AS cr, 0 AS cw, SUM(amount) AS cost, SUM(latency_ms) AS ls, COUNT(*) AS ln`;
const FAR = 2 ** 52;

/** The records of a filter (authenticated developers only unless `all`). */
function where(f: Filter, all = false): [string, Params] {
  const parts = ["at >= $since", "at < $until"];
  const p: Params = { since: f.since ?? 0, until: f.until ?? FAR };
  if (!all) parts.push("developer IS NOT NULL");
  if (f.model) {
    parts.push(`${MODEL} = $model`);
    p.model = f.model;
  }
  if (f.developer) {
    parts.push("developer = $developer");
    p.developer = f.developer;
  }
  return [`WHERE ${parts.join(" AND ")}`, p];
}

const atomic = (s: string) => Number(s.replace(/^(-?)\$/, "$1"));

/** Where the two team stores differ: how a query with `$name` parameters runs, and two spellings. */
type Dialect = {
  all: <T>(text: string, p?: Params) => Promise<T[]>;
  /** The values of a text expression over the rows, joined with commas, in the order of `order`. */
  joined: (e: string, order: string) => string;
  /** LIKE without regard to case: SQLite's LIKE ignores ASCII case, PostgreSQL's does not. */
  like: string;
  /** A text column that sorts by its bytes, as SQLite sorts (PostgreSQL sorts by the database's locale). */
  bytewise: (e: string) => string;
};

function dialect(store: TeamStore): Dialect {
  if (store instanceof SqliteTeamStore) {
    const db = store.db;
    return {
      all: async <T>(text: string, p: Params = {}) => db.query<T, Params>(text).all(p),
      joined: (e) => `group_concat(${e}, ',')`, // in rowid order
      like: "LIKE",
      bytewise: (e) => e,
    };
  }
  if (store instanceof PgTeamStore)
    return {
      // Bun.sql takes positional parameters: each distinct $name becomes $1, $2… in order of first use.
      all: <T>(text: string, p: Params = {}) => {
        const names: string[] = [];
        const positional = text.replace(/\$(\w+)/g, (_, n: string) => {
          if (!names.includes(n)) names.push(n);
          return `$${names.indexOf(n) + 1}`;
        });
        const values = names.map((n) => p[n]);
        return store.select(positional, values) as Promise<T[]>;
      },
      joined: (e, order) => `string_agg(${e}, ',' ORDER BY ${order})`,
      like: "ILIKE",
      bytewise: (e) => `${e} COLLATE "C"`,
    };
  throw new Error(`no dashboard for the team store at ${store.where}`);
}

/** `ledger`: this server's runcode.db; `server`: its id (team_server_id), which its reservations name. */
export function teamDashboard(store: TeamStore, ledger: () => Database, server: string): DashboardHandler {
  const data = teamData(store, ledger, server);
  return dashboardHandler({
    data,
    title: "team",
    async signIn(token) {
      const stored = await store.adminHash();
      return !!stored && token.startsWith("rca_") && TOKEN_SHAPE.test(token) && sameHash(tokenHash(token), stored);
    },
  });
}

/** The data alone (the bench times it without HTTP). */
export function teamData(store: TeamStore, ledger: () => Database, server: string): DashboardData {
  const sql = dialect(store);
  const sums = (f: Filter, keys: [string, string?]) => {
    const [w, p] = where(f);
    return sql.all<Keyed>(`SELECT ${keys[0]} AS k0, ${keys[1] ?? "NULL"} AS k1, ${SUMS} FROM audit ${w} GROUP BY 1, 2 ORDER BY 1, 2`, p);
  };
  const total = async (f: Filter) => totals((await sums(f, ["NULL"]))[0]);
  let verdict: { version: string; at: number; v: TeamView["audit"]["verify"] } | undefined;

  const data: DashboardData = {
    kind: "team",
    async version() {
      const text = (c: string) => `COALESCE(CAST(${c} AS TEXT), '')`;
      const dev = [text("id"), "':'", text("budget"), "period", text("revoked_at"), text("token_at")].join(" || ");
      const [v] = await sql.all<{ a: bigint | null; r: bigint | null; d: string | null }>(
        `SELECT (SELECT MAX(seq) FROM audit) AS a, (SELECT MAX(updated_at) FROM reservations) AS r,
          (SELECT ${sql.joined(dev, "id")} FROM developers) AS d`,
      );
      return `${v?.a ?? 0}:${v?.r ?? 0}:${v?.d ?? ""}`;
    },
    async choices() {
      const models = (
        await sql.all<{ m: string }>(
          `SELECT DISTINCT ${sql.bytewise(MODEL)} AS m FROM audit WHERE developer IS NOT NULL AND ${MODEL} IS NOT NULL ORDER BY 1`,
        )
      ).map((r) => r.m);
      return { models, developers: (await store.developers()).map((d) => d.email) };
    },
    async overview(f, now) {
      const bucket = bucketOf(f, now);
      const size = bucket === "hour" ? HOUR : DAY;
      const rows = await sums(f, [`at / ${size}`]);
      const by = new Map(rows.map((r) => [Number(r.k0) * size, r]));
      const points = buckets(f, now, bucket, rows.length ? Number(rows[0]!.k0) * size : undefined).map((t) => ({
        t,
        usd: Number(by.get(t)?.cost ?? 0) / 1_000_000,
        requests: Number(by.get(t)?.requests ?? 0),
      }));
      const c = calendar(now);
      const period = async (start: number, previous: number) => {
        const cur = await total({ ...f, since: start, until: null });
        const prev = await total({ ...f, since: previous, until: Math.min(start, previous + (now - start)) });
        return { start, usd: cur.usd, requests: cur.requests, previousUsd: prev.usd, previousRequests: prev.requests };
      };
      return {
        totals: await total(f),
        series: { bucket, points },
        periods: {
          today: await period(c.today.start, c.today.previous),
          week: await period(c.week.start, c.week.previous),
          month: await period(c.month.start, c.month.previous),
        },
      };
    },
    async models(f, now) {
      const bucket = bucketOf(f, now);
      const size = bucket === "hour" ? HOUR : DAY;
      const [w, p] = where(f);
      const lat = new Map<string, number[]>();
      for (const { m, ms } of await sql.all<{ m: string | null; ms: number }>(
        `SELECT ${MODEL} AS m, latency_ms AS ms FROM audit ${w}`,
        p,
      )) {
        const list = lat.get(String(m)) ?? [];
        list.push(Math.round(Number(ms)));
        lat.set(String(m), list);
      }
      const models = (await sums(f, [MODEL]))
        .filter((r) => r.k0 !== null)
        .map((r) => {
          const l = (lat.get(String(r.k0)) ?? []).sort((x, y) => x - y);
          return { model: String(r.k0), ...totals(r), p50Ms: percentile(l, 0.5), p95Ms: percentile(l, 0.95) };
        })
        .sort((a, b) => b.usd - a.usd || b.requests - a.requests || a.model.localeCompare(b.model));
      const cells = (await sums(f, [`at / ${size}`, MODEL])).filter((r) => r.k1 !== null);
      const times = buckets(f, now, bucket, cells.length ? Math.min(...cells.map((r) => Number(r.k0))) * size : undefined);
      const index = new Map(times.map((t, i) => [t, i]));
      const usd: Record<string, number[]> = {};
      const requests: Record<string, number[]> = {};
      for (const m of models) {
        usd[m.model] = times.map(() => 0);
        requests[m.model] = times.map(() => 0);
      }
      for (const r of cells) {
        const i = index.get(Number(r.k0) * size);
        if (i === undefined) continue;
        usd[String(r.k1)]![i] = Number(r.cost) / 1_000_000;
        requests[String(r.k1)]![i] = Number(r.requests);
      }
      return { models, bucket, times, usd, requests };
    },
    async requests(f, q) {
      const [w, p] = where(f);
      const search = q.search.trim();
      const like = (c: string) => `${c} ${sql.like} $q ESCAPE '\\'`;
      const match = search
        ? ` AND (${["request", "developer", MODEL, "note", "path"].map(like).join(" OR ")} OR CAST(status AS TEXT) = $exact)`
        : "";
      const params = search ? { ...p, q: `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`, exact: search } : p;
      const [n] = await sql.all<{ n: bigint }>(`SELECT COUNT(*) AS n FROM audit ${w}${match}`, params);
      const rows = await sql.all<AuditRow>(`SELECT * FROM audit ${w}${match} ORDER BY seq DESC LIMIT $limit OFFSET $offset`, {
        ...params,
        limit: q.size,
        offset: q.page * q.size,
      });
      return { total: Number(n!.n), page: q.page, size: q.size, rows: rows.map(row) };
    },
    async request(id) {
      const [r] = await sql.all<AuditRow>("SELECT * FROM audit WHERE request = $id AND developer IS NOT NULL", { id });
      if (!r) return undefined;
      // '': a reservation from before servers were named, made by the one server there was.
      const [res] = await sql.all<{ payment: bigint }>(
        `SELECT payment FROM reservations WHERE request = $id AND status = 'settled' AND server IN ($server, '')
         ORDER BY payment LIMIT 1`,
        { id, server },
      );
      const pay = res
        ? ledger()
            .query<{ network: string; amount: bigint; tx: string | null; status: string; payer: string; pay_to: string }, [number]>(
              "SELECT network, amount, tx, status, payer, pay_to FROM payments WHERE id = ?",
            )
            .get(Number(res.payment))
        : null;
      return {
        ...row(r),
        cacheRead: 0,
        cacheWrite: 0,
        fallback: (r.note ?? "").includes("→"),
        session: null,
        route: null,
        client: r.client,
        payment: pay
          ? {
              network: pay.network,
              amount: String(pay.amount),
              usd: Number(pay.amount) / 1_000_000,
              tx: pay.tx,
              status: pay.status,
              payer: pay.payer,
              payTo: pay.pay_to,
            }
          : null,
      };
    },
    async patterns(f) {
      const requests = Array.from({ length: 7 }, () => Array<number>(24).fill(0));
      const usd = Array.from({ length: 7 }, () => Array<number>(24).fill(0));
      for (const r of await sums(f, [`(at / ${DAY} + 3) % 7`, `(at / ${HOUR}) % 24`])) {
        requests[Number(r.k0)]![Number(r.k1)] = Number(r.requests);
        usd[Number(r.k0)]![Number(r.k1)] = Number(r.cost) / 1_000_000;
      }
      return { requests, usd };
    },
    async team(f, now) {
      const developers = (await admin.list(store, now))
        .filter((d) => !f.developer || d.email === f.developer)
        .map((d) => ({
          email: d.email,
          status: d.status,
          period: d.period,
          budgetUsd: d.budget === null ? null : atomic(d.budget),
          spentUsd: atomic(d.spent),
          leftUsd: d.left === null ? null : atomic(d.left),
          resets: d.resets,
        }));
      const [w, p] = where(f);
      const top = (
        await sql.all<{ developer: string; cost: bigint; n: bigint }>(
          `SELECT ${sql.bytewise("developer")} AS developer, SUM(amount) AS cost, COUNT(*) AS n FROM audit ${w}
           GROUP BY 1 ORDER BY 2 DESC, 3 DESC, 1 LIMIT 10`,
          p,
        )
      ).map((r) => ({ developer: r.developer, usd: Number(r.cost) / 1_000_000, requests: Number(r.n) }));
      const mix = new Map<string, { model: string; usd: number; requests: number }[]>();
      for (const r of await sql.all<{ developer: string; model: string; cost: bigint; n: bigint }>(
        `SELECT ${sql.bytewise("developer")} AS developer, ${sql.bytewise(MODEL)} AS model, SUM(amount) AS cost, COUNT(*) AS n FROM audit ${w} AND ${MODEL} IS NOT NULL
         GROUP BY 1, 2 ORDER BY 1, 4 DESC, 2`,
        p,
      )) {
        const list = mix.get(r.developer) ?? [];
        list.push({ model: r.model, usd: Number(r.cost) / 1_000_000, requests: Number(r.n) });
        mix.set(r.developer, list);
      }
      const [wa, pa] = where(f, true);
      const records = (await sql.all<AuditRow>(`SELECT * FROM audit ${wa} ORDER BY seq DESC LIMIT 50`, pa)).map((r) => ({
        seq: Number(r.seq),
        at: Number(r.at),
        developer: r.developer,
        method: r.method,
        path: r.path,
        model: r.model_served ?? r.model_asked,
        status: Number(r.status),
        usd: Number(r.amount) / 1_000_000,
        note: r.note,
        hash: r.hash,
      }));
      // The whole chain is read to verify it: again when a record was added, else at most every 30 s (an edit in
      // place adds none).
      const version = await data.version();
      if (!verdict || verdict.version !== version || Date.now() - verdict.at > 30_000) {
        const v = await admin.verify(store);
        verdict = {
          version,
          at: Date.now(),
          v: v.ok
            ? { ok: true, records: v.count, head: v.head, problem: null }
            : { ok: false, records: v.count, head: null, problem: v.problem },
        };
      }
      return {
        developers,
        top,
        mix: [...mix].map(([developer, models]) => ({ developer, models })),
        audit: { records, verify: verdict.v },
      };
    },
  };
  return data;
}

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
  note: string | null;
  hash: string;
};

const row = (r: AuditRow): RequestRow => {
  const status = Number(r.status);
  const ok = status > 0 && status < 400;
  const model = r.model_served ?? r.model_asked ?? "-";
  return {
    id: r.request,
    at: Number(r.at),
    source: r.developer ?? "(no valid token)",
    model,
    requested: r.model_asked && r.model_asked !== model ? r.model_asked : null,
    input: Number(r.input),
    output: Number(r.output),
    usd: Number(r.amount) / 1_000_000,
    latencyMs: Math.round(r.latency_ms),
    status: ok ? "ok" : `HTTP ${status}`,
    error: ok ? null : r.note,
  };
};
