// What the dashboard shows, as one small interface over a store: src/dashboard/local.ts reads this machine's
// runcode.db, src/team/dashboard.ts a team server's team.db (a PostgreSQL team store implements the same). Every
// figure is computed by the store (SQL), the page only renders; the JSON of each method is what its endpoint sends
// (docs/dashboard.md). Money is USD as a number (from integer micro-USD sums), times are ms since the epoch, and days
// and hours are UTC, as in `runcode stats`.
import { atBaseline, OPUS, parseDuration, SONNET } from "../store/stats";

/** The filters every view takes: a time range (`since` inclusive, `until` exclusive), one model, one developer. */
export type Filter = { since: number | null; until: number | null; model: string | null; developer: string | null };

/** The sums `runcode stats` reports, over one set of requests. */
export type Totals = {
  requests: number;
  errors: number;
  fallbacks: number;
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  usd: number;
  /** Mean latency over the requests that have one, rounded to the ms (null: none has). */
  avgMs: number | null;
  /** What the same tokens would have cost on Claude Opus 4.6 / Claude Sonnet 4.6, and what routing saved against each. */
  opusUsd: number;
  savingsUsd: number;
  sonnetUsd: number;
  sonnetSavingsUsd: number;
};

/** A time series: buckets start at `t`; `bucket` is hour when the range is two days or less, else day. */
export type Series = { bucket: "hour" | "day"; points: { t: number; usd: number; requests: number }[] };

/** One calendar period (UTC: a day, a week from Monday, a month from the 1st) against the same stretch of the one before. */
export type Period = { start: number; usd: number; requests: number; previousUsd: number; previousRequests: number };

export type Overview = { totals: Totals; series: Series; periods: { today: Period; week: Period; month: Period } };

export type ModelRow = Totals & { model: string; p50Ms: number | null; p95Ms: number | null };

/** Spend and requests per model over time, for stacked bars: `usd[model][i]` is the spend in bucket `times[i]`. */
export type ModelsView = {
  models: ModelRow[];
  bucket: "hour" | "day";
  times: number[];
  usd: Record<string, number[]>;
  requests: Record<string, number[]>;
};

export type RequestRow = {
  id: string;
  at: number;
  /** ask, edit, repl, agent (older rows), proxy, import; on a team server the developer's email. */
  source: string;
  model: string;
  requested: string | null;
  input: number;
  output: number;
  usd: number;
  latencyMs: number | null;
  status: string;
  error: string | null;
};

export type RequestPage = { total: number; page: number; size: number; rows: RequestRow[] };

/** One request in full: where it came from and, when its payment can be found in the ledger, that payment. */
export type RequestDetail = RequestRow & {
  cacheRead: number;
  cacheWrite: number;
  fallback: boolean;
  session: { id: string; title: string; cwd: string } | null;
  route: unknown;
  client: string | null;
  payment: { network: string; amount: string; usd: number; tx: string | null; status: string; payer: string; payTo: string } | null;
};

/** Requests by UTC day of week (0 = Monday) × hour of day. */
export type Patterns = { requests: number[][]; usd: number[][] };

export type DeveloperBudget = {
  email: string;
  status: "active" | "revoked";
  period: "day" | "week" | "month";
  budgetUsd: number | null;
  spentUsd: number;
  leftUsd: number | null;
  resets: string;
};

export type AuditRow = {
  seq: number;
  at: number;
  developer: string | null;
  method: string;
  path: string;
  model: string | null;
  status: number;
  usd: number;
  note: string | null;
  hash: string;
};

export type TeamView = {
  developers: DeveloperBudget[];
  /** Spend in the filtered range, most first. */
  top: { developer: string; usd: number; requests: number }[];
  mix: { developer: string; models: { model: string; usd: number; requests: number }[] }[];
  audit: { records: AuditRow[]; verify: { ok: boolean; records: number; head: string | null; problem: string | null } };
};

