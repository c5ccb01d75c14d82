// The team dashboard's data layer (src/team/dashboard.ts) on both team stores: the same known month of audit records,
// seeded through the TeamStore interface into team.db and into a real PostgreSQL (test/pg.ts), gives the figures
// summed here the plain way, and exactly the same answer from every view on both.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import type { DashboardData, Filter } from "../../src/dashboard/data";
import { openStore } from "../../src/store/open";
import type { Store } from "../../src/store/store";
import { teamData } from "../../src/team/dashboard";
import { PgTeamStore } from "../../src/team/pg";
import { SqliteTeamStore } from "../../src/team/sqlite";
import type { AuditEntry, TeamStore } from "../../src/team/store";
import { cleanup, tempDir } from "../helpers";
import { startPostgres, type Postgres } from "../pg";
import { freshDatabase } from "../team/setup";
import { MODELS } from "./seed";

const NOW = Date.UTC(2026, 4, 14, 15, 42, 7, 123); // a Thursday afternoon, off the hour
const HOUR = 3_600_000;
const DEVS = [
  { email: "alice@example.com", budget: 50_000_000n, period: "week" },
  { email: "bob@example.com", budget: 20_000_000n, period: "day" },
  { email: "carol@example.com", budget: null, period: "month" },
] as const;

/** 60 records over 20 days, oldest first: three developers, four models, errors, fallbacks, refused tokens. */
const SEED: AuditEntry[] = Array.from({ length: 60 }, (_, n) => {
  const dev = n % 7 === 6 ? null : DEVS[n % 3]!.email; // every 7th a wrong token: the audit log only
  const model = MODELS[(n * 5) % MODELS.length]!;
  const status = dev === null ? 401 : n % 11 === 3 ? 502 : n % 13 === 5 ? 0 : 200;
  return {
    at: NOW - (60 - n) * 8 * HOUR - 17_321,
    request: `req-${String(n).padStart(2, "0")}${n === 10 ? "-Search_Me" : ""}`,
    developer: dev,
    client: "test",
    method: "POST",
    path: n % 4 === 0 ? "/v1/chat/completions" : "/v1/messages",
    modelAsked: dev === null ? null : n % 9 === 4 ? "anthropic/claude-opus-4.6" : model,
    modelServed: dev === null || status !== 200 ? null : model,
    input: dev === null ? 0 : 1000 + n * 37,
    output: dev === null ? 0 : 200 + n * 11,
    amount: status === 200 ? BigInt(1500 + n * 7919) : 0n,
    status,
    latencyMs: 300 + ((n * 97) % 1700) + 0.25,
    bodySha256: null,
    note:
      status === 200 ? (n % 9 === 4 ? `anthropic/claude-opus-4.6 → ${model}` : null) : dev === null ? "no valid token" : "upstream failed",
    prompt: null,
  };
});

async function seed(store: TeamStore) {
  await store.setAdminHash("0".repeat(64), NOW);
  const ids = new Map<string, number>();
  for (const d of DEVS) ids.set(d.email, (await store.addDeveloper({ ...d, tokenHash: `hash-${d.email}`, now: NOW - 30 * 24 * HOUR })).id);
  for (const [i, e] of SEED.entries()) {
    if (e.developer && e.amount > 0n) {
      // req-02 was paid by another server on the same store, as its ledger row 2: not this server's row 2.
      const [server, payment] = i === 2 ? ["srv_other", 2] : ["srv_test", i + 1];
      const r = { developer: ids.get(e.developer)!, request: e.request, server, payment, amount: e.amount };
      expect(await store.reserve({ ...r, nonce: `n${i}`, expires: e.at + 600_000, since: 0, now: e.at })).toEqual({ ok: true });
      await store.settle(e.request, payment, e.at);
    }
    await store.append(e);
  }
}

const all: Filter = { since: null, until: null, model: null, developer: null };
const mine = SEED.filter((e) => e.developer !== null);
const usdOf = (rows: AuditEntry[]) => rows.reduce((s, e) => s + Number(e.amount), 0) / 1_000_000;
const served = (e: AuditEntry) => e.modelServed ?? e.modelAsked;

