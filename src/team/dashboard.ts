// The team server's dashboard (/dashboard, signed in with the admin token): DashboardData over team.db. Requests
// are the audit records of authenticated developers (each request a developer sent, served or refused: a record
// without a developer is a missing or wrong token, shown in the audit log only); their spend is the record's
// amount (atomic USDC, the same unit as micro-USD), their source the developer. Budgets and what each developer
// spent this period come from admin.list, the same figures as `runcode team list`; the chain's verdict from
// admin.verify. A request's payment is the ledger row its reservation names, in this server's runcode.db.
// Loaded only when the team server first serves /dashboard; a PostgreSQL team store implements DashboardData
// the same way.
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
import { SqliteTeamStore } from "./sqlite";
import type { TeamStore } from "./store";
import { sameHash, TOKEN_SHAPE, tokenHash } from "./tokens";

type Params = Record<string, number | string | null>;
type Keyed = Sums & { k0: bigint | string | null; k1: bigint | string | null };

const MODEL = "COALESCE(model_served, model_asked)";
const SUMS = `COUNT(*) AS requests, SUM(status >= 400 OR status = 0) AS errors, SUM(note LIKE '%→%') AS fallbacks,
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

export function teamDashboard(store: TeamStore, ledger: () => Database): DashboardHandler {
  if (!(store instanceof SqliteTeamStore))
    return async () => new Response("the dashboard reads team.db; this server's team store has no dashboard yet\n", { status: 501 });
  const db = store.db;
  const data = teamData(store, db, ledger);
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
export function teamData(store: TeamStore, db: Database, ledger: () => Database): DashboardData {
  const sums = (f: Filter, keys: [string, string?]) => {
    const [w, p] = where(f);
    return db
      .query<Keyed, Params>(`SELECT ${keys[0]} AS k0, ${keys[1] ?? "NULL"} AS k1, ${SUMS} FROM audit ${w} GROUP BY 1, 2 ORDER BY 1, 2`)
      .all(p);
  };
  const total = (f: Filter) => totals(sums(f, ["NULL"])[0]);
  let verdict: { version: string; at: number; v: TeamView["audit"]["verify"] } | undefined;

  const data: DashboardData = {
    kind: "team",
    async version() {
      const v = db
        .query<{ a: bigint | null; r: bigint | null; d: string | null }, []>(
          `SELECT (SELECT MAX(seq) FROM audit) AS a, (SELECT MAX(updated_at) FROM reservations) AS r,
            (SELECT group_concat(id || ':' || COALESCE(budget, '') || period || COALESCE(revoked_at, '') || token_at, ',') FROM developers) AS d`,
        )
        .get();
      return `${v?.a ?? 0}:${v?.r ?? 0}:${v?.d ?? ""}`;
    },
    async choices() {
      const models = db
        .query<{ m: string }, []>(`SELECT DISTINCT ${MODEL} AS m FROM audit WHERE developer IS NOT NULL AND m IS NOT NULL ORDER BY 1`)
        .all()
        .map((r) => r.m);
      return { models, developers: (await store.developers()).map((d) => d.email) };
    },
    async overview(f, now) {
      const bucket = bucketOf(f, now);
      const size = bucket === "hour" ? HOUR : DAY;
      const rows = sums(f, [`at / ${size}`]);
      const by = new Map(rows.map((r) => [Number(r.k0) * size, r]));
      const points = buckets(f, now, bucket, rows.length ? Number(rows[0]!.k0) * size : undefined).map((t) => ({
        t,
        usd: Number(by.get(t)?.cost ?? 0) / 1_000_000,
        requests: Number(by.get(t)?.requests ?? 0),
      }));
      const c = calendar(now);
      const period = (start: number, previous: number) => {
        const cur = total({ ...f, since: start, until: null });
        const prev = total({ ...f, since: previous, until: Math.min(start, previous + (now - start)) });
        return { start, usd: cur.usd, requests: cur.requests, previousUsd: prev.usd, previousRequests: prev.requests };
      };
      return {
        totals: total(f),
        series: { bucket, points },
        periods: {
          today: period(c.today.start, c.today.previous),
          week: period(c.week.start, c.week.previous),
          month: period(c.month.start, c.month.previous),
        },
      };
    },
    async models(f, now) {
      const bucket = bucketOf(f, now);
      const size = bucket === "hour" ? HOUR : DAY;
      const [w, p] = where(f);
      const lat = new Map<string, number[]>();
      for (const [m, ms] of db.query<unknown, Params>(`SELECT ${MODEL}, latency_ms FROM audit ${w}`).values(p)) {
        const list = lat.get(String(m)) ?? [];
        list.push(Math.round(Number(ms)));
        lat.set(String(m), list);
      }
      const models = sums(f, [MODEL])
        .filter((r) => r.k0 !== null)
        .map((r) => {
          const l = (lat.get(String(r.k0)) ?? []).sort((x, y) => x - y);
          return { model: String(r.k0), ...totals(r), p50Ms: percentile(l, 0.5), p95Ms: percentile(l, 0.95) };
        })
        .sort((a, b) => b.usd - a.usd || b.requests - a.requests || a.model.localeCompare(b.model));
      const cells = sums(f, [`at / ${size}`, MODEL]).filter((r) => r.k1 !== null);
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
      const match = search
        ? ` AND (request LIKE $q ESCAPE '\\' OR developer LIKE $q ESCAPE '\\' OR ${MODEL} LIKE $q ESCAPE '\\' OR note LIKE $q ESCAPE '\\' OR path LIKE $q ESCAPE '\\' OR CAST(status AS TEXT) = $exact)`
        : "";
      const params = search ? { ...p, q: `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`, exact: search } : p;
      const n = db.query<{ n: bigint }, Params>(`SELECT COUNT(*) AS n FROM audit ${w}${match}`).get(params)!.n;
      const rows = db
        .query<AuditRow, Params>(`SELECT * FROM audit ${w}${match} ORDER BY seq DESC LIMIT $limit OFFSET $offset`)
        .all({ ...params, limit: q.size, offset: q.page * q.size });
      return { total: Number(n), page: q.page, size: q.size, rows: rows.map(row) };
    },
    async request(id) {
      const r = db.query<AuditRow, [string]>("SELECT * FROM audit WHERE request = ? AND developer IS NOT NULL").get(id);
      if (!r) return undefined;
      const res = db
        .query<{ payment: bigint }, [string]>("SELECT payment FROM reservations WHERE request = ? AND status = 'settled' LIMIT 1")
        .get(id);
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
      for (const r of sums(f, [`(at / ${DAY} + 3) % 7`, `(at / ${HOUR}) % 24`])) {
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
      const top = db
        .query<{ developer: string; cost: bigint; n: bigint }, Params>(
          `SELECT developer, SUM(amount) AS cost, COUNT(*) AS n FROM audit ${w} GROUP BY 1 ORDER BY 2 DESC, 3 DESC, 1 LIMIT 10`,
        )
        .all(p)
        .map((r) => ({ developer: r.developer, usd: Number(r.cost) / 1_000_000, requests: Number(r.n) }));
      const mix = new Map<string, { model: string; usd: number; requests: number }[]>();
      for (const r of db
        .query<{ developer: string; model: string; cost: bigint; n: bigint }, Params>(
          `SELECT developer, ${MODEL} AS model, SUM(amount) AS cost, COUNT(*) AS n FROM audit ${w} AND ${MODEL} IS NOT NULL
           GROUP BY 1, 2 ORDER BY 1, 4 DESC, 2`,
        )
        .all(p)) {
        const list = mix.get(r.developer) ?? [];
        list.push({ model: r.model, usd: Number(r.cost) / 1_000_000, requests: Number(r.n) });
        mix.set(r.developer, list);
      }
      const [wa, pa] = where(f, true);
      const records = db
        .query<AuditRow, Params>(`SELECT * FROM audit ${wa} ORDER BY seq DESC LIMIT 50`)
        .all(pa)
        .map((r) => ({
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
