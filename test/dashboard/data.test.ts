// The dashboard's data layer over runcode.db: every figure equals what `runcode stats` computes (computeStats, the
// function behind `stats --json`) on the same rows, for ranges on and off the hour, per model, and after deletes.
import { afterAll, describe, expect, test } from "bun:test";
import { localDashboard } from "../../src/dashboard/local";
import { filterOf, type Filter } from "../../src/dashboard/data";
import { openStore } from "../../src/store/open";
import { computeStats } from "../../src/store/stats";
import { cleanup, tempDir } from "../helpers";
import { expected, MODELS, seedHome } from "./seed";

const NOW = Date.UTC(2026, 4, 14, 15, 42, 7, 123); // a Thursday afternoon, off the hour
const home = tempDir();
const rows = seedHome(home, NOW);
const store = openStore({ home, warn: () => {} });
const data = localDashboard(store);
afterAll(() => {
  store.close();
  cleanup(home);
});

const all: Filter = { since: null, until: null, model: null, developer: null };
const pick = <T extends object>(o: T, keys: (keyof T)[]): Record<string, unknown> => Object.fromEntries(keys.map((k) => [k, o[k]]));
const STATS_KEYS = [
  "requests",
  "errors",
  "input",
  "output",
  "cacheRead",
  "cacheWrite",
  "usd",
  "opusUsd",
  "savingsUsd",
  "fallbacks",
  "avgMs",
] as const;

