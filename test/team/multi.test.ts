// Several team servers on one real PostgreSQL (test/pg.ts), paying from one wallet: budgets that hold across
// servers, one server killed mid-request while the other serves, the database stopped and restarted under load,
// the sweep of what a dead server left, and a SQLite team migrated over and verified.
import { afterAll, afterEach, beforeAll, expect, test } from "bun:test";
import { sweep } from "../../src/team/recover";
import { PgTeamStore } from "../../src/team/pg";
import { cleanup, jsonLines, waitFor } from "../helpers";
import { startPostgres, type Postgres } from "../pg";
import { call, freshDatabase, message, serve, teamMachine, type Served, type Team } from "./setup";

const SONNET = "anthropic/claude-sonnet-4.6";
const PRICE = 10_000n;
let pg: Postgres;
const teams: Team[] = [];
const servers: Served[] = [];
beforeAll(async () => {
  pg = await startPostgres();
});
afterAll(async () => {
  await pg.remove();
});
afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop();
  for (const t of teams.splice(0)) {
    await t.gw.stop();
    cleanup(t.home);
  }
});

/** Two team machines on one database, one wallet and one gateway: the second joins the team the first created. */
async function twoMachines(script: number, db?: string) {
  const url = db ?? (await freshDatabase(pg.url));
  const a = await teamMachine({ db: url, script: Array.from({ length: script }, () => ({ text: "ok" })), x402: { price: PRICE } });
  const b = await teamMachine({ db: url, init: false, gw: { gw: a.gw, x402: a.x402 } });
  teams.push(a);
  return { a, b, url };
}
const started = async (t: Team) => {
  const s = await serve(t);
  servers.push(s);
  return s;
};
const spent = async (t: Team, email: string) =>
  (JSON.parse((await t.team(["list", "--json"])).stdout) as Array<{ email: string; spent: string }>).find((r) => r.email === email)!.spent;
const settled = (t: Team) => t.x402.settled.reduce((n, p) => n + p.amount, 0n);
const auditRows = async (t: Team, n: number) =>
  (await waitFor(
    async () => {
      const rows = jsonLines((await t.team(["audit", "--json"])).stdout);
      return rows.length >= n && rows;
    },
    { what: `${n} audit records` },
  )) as any[];

test("two servers on one PostgreSQL: 50 concurrent requests split across them at a budget's edge spend exactly the budget", async () => {
  const { a, b } = await twoMachines(50);
  const token = await a.add("c@example.com", "--budget", "0.25");
  const [sa, sb] = [await started(a), await started(b)];
  const statuses = await Promise.all(
    Array.from({ length: 50 }, (_, i) => call(i % 2 ? sb.url : sa.url, token, message(SONNET, `n${i}`)).then((r) => r.status)),
  );
  expect(statuses.filter((s) => s === 200)).toHaveLength(25);
  expect(statuses.filter((s) => s === 402)).toHaveLength(25);
  expect(settled(a)).toBe(25n * PRICE);
  expect(await spent(b, "c@example.com")).toBe("$0.25");
  // Both servers served; one wallet paid; no nonce twice; one audit chain.
  expect(new Set(a.x402.settled.map((p) => p.payer)).size).toBe(1);
  expect(new Set(a.x402.settled.map((p) => p.nonce)).size).toBe(25);
  const audit = await auditRows(a, 50);
  expect(audit).toHaveLength(50);
  const verify = await b.team(["audit", "--verify"]);
  expect(verify.stdout).toStartWith("ok: 50 records, chain intact");
}, 90_000);

test("kill -9 of one server mid-request: the other keeps serving; after a restart the books balance", async () => {
  const { a, b } = await twoMachines(0);
  a.gw.push({ text: Array.from({ length: 400 }, (_, i) => `w${i}`).join(" "), delayMs: 25 }, { text: "b1" }, { text: "b2" });
  const token = await a.add("k@example.com", "--budget", "1");
  let sa = await started(a);
  const sb = await started(b);
  const res = await call(sa.url, token, { ...message(SONNET), stream: true });
  const reader = res.body!.getReader();
  expect((await reader.read()).done).toBe(false);
  sa.proc.kill("SIGKILL");
  await sa.proc.exited;
  await reader.read().catch(() => {});
  expect((await call(sb.url, token, message(SONNET))).status).toBe(200);
  expect((await call(sb.url, token, message(SONNET))).status).toBe(200);
  sa = await started(a); // resolves what it left open, from its own ledger
  expect(settled(a)).toBe(3n * PRICE);
  expect(await spent(b, "k@example.com")).toBe("$0.03");
  const audit = await auditRows(b, 3);
  expect(audit.map((r) => r.usd)).toEqual(["0.010000", "0.010000", "0.010000"]);
  expect(audit.filter((r) => String(r.note).includes("interrupted"))).toHaveLength(1);
  expect((await b.team(["audit", "--verify"])).code).toBe(0);
}, 90_000);

