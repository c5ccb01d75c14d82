// The dashboard over this machine's runcode.db: ask, edit, REPL and proxy requests. Sums come from the hourly
// rollup `request_hours` (migration store-006-dashboard) for the whole hours of a range and from `requests` for
// the partial hours at its ends, so every figure equals what `runcode stats` sums row by row, and a year of data
// is a few thousand rollup rows. Percentiles need the values themselves and read `requests`, as stats does.
import type { Store } from "../store/store";
import {
  bucketOf,
  buckets,
  calendar,
  DAY,
  HOUR,
  percentile,
  type DashboardData,
  type Filter,
  type ModelsView,
  type Overview,
  type Period,
  type RequestDetail,
  type RequestRow,
  type Series,
  totals,
  type Sums,
  type Totals,
} from "./data";

type Keyed = Sums & { k0: bigint | string; k1: bigint | string };
type Params = Record<string, number | string | null>;

const SUMS = `SUM(requests) AS requests, SUM(errors) AS errors, SUM(fallbacks) AS fallbacks, SUM(input) AS input,
  SUM(output) AS output, SUM(cache_read) AS cr, SUM(cache_write) AS cw, SUM(cost) AS cost, SUM(latency_sum) AS ls,
  SUM(latency_n) AS ln`;
const RAW = `SELECT created_at / 3600000 AS hour, model, COALESCE(client, source) AS via, count AS requests,
  CASE WHEN status != 'ok' THEN count ELSE 0 END AS errors, CASE WHEN fallback = 1 THEN count ELSE 0 END AS fallbacks,
  input, output, cache_read, cache_write, cost, COALESCE(latency_ms, 0) AS latency_sum, latency_ms IS NOT NULL AS latency_n
  FROM requests`;
const ROLLUP = `SELECT hour, model, via, requests, errors, fallbacks, input, output, cache_read, cache_write, cost, latency_sum,
  latency_n FROM request_hours`;
/** Every request of the filter, as rollup rows: whole hours from the rollup, the partial hours at the ends raw. */
const UNION = `WITH r AS (
  ${ROLLUP} WHERE hour >= $h0 AND hour < $h1 AND ($model IS NULL OR model = $model)
  UNION ALL ${RAW} WHERE created_at >= $a0 AND created_at < $a1 AND ($model IS NULL OR model = $model)
  UNION ALL ${RAW} WHERE created_at >= $b0 AND created_at < $b1 AND ($model IS NULL OR model = $model))`;
const NONE = 0;
const FAR = 2 ** 52;

/** The parameters of UNION for a filter: which hours the rollup gives, which raw ranges the rest. */
function ranges(f: Filter): Params {
  const h0 = f.since === null ? 0 : Math.ceil(f.since / HOUR);
  const h1 = f.until === null ? FAR : Math.floor(f.until / HOUR);
  const p: Params = { model: f.model, h0: NONE, h1: NONE, a0: NONE, a1: NONE, b0: NONE, b1: NONE };
  if (h0 < h1) {
    Object.assign(p, { h0: h0, h1: h1 });
    if (f.since !== null) Object.assign(p, { a0: f.since, a1: h0 * HOUR });
    if (f.until !== null) Object.assign(p, { b0: h1 * HOUR, b1: f.until });
  } else Object.assign(p, { a0: f.since ?? 0, a1: f.until ?? FAR });
  return p;
}