describe("local dashboard data", () => {
  test("overview totals equal stats, over everything and over ranges that start mid-hour", async () => {
    for (const since of [undefined, NOW - 3 * 86_400_000 - 1234, NOW - 26 * 3_600_000, NOW - 30 * 60_000]) {
      const o = await data.overview({ ...all, since: since ?? null }, NOW);
      const s = computeStats(store, { since });
      expect(pick(o.totals, [...STATS_KEYS])).toEqual(pick(s.total, [...STATS_KEYS]));
      expect(o.totals.requests).toBe(expected(rows, { since }).requests);
      expect(o.series.points.reduce((n, p) => n + p.requests, 0)).toBe(o.totals.requests);
      expect(o.series.points.reduce((n, p) => n + p.usd, 0)).toBeCloseTo(o.totals.usd, 9);
    }
    expect((await data.overview(all, NOW)).totals.requests).toBe(42);
  });

  test("a range inside one hour and a closed range are summed from the rows", async () => {
    const a = rows[10]!.at!;
    const inHour = await data.overview({ ...all, since: a - 1, until: a + 1 }, NOW);
    expect(inHour.totals.requests).toBe(1);
    expect(inHour.totals.usd).toBe(Math.round(rows[10]!.usd * 1e6) / 1e6);
    const from = NOW - 5 * 86_400_000 + 777;
    const until = NOW - 2 * 86_400_000 - 999;
    const closed = await data.overview({ ...all, since: from, until }, NOW);
    const want = rows.filter((r) => r.at! >= from && r.at! < until);
    expect(closed.totals.requests).toBe(want.length);
    expect(closed.totals.input).toBe(want.reduce((s, r) => s + r.input, 0));
  });

  test("models: one row per model, each equal to stats --by model, with p50 and p95", async () => {
    const m = await data.models(all, NOW);
    const s = computeStats(store, { by: "model" });
    expect(m.models.map((r) => r.model).sort()).toEqual([...MODELS].sort());
    for (const g of s.groups) {
      const r = m.models.find((x) => x.model === g.key)!;
      expect(pick(r, [...STATS_KEYS])).toEqual(pick(g, [...STATS_KEYS]));
      expect(r.p95Ms).toBe(g.p95Ms);
    }
    const stacked = Object.values(m.requests)
      .flat()
      .reduce((n, x) => n + x, 0);
    expect(stacked).toBe(42);
    expect(m.times.length).toBe(7);
  });

  test("the model filter narrows every view", async () => {
    const model = MODELS[1];
    const f = { ...all, model };
    expect((await data.overview(f, NOW)).totals.requests).toBe(expected(rows, { model }).requests);
    expect((await data.models(f, NOW)).models.map((r) => r.model)).toEqual([model]);
    const page = await data.requests(f, { search: "", page: 0, size: 5 });
    expect(page.total).toBe(expected(rows, { model }).requests);
    expect(page.rows.every((r) => r.model === model)).toBe(true);
    const heat = await data.patterns(f);
    expect(heat.requests.flat().reduce((n, x) => n + x, 0)).toBe(expected(rows, { model }).requests);
  });

  test("requests: newest first, paginated, searchable; details with the front end and the linked payment", async () => {
    const p0 = await data.requests(all, { search: "", page: 0, size: 10 });
    const p4 = await data.requests(all, { search: "", page: 4, size: 10 });
    expect(p0.total).toBe(42);
    expect(p0.rows[0]!.at).toBe(Math.max(...rows.map((r) => r.at!)));
    expect(p4.rows.length).toBe(2);
    const errors = await data.requests(all, { search: "gateway_err", page: 0, size: 50 });
    expect(errors.total).toBe(rows.filter((r) => r.error).length);
    expect((await data.requests(all, { search: "100%_", page: 0, size: 50 })).total).toBe(0);
    const sources = new Set(p0.rows.map((r) => r.source));
    expect([...sources].every((s) => ["ask", "edit", "repl", "proxy"].includes(s))).toBe(true);

    const paid = p0.rows.find((r) => r.usd > 0 && r.latencyMs !== null)!;
    store.db
      .query(
        `INSERT INTO payments (created_at, session, model, url, network, asset, pay_to, payer, amount, tx, status, updated_at)
         VALUES (?, 'proxy_1', ?, 'https://gw/v1/messages', 'eip155:8453', '0xusdc', '0xpayto', '0xpayer', ?, '0xfeed', 'settled', ?)`,
      )
      .run(paid.at - paid.latencyMs! / 2, paid.model, Math.round(paid.usd * 1e6), paid.at);
    const d = (await data.request(paid.id))!;
    expect(d.payment).toMatchObject({ network: "eip155:8453", tx: "0xfeed", usd: paid.usd });
    const free = p0.rows.find((r) => r.usd === 0)!;
    expect((await data.request(free.id))!.payment).toBeNull();
    expect(await data.request("req_nope")).toBeUndefined();
  });

  test("patterns: day of week × hour, UTC, Monday first", async () => {
    const heat = await data.patterns(all);
    expect(heat.requests.flat().reduce((n, x) => n + x, 0)).toBe(42);
    const r = rows[0]!;
    const d = new Date(r.at!);
    expect(heat.requests[(d.getUTCDay() + 6) % 7]![d.getUTCHours()]).toBeGreaterThan(0);
  });

  test("periods compare with the same stretch of the period before", async () => {
    const o = await data.overview(all, NOW);
    const today = Date.UTC(2026, 4, 14);
    expect(o.periods.today.start).toBe(today);
    expect(o.periods.week.start).toBe(Date.UTC(2026, 4, 11));
    const want = (a: number, b: number) => rows.filter((r) => r.at! >= a && r.at! < b).length;
    expect(o.periods.today.requests).toBe(want(today, Infinity));
    expect(o.periods.today.previousRequests).toBe(want(today - 86_400_000, NOW - 86_400_000));
  });

  test("the version changes with a new request; the rollup follows deletes", async () => {
    const v = await data.version();
    store.recordRequest({ source: "proxy", model: "x/new", input: 1, output: 1, usd: 0.5, status: "ok", at: NOW });
    expect(await data.version()).not.toBe(v);
    expect((await data.choices()).models).toContain("x/new");
    store.db.query("DELETE FROM requests WHERE model = 'x/new'").run();
    expect((await data.choices()).models).not.toContain("x/new");
    expect(() => store.db.query("UPDATE requests SET cost = 1").run()).toThrow(/immutable/);
  });

  test("filters from a query string", () => {
    const f = filterOf(new URLSearchParams("range=7d&model=a%2Fb&developer=x%40y.z"), NOW);
    expect(f).toEqual({ since: NOW - 7 * 86_400_000, until: null, model: "a/b", developer: "x@y.z" });
    expect(filterOf(new URLSearchParams("range=all"), NOW).since).toBeNull();
  });
});
