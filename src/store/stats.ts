// Usage statistics, computed from the requests table on demand (the original rewrote a JSON file every 2 s).
// Totals are aggregated in SQL; latency percentiles need the sorted values, fetched as one column.
import type { Store } from "./store";

/** The baseline for "savings": Claude Opus 4.6 list prices, USD per 1M tokens. */
export const OPUS = { model: "anthropic/claude-opus-4.6", input: 5, output: 25 } as const;
/** The dashboard's second baseline: always Claude Sonnet 4.6. */
export const SONNET = { model: "anthropic/claude-sonnet-4.6", input: 3, output: 15 } as const;

/** What these tokens cost at a baseline's list prices, USD. */
export const atBaseline = (b: { input: number; output: number }, input: number, output: number) =>
  (input * b.input + output * b.output) / 1_000_000;

export type Group = {
  key: string;
  requests: number;
  errors: number;
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  usd: number;
  /** What the same tokens would have cost on Claude Opus 4.6. */
  opusUsd: number;
  savingsUsd: number;
  fallbacks: number;
  avgMs: number | null;
  p95Ms: number | null;
};

export type Stats = { since: number | null; by: "model" | "day" | null; total: Group; groups: Group[] };

type Agg = {
  key: string;
  requests: bigint;
  errors: bigint;
  input: bigint;
  output: bigint;
  cr: bigint;
  cw: bigint;
  cost: bigint;
  fallbacks: bigint;
};

export function computeStats(store: Store, o: { since?: number; by?: "model" | "day" } = {}): Stats {
  return store.read(() => stats(store, o));
}

function stats(store: Store, o: { since?: number; by?: "model" | "day" }): Stats {
  const since = o.since ?? null;
  const where = since === null ? "" : "WHERE created_at >= $since";
  const params: Record<string, number> = since === null ? {} : { since };
  // Days are UTC calendar days: stable across machines and what --json consumers expect.
  const keyExpr = o.by === "model" ? "model" : o.by === "day" ? "strftime('%Y-%m-%d', created_at / 1000, 'unixepoch')" : "'total'";
  const agg = store.db
    .query<Agg, Record<string, number>>(
      `SELECT ${keyExpr} AS key, SUM(count) AS requests, SUM(CASE WHEN status != 'ok' THEN count ELSE 0 END) AS errors,
        SUM(input) AS input, SUM(output) AS output, SUM(cache_read) AS cr, SUM(cache_write) AS cw, SUM(cost) AS cost,
        SUM(CASE WHEN fallback = 1 THEN count ELSE 0 END) AS fallbacks
       FROM requests ${where} GROUP BY 1 ORDER BY 1`,
    )
    .all(params);
  const lat = new Map<string, number[]>();
  const all: number[] = [];
  for (const [k, ms] of store.db
    .query<unknown, Record<string, number>>(
      `SELECT ${keyExpr}, latency_ms FROM requests ${where ? `${where} AND` : "WHERE"} latency_ms IS NOT NULL`,
    )
    .values(params)) {
    const key = String(k);
    const n = Number(ms);
    all.push(n);
    const list = lat.get(key);
    if (list) list.push(n);
    else lat.set(key, [n]);
  }
  const groups = agg.map((a) => group(a, lat.get(a.key) ?? []));
  const total = group(sum(agg), all);
  return { since, by: o.by ?? null, total, groups: o.by ? groups : [] };
}

function sum(rows: Agg[]): Agg {
  const z: Agg = { key: "total", requests: 0n, errors: 0n, input: 0n, output: 0n, cr: 0n, cw: 0n, cost: 0n, fallbacks: 0n };
  for (const r of rows)
    for (const k of ["requests", "errors", "input", "output", "cr", "cw", "cost", "fallbacks"] as const) z[k] += BigInt(r[k] ?? 0n);
  return z;
}

function group(a: Agg, latencies: number[]): Group {
  const input = Number(a.input ?? 0n);
  const output = Number(a.output ?? 0n);
  const usd = Number(a.cost ?? 0n) / 1_000_000;
  const opusUsd = atBaseline(OPUS, input, output);
  latencies.sort((x, y) => x - y);
  return {
    key: String(a.key),
    requests: Number(a.requests ?? 0n),
    errors: Number(a.errors ?? 0n),
    input,
    output,
    cacheRead: Number(a.cr ?? 0n),
    cacheWrite: Number(a.cw ?? 0n),
    usd,
    opusUsd,
    savingsUsd: opusUsd - usd,
    fallbacks: Number(a.fallbacks ?? 0n),
    avgMs: latencies.length ? Math.round(latencies.reduce((s, x) => s + x, 0) / latencies.length) : null,
    // Nearest-rank p95: the smallest value at or above 95% of the samples.
    p95Ms: latencies.length ? latencies[Math.ceil(0.95 * latencies.length) - 1]! : null,
  };
}

/** "7d", "12h", "30m", "2w" → milliseconds; undefined when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+)\s*(m|h|d|w)$/i.exec(text.trim());
  if (!m) return undefined;
  const unit = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[m[2]!.toLowerCase() as "m" | "h" | "d" | "w"];
  return Number(m[1]) * unit;
}