export function localDashboard(store: Store): DashboardData {
  const db = store.db;
  const sums = (f: Filter, keys: [string, string?]) =>
    store.read(() =>
      db
        .query<Keyed, Params>(`${UNION} SELECT ${keys[0]} AS k0, ${keys[1] ?? "NULL"} AS k1, ${SUMS} FROM r GROUP BY 1, 2 ORDER BY 1, 2`)
        .all(ranges(f)),
    );
  const total = (f: Filter) => totals(sums(f, ["NULL"])[0]);
  /** The range's series and its totals, from one pass: the totals are the buckets' sums (integers: exact). */
  const series = (f: Filter, now: number): [Series, Totals] => {
    const bucket = bucketOf(f, now);
    const size = bucket === "hour" ? HOUR : DAY;
    const rows = sums(f, [bucket === "hour" ? "hour" : "hour / 24"]);
    const by = new Map(rows.map((r) => [Number(r.k0) * size, r]));
    const first = rows.length ? Number(rows[0]!.k0) * size : undefined;
    const sum: Sums = { requests: 0n, errors: 0n, fallbacks: 0n, input: 0n, output: 0n, cr: 0n, cw: 0n, cost: 0n, ls: 0n, ln: 0n };
    for (const r of rows) for (const k of Object.keys(sum) as (keyof Sums)[]) sum[k] = BigInt(sum[k]) + BigInt(r[k] ?? 0n);
    const points = buckets(f, now, bucket, first).map((t) => {
      const r = by.get(t);
      return { t, usd: Number(r?.cost ?? 0n) / 1_000_000, requests: Number(r?.requests ?? 0n) };
    });
    return [{ bucket, points }, totals(sum)];
  };
  const period = (f: Filter, start: number, previous: number, now: number): Period => {
    const cur = total({ ...f, since: start, until: null });
    const prev = total({ ...f, since: previous, until: Math.min(start, previous + (now - start)) });
    return { start, usd: cur.usd, requests: cur.requests, previousUsd: prev.usd, previousRequests: prev.requests };
  };
  const row = (r: RawRow): RequestRow => ({
    id: r.id,
    at: Number(r.created_at),
    source: r.client ?? r.source,
    model: r.model,
    requested: r.requested,
    input: Number(r.input),
    output: Number(r.output),
    usd: Number(r.cost) / 1_000_000,
    latencyMs: r.latency_ms === null ? null : Number(r.latency_ms),
    status: r.status,
    error: r.error,
  });
  const where = (f: Filter) => `created_at >= $since AND created_at < $until${f.model ? " AND model = $model" : ""}`;
  const whereParams = (f: Filter): Params => ({ since: f.since ?? 0, until: f.until ?? FAR, ...(f.model ? { model: f.model } : {}) });

  return {
    kind: "local",
    async version() {
      const v = store.read(() =>
        db
          // Both ends of the rowid b-tree: a new request moves the top, `stats --clear` both (requests are never
          // updated; a trigger refuses it). Two index lookups, whatever the table's size.
          .query<{ top: bigint | null; low: bigint | null }, []>(
            "SELECT (SELECT MAX(rowid) FROM requests) AS top, (SELECT MIN(rowid) FROM requests) AS low",
          )
          .get(),
      );
      return `${v?.top ?? 0}:${v?.low ?? 0}`;
    },
    async choices() {
      const models = store.read(() =>
        db
          .query<{ model: string }, []>("SELECT DISTINCT model FROM request_hours ORDER BY model")
          .all()
          .map((r) => r.model),
      );
      return { models, developers: [] };
    },
    async overview(f, now): Promise<Overview> {
      const c = calendar(now);
      const [line, totals] = series(f, now);
      return {
        totals,
        series: line,
        periods: {
          today: period(f, c.today.start, c.today.previous, now),
          week: period(f, c.week.start, c.week.previous, now),
          month: period(f, c.month.start, c.month.previous, now),
        },
      };
    },
    async models(f, now): Promise<ModelsView> {
      const bucket = bucketOf(f, now);
      const size = bucket === "hour" ? HOUR : DAY;
      const per = sums(f, ["model"]);
      const lat = new Map<string, number[]>();
      const values = store.read(() =>
        db
          .query<unknown, Params>(`SELECT model, latency_ms FROM requests WHERE ${where(f)} AND latency_ms IS NOT NULL`)
          .values(whereParams(f)),
      );
      for (const [m, ms] of values) {
        const list = lat.get(String(m));
        if (list) list.push(Number(ms));
        else lat.set(String(m), [Number(ms)]);
      }
      const models = per
        .map((r) => {
          const l = (lat.get(String(r.k0)) ?? []).sort((x, y) => x - y);
          return { model: String(r.k0), ...totals(r), p50Ms: percentile(l, 0.5), p95Ms: percentile(l, 0.95) };
        })
        .sort((a, b) => b.usd - a.usd || b.requests - a.requests || a.model.localeCompare(b.model));
      const cells = sums(f, [bucket === "hour" ? "hour" : "hour / 24", "model"]);
      const first = cells.length ? Math.min(...cells.map((r) => Number(r.k0))) * size : undefined;
      const times = buckets(f, now, bucket, first);
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
      const search = q.search.trim();
      const like = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const match = search
        ? ` AND (id LIKE $q ESCAPE '\\' OR model LIKE $q ESCAPE '\\' OR requested LIKE $q ESCAPE '\\' OR COALESCE(client, source) LIKE $q ESCAPE '\\'
            OR status LIKE $q ESCAPE '\\' OR error LIKE $q ESCAPE '\\' OR session LIKE $q ESCAPE '\\')`
        : "";
      const params = { ...whereParams(f), ...(search ? { q: like } : {}) };
      return store.read(() => {
        const total = db.query<{ n: bigint }, Params>(`SELECT COUNT(*) AS n FROM requests WHERE ${where(f)}${match}`).get(params)!.n;
        const rows = db
          .query<RawRow, Params>(
            `SELECT * FROM requests WHERE ${where(f)}${match} ORDER BY created_at DESC, rowid DESC LIMIT $limit OFFSET $offset`,
          )
          .all({ ...params, limit: q.size, offset: q.page * q.size });
        return { total: Number(total), page: q.page, size: q.size, rows: rows.map(row) };
      });
    },
    async request(id) {
      return store.read(() => {
        const r = db
          .query<RawRow & { title: string | null; cwd: string | null }, [string]>(
            "SELECT r.*, s.title, s.cwd FROM requests r LEFT JOIN sessions s ON s.id = r.session WHERE r.id = ?",
          )
          .get(id);
        if (!r) return undefined;
        return {
          ...row(r),
          cacheRead: Number(r.cache_read),
          cacheWrite: Number(r.cache_write),
          fallback: Number(r.fallback) === 1,
          session: r.session ? { id: r.session, title: r.title ?? "", cwd: r.cwd ?? "" } : null,
          route: r.route ? JSON.parse(r.route) : null,
          client: r.client,
          payment: paymentOf(store, r),
        } satisfies RequestDetail;
      });
    },
    async patterns(f) {
      const requests = Array.from({ length: 7 }, () => Array<number>(24).fill(0));
      const usd = Array.from({ length: 7 }, () => Array<number>(24).fill(0));
      // The epoch began on a Thursday: day 0 is 3 days after a Monday.
      for (const r of sums(f, ["(hour / 24 + 3) % 7", "hour % 24"])) {
        requests[Number(r.k0)]![Number(r.k1)] = Number(r.requests);
        usd[Number(r.k0)]![Number(r.k1)] = Number(r.cost) / 1_000_000;
      }
      return { requests, usd };
    },
  };
}