test("the database stopped under load: requests are refused with a 503 and nothing is paid; after a restart they are served", async () => {
  const { a } = await twoMachines(6);
  const token = await a.add("d@example.com", "--budget", "1");
  const s = await started(a);
  expect((await call(s.url, token, message(SONNET))).status).toBe(200);
  await pg.stop();
  try {
    const down = await call(s.url, token, message(SONNET));
    expect(down.status).toBe(503);
    const body = (await down.json()) as { type: string; error: { message: string } };
    expect(body.type).toBe("error");
    expect(body.error.message).toMatch(/^the team database is unreachable \(.+\); nothing was paid: retry shortly$/);
    const openai = await call(s.url, token, message(SONNET), { path: "/v1/chat/completions" });
    expect(openai.status).toBe(503);
    expect(((await openai.json()) as { error: { message: string } }).error.message).toContain("unreachable");
    const health = await fetch(`${s.url}/health`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: "degraded" });
    expect(t402(a)).toBe(1);
  } finally {
    await pg.start();
  }
  // Reconnects on its own: the next requests are served and counted.
  expect((await call(s.url, token, message(SONNET))).status).toBe(200);
  expect((await call(s.url, token, message(SONNET))).status).toBe(200);
  expect(t402(a)).toBe(3);
  expect(await spent(a, "d@example.com")).toBe("$0.03");
  expect((await fetch(`${s.url}/health`)).status).toBe(200);
  // Nothing lost: the records of the outage waited for the database, in order.
  expect((await auditRows(a, 5)).map((r) => r.status)).toEqual([200, 503, 503, 200, 200]);
  expect((await a.team(["audit", "--verify"])).code).toBe(0);
}, 90_000);
const t402 = (t: Team) => t.x402.settled.length;

test("a reservation a dead server left pending is settled by any server's sweep after its authorization expired", async () => {
  const url = await freshDatabase(pg.url);
  const store = await PgTeamStore.open(url);
  try {
    const dev = await store.addDeveloper({
      email: "s@example.com",
      tokenHash: "a".repeat(64),
      budget: 1_000_000n,
      period: "week",
      now: Date.now(),
    });
    const now = Date.now();
    const base = { developer: dev.id, server: "srv_dead", amount: PRICE, since: 0, now };
    expect(await store.reserve({ ...base, request: "r1", payment: 7, nonce: "n1", expires: now + 300_000 })).toEqual({ ok: true });
    // The same nonce from another server is refused by the database itself.
    expect(
      store.reserve({ ...base, request: "r2", server: "srv_other", payment: 1, nonce: "n1", expires: now + 300_000 }),
    ).rejects.toThrow();
    expect(await sweep(store, now)).toBe(0); // not expired yet: its own server may still come back
    expect(await sweep(store, now + 300_000 + 11 * 60_000)).toBe(1);
    expect(await store.spent(dev.id, 0)).toBe(PRICE);
    const [rec] = await store.audit();
    expect(rec).toMatchObject({ request: "r1", developer: "s@example.com", amount: PRICE });
    expect(rec!.note).toContain("did not come back");
    expect(await sweep(store, now + 3_600_000)).toBe(0); // nothing twice
  } finally {
    await store.close();
  }
});

test("team migrate copies a SQLite team to PostgreSQL, verified; the servers then carry on from it", async () => {
  const t = await teamMachine({ script: Array.from({ length: 4 }, () => ({ text: "ok" })), x402: { price: PRICE } });
  teams.push(t);
  const token = await t.add("m@example.com", "--budget", "0.05");
  await t.add("gone@example.com");
  expect((await t.team(["revoke", "gone@example.com"])).code).toBe(0);
  let s = await serve(t);
  for (let i = 0; i < 2; i++) expect((await call(s.url, token, message(SONNET))).status).toBe(200);
  await s.stop();
  const url = await freshDatabase(pg.url);
  const m = await t.team(["migrate", "--to", url]);
  expect(m.code).toBe(0);
  expect(m.stderr).toMatch(
    /^copied 2 developer\(s\), 2 reservation\(s\) and 2 audit record\(s\) from .*team\.db to postgres:\/\/runcode:\*\*\*@127\.0\.0\.1:\d+\/team_\w+; verified/,
  );
  expect(m.stderr).not.toContain(pg.password);
  // Into a database that already holds a team: refused, nothing copied.
  const again = await t.team(["migrate", "--to", url]);
  expect(again.code).not.toBe(0);
  expect(again.stderr).toContain("already holds a team; nothing was copied");

  expect((await t.team(["audit", "--verify", "--db", url])).stdout).toStartWith("ok: 2 records");
  s = await serve(t, ["--db", url]);
  servers.push(s);
  expect((await call(s.url, token, message(SONNET))).status).toBe(200);
  const list = JSON.parse((await t.team(["list", "--json", "--db", url])).stdout);
  expect(list).toMatchObject([
    { email: "gone@example.com", status: "revoked" },
    { email: "m@example.com", spent: "$0.03", left: "$0.02" },
  ]);
  const added = await t.team(["add", "new@example.com", "--db", url]);
  expect(added.code).toBe(0); // the id sequence continues after the copied developers
}, 90_000);