/** Every view over a few filters, as one object: what the two stores must agree on to the last figure. */
async function everything(d: DashboardData) {
  const filters: Filter[] = [
    all,
    { ...all, since: NOW - 26 * HOUR - 1234 },
    { ...all, since: NOW - 9 * 24 * HOUR + 777, until: NOW - 2 * 24 * HOUR - 999 },
    { ...all, model: MODELS[1] },
    { ...all, developer: "bob@example.com" },
  ];
  const out: unknown[] = [await d.version(), await d.choices()];
  for (const f of filters)
    out.push(
      await d.overview(f, NOW),
      await d.models(f, NOW),
      await d.patterns(f),
      await d.requests(f, { search: "", page: 1, size: 7 }),
      await d.requests(f, { search: "ALICE", page: 0, size: 50 }),
      await d.team!(f, NOW),
    );
  for (const id of ["req-00", "req-01", "req-02", "req-06", "req-10-Search_Me"]) out.push(await d.request(id));
  return out;
}

let pg: Postgres;
let home: string;
let ledger: Store;
const stores: Record<"sqlite" | "postgres", { store: TeamStore; data: DashboardData }> = {} as never;

beforeAll(async () => {
  home = tempDir("runcode-team-data-");
  ledger = openStore({ home, warn: () => {} });
  // The ledger row of payment 2 (req-01's reservation), in this server's runcode.db, as the team server writes it.
  ledger.db
    .query(
      `INSERT INTO payments (id, created_at, session, model, url, network, asset, pay_to, payer, amount, tx, status, updated_at)
       VALUES (2, ?, 'team', ?, 'https://gw/v1/messages', 'eip155:8453', '0xusdc', '0xpayto', '0xpayer', ?, '0xfeed', 'settled', ?)`,
    )
    .run(SEED[1]!.at, SEED[1]!.modelServed, SEED[1]!.amount, SEED[1]!.at);
  pg = await startPostgres();
  const sqlite = SqliteTeamStore.open(join(home, "team.db"));
  const postgres = await PgTeamStore.open(await freshDatabase(pg.url));
  for (const [name, store] of [
    ["sqlite", sqlite],
    ["postgres", postgres],
  ] as const) {
    await seed(store);
    stores[name] = { store, data: teamData(store, () => ledger.db, "srv_test") };
  }
});

afterAll(async () => {
  for (const s of Object.values(stores)) await s.store.close();
  await pg?.remove();
  ledger?.close();
  cleanup(home);
});