type RawRow = {
  id: string;
  created_at: bigint;
  session: string | null;
  source: string;
  client: string | null;
  model: string;
  requested: string | null;
  input: bigint;
  output: bigint;
  cache_read: bigint;
  cache_write: bigint;
  cost: bigint;
  latency_ms: bigint | null;
  fallback: bigint;
  status: string;
  error: string | null;
  route: string | null;
};

/**
 * The ledger's payment for a request, when one can be told apart: requests and payments share no key, so it is the
 * settled payment of the same amount (micro-USD and atomic USDC are the same unit), model and session, made while
 * the request ran. A free or unpaid request, or one with no such payment, has none.
 */
function paymentOf(store: Store, r: RawRow): RequestDetail["payment"] {
  if (r.cost <= 0n) return null;
  const at = Number(r.created_at);
  const p = store.db
    .query<{ network: string; amount: bigint; tx: string | null; status: string; payer: string; pay_to: string }, Params>(
      `SELECT network, amount, tx, status, payer, pay_to FROM payments
       WHERE created_at >= $from AND created_at <= $to AND amount = $amount AND status = 'settled'
         AND ($session IS NULL OR session = $session) AND (model IS NULL OR model = $model OR model = $requested)
       ORDER BY ABS(created_at - $at) LIMIT 1`,
    )
    .get({
      from: at - (r.latency_ms === null ? 60_000 : Number(r.latency_ms) + 5_000),
      to: at + 1_000,
      amount: Number(r.cost),
      session: r.session,
      model: r.model,
      requested: r.requested,
      at: at,
    });
  if (!p) return null;
  return {
    network: p.network,
    amount: String(p.amount),
    usd: Number(p.amount) / 1_000_000,
    tx: p.tx,
    status: p.status,
    payer: p.payer,
    payTo: p.pay_to,
  };
}