export interface DashboardData {
  /** "local": this machine's runcode.db; "team": a team server (developers, budgets, the audit log). */
  readonly kind: "local" | "team";
  /** Changes whenever a figure shown could have: the page polls it and reloads what it shows. */
  version(): Promise<string>;
  /** The values the filters offer. */
  choices(): Promise<{ models: string[]; developers: string[] }>;
  overview(f: Filter, now: number): Promise<Overview>;
  models(f: Filter, now: number): Promise<ModelsView>;
  requests(f: Filter, q: { search: string; page: number; size: number }): Promise<RequestPage>;
  request(id: string): Promise<RequestDetail | undefined>;
  patterns(f: Filter): Promise<Patterns>;
  /** Team servers only. */
  team?(f: Filter, now: number): Promise<TeamView>;
}

/** The ranges the page offers, as `runcode stats --since` spells them; "all" (or none) is everything. */
export const RANGES = ["24h", "7d", "30d", "90d", "365d", "all"] as const;

/** The filter of a query string: `range=7d` (or `since`/`until` in ms), `model=…`, `developer=…`. */
export function filterOf(q: URLSearchParams, now: number): Filter {
  const range = q.get("range");
  const ms = range && range !== "all" ? parseDuration(range) : undefined;
  const num = (k: string) => {
    const v = q.get(k);
    return v !== null && /^\d+$/.test(v) ? Number(v) : null;
  };
  return {
    since: ms !== undefined ? now - ms : num("since"),
    until: num("until"),
    model: q.get("model") || null,
    developer: q.get("developer") || null,
  };
}

export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** Hourly buckets for two days or less, else daily. */
export const bucketOf = (f: Filter, now: number): "hour" | "day" => ((f.until ?? now) - (f.since ?? 0) <= 2 * DAY ? "hour" : "day");

/** UTC starts of the day, the week (Monday) and the month that hold `now`, and of the periods before them. */
export function calendar(now: number) {
  const d = new Date(now);
  const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  const week = day - ((d.getUTCDay() + 6) % 7) * DAY;
  const month = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  return {
    today: { start: day, previous: day - DAY },
    week: { start: week, previous: week - 7 * DAY },
    month: { start: month, previous: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1) },
  };
}

/** Nearest-rank percentile of sorted values, as `runcode stats` takes its p95. */
export const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.ceil(p * sorted.length) - 1]! : null);

/** Summed request columns as SQL returns them (bigint; number for a REAL column): what totals() turns into the figures of `runcode stats`. */
export type Sums = {
  requests: bigint | number;
  errors: bigint | number;
  fallbacks: bigint | number;
  input: bigint | number;
  output: bigint | number;
  cr: bigint | number;
  cw: bigint | number;
  cost: bigint | number;
  ls: bigint | number;
  ln: bigint | number;
};

/** The totals of summed rows, computed exactly as `runcode stats` computes its groups. */
export function totals(s: Partial<Sums> | undefined): Totals {
  const n = (v: bigint | number | null | undefined) => Number(v ?? 0);
  const input = n(s?.input);
  const output = n(s?.output);
  const usd = n(s?.cost) / 1_000_000;
  const opusUsd = atBaseline(OPUS, input, output);
  const sonnetUsd = atBaseline(SONNET, input, output);
  return {
    requests: n(s?.requests),
    errors: n(s?.errors),
    fallbacks: n(s?.fallbacks),
    input,
    output,
    cacheRead: n(s?.cr),
    cacheWrite: n(s?.cw),
    usd,
    avgMs: n(s?.ln) ? Math.round(n(s?.ls) / n(s?.ln)) : null,
    opusUsd,
    savingsUsd: opusUsd - usd,
    sonnetUsd,
    sonnetSavingsUsd: sonnetUsd - usd,
  };
}

/** Bucket starts from the range's first to its last (or the data's, for "all"), so a quiet day shows as zero. */
export function buckets(f: Filter, now: number, bucket: "hour" | "day", first: number | undefined): number[] {
  const size = bucket === "hour" ? HOUR : DAY;
  const start = f.since ?? first;
  if (start === undefined) return [];
  const end = Math.max((f.until ?? now) - 1, start);
  const out: number[] = [];
  for (let t = Math.floor(start / size) * size; t <= end && out.length < 5000; t += size) out.push(t);
  return out;
}