describe.each(["sqlite", "postgres"] as const)("team dashboard data on %s", (name) => {
  const data = () => stores[name].data;

  test("overview: the authenticated developers' requests, spend, errors and fallbacks; series and periods add up", async () => {
    for (const since of [null, NOW - 3 * 24 * HOUR - 1234, NOW - 26 * HOUR]) {
      const want = mine.filter((e) => since === null || e.at >= since);
      const o = await data().overview({ ...all, since }, NOW);
      expect(o.totals).toMatchObject({
        requests: want.length,
        errors: want.filter((e) => e.status >= 400 || e.status === 0).length,
        fallbacks: want.filter((e) => e.note?.includes("→")).length,
        input: want.reduce((s, e) => s + e.input, 0),
        output: want.reduce((s, e) => s + e.output, 0),
        avgMs: Math.round(want.reduce((s, e) => s + e.latencyMs, 0) / want.length),
      });
      expect(o.totals.usd).toBeCloseTo(usdOf(want), 9);
      expect(o.series.points.reduce((n, p) => n + p.requests, 0)).toBe(want.length);
      expect(o.series.points.reduce((n, p) => n + p.usd, 0)).toBeCloseTo(usdOf(want), 9);
    }
    const today = (await data().overview(all, NOW)).periods.today;
    expect(today.requests).toBe(mine.filter((e) => e.at >= Date.UTC(2026, 4, 14)).length);
  });

  test("models: one row per model with its spend and nearest-rank p95; stacked cells add up", async () => {
    const m = await data().models(all, NOW);
    const names = [...new Set(mine.map(served))].sort();
    expect(m.models.map((r) => r.model).sort()).toEqual(names as string[]);
    for (const r of m.models) {
      const rows = mine.filter((e) => served(e) === r.model);
      const lat = rows.map((e) => Math.round(e.latencyMs)).sort((a, b) => a - b);
      expect(r.requests).toBe(rows.length);
      expect(r.usd).toBeCloseTo(usdOf(rows), 9);
      expect(r.p95Ms).toBe(lat[Math.ceil(0.95 * lat.length) - 1]!);
    }
    expect(
      Object.values(m.requests)
        .flat()
        .reduce((n, x) => n + x, 0),
    ).toBe(mine.length);
  });

  test("requests: newest first, paginated, searched without regard to case, LIKE wildcards taken literally", async () => {
    const p0 = await data().requests(all, { search: "", page: 0, size: 10 });
    expect(p0.total).toBe(mine.length);
    expect(p0.rows[0]!.id).toBe(mine.at(-1)!.request);
    expect(p0.rows.every((r) => r.source !== "(no valid token)")).toBe(true);
    const alice = await data().requests(all, { search: "ALICE@", page: 0, size: 50 });
    expect(alice.total).toBe(mine.filter((e) => e.developer === "alice@example.com").length);
    expect((await data().requests(all, { search: "search_me", page: 0, size: 50 })).rows.map((r) => r.id)).toEqual(["req-10-Search_Me"]);
    expect((await data().requests(all, { search: "100%_", page: 0, size: 50 })).total).toBe(0);
    expect((await data().requests(all, { search: "502", page: 0, size: 50 })).total).toBe(mine.filter((e) => e.status === 502).length);
  });

  test("a request in full: its payment from this server's ledger; another server's payment is not looked up here; a refused token's record is not a request", async () => {
    expect((await data().request("req-01"))!.payment).toMatchObject({ network: "eip155:8453", tx: "0xfeed", amount: "9419" });
    expect((await data().request("req-00"))!.payment).toBeNull(); // settled, but not in this server's ledger
    expect((await data().request("req-02"))!.payment).toBeNull(); // another server's ledger row 2
    expect(await data().request("req-06")).toBeUndefined();
    expect(await data().request("req-nope")).toBeUndefined();
  });

  test("patterns: day of week × hour, UTC, Monday first", async () => {
    const heat = await data().patterns(all);
    expect(heat.requests.flat().reduce((n, x) => n + x, 0)).toBe(mine.length);
    const d = new Date(mine[0]!.at);
    expect(heat.requests[(d.getUTCDay() + 6) % 7]![d.getUTCHours()]).toBeGreaterThan(0);
  });

  test("team: budgets and spend this period, top spenders, model mix, the audit log with every record, the chain intact", async () => {
    const t = await data().team!(all, NOW);
    expect(t.developers.map((d) => d.email)).toEqual(DEVS.map((d) => d.email));
    const bob = mine.filter((e) => e.developer === "bob@example.com");
    expect(t.developers[1]).toMatchObject({ budgetUsd: 20, period: "day" });
    expect(t.developers[1]!.spentUsd).toBeCloseTo(usdOf(bob.filter((e) => e.at >= Date.UTC(2026, 4, 14))), 9);
    expect(t.top.map((r) => r.requests).reduce((a, b) => a + b, 0)).toBe(mine.length);
    expect(t.top.find((r) => r.developer === "bob@example.com")!.usd).toBeCloseTo(usdOf(bob), 9);
    expect(t.mix.map((m) => m.developer)).toEqual(DEVS.map((d) => d.email));
    expect(t.audit.records.length).toBe(50);
    expect(t.audit.records[0]!.seq).toBe(SEED.length);
    expect(t.audit.verify).toMatchObject({ ok: true, records: SEED.length });
    const only = await data().team!({ ...all, developer: "bob@example.com" }, NOW);
    expect(only.developers.map((d) => d.email)).toEqual(["bob@example.com"]);
  });

  test("the version follows a budget change; choices list the developers and the models served", async () => {
    const { store } = stores[name];
    const v = await data().version();
    expect((await data().choices()).developers).toEqual(DEVS.map((d) => d.email));
    await store.setBudget("carol@example.com", 5_000_000n, "month");
    const v2 = await data().version();
    expect(v2).not.toBe(v);
    await store.setBudget("carol@example.com", null, "month");
    expect(await data().version()).toBe(v);
    expect((await data().choices()).models).toEqual([...new Set(mine.map(served))].sort() as string[]);
  });
});

test("both stores give the same answer to every view, to the last figure", async () => {
  expect(await everything(stores.postgres.data)).toEqual(await everything(stores.sqlite.data));
});
