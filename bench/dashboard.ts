#!/usr/bin/env bun
// Dashboard figures for docs/performance.md: each /api/dashboard view over a year of requests (1,000,000 rows in
// runcode.db, six models, the rollup kept by its triggers as the rows go in), in-process (the SQL and the JSON) and
// over HTTP from the real `runcode dashboard`; the same views without the rollup (the raw table, for comparison);
// and the team server's views over 100,000 audit records. Medians of --rounds calls, after one warm-up call.
//   bun bench/dashboard.ts [--rows 1000000] [--rounds 15]
import { join } from "node:path";
import { parseArgs } from "node:util";
import { localDashboard } from "../src/dashboard/local";
import type { DashboardData, Filter } from "../src/dashboard/data";
import { openStore } from "../src/store/open";
import { computeStats } from "../src/store/stats";
import { SqliteTeamStore } from "../src/team/sqlite";
import { teamData } from "../src/team/dashboard";
import { cleanup, tempDir } from "../test/helpers";
import { startDashboardCli } from "../test/dashboard/spawn";

const { values: opt } = parseArgs({ options: { rows: { type: "string", default: "1000000" }, rounds: { type: "string", default: "15" } } });
const ROWS = Number(opt.rows);
const rounds = Math.max(3, Number(opt.rounds) || 15);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const MODELS = [
  "anthropic/claude-sonnet-4.6",
  "openai/gpt-5-mini",
  "google/gemini-2.5-flash",
  "nvidia/gpt-oss-120b",
  "deepseek/deepseek-chat",
  "anthropic/claude-opus-4.6",
];
const YEAR = 365 * 86_400_000;
const now = Date.now();

async function time(f: () => Promise<unknown> | unknown): Promise<number> {
  await f();
  const xs: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    await f();
    xs.push(performance.now() - t);
  }
  return median(xs);
}

const home = tempDir("runcode-bench-dash-");
const store = openStore({ home, warn: () => {}, importOriginal: false });
let t0 = performance.now();
const insert = store.db.query(
  `INSERT INTO requests (id, created_at, source, client, model, input, output, cost, latency_ms, fallback, status)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
);
const clients = ["ask", "edit", "repl", null] as const;
for (let start = 0; start < ROWS; start += 50_000)
  store.write(() => {
    for (let i = start; i < Math.min(ROWS, start + 50_000); i++)
      insert.run(
        `req_${i.toString(36).padStart(8, "0")}`,
        now - Math.floor(((i * 7919) % ROWS) * (YEAR / ROWS)),
        clients[i % 4] ? "agent" : "proxy",
        clients[i % 4] ?? null,
        MODELS[i % MODELS.length]!,
        800 + (i % 4000),
        100 + (i % 900),
        i % 6 === 3 ? 0 : 200 + (i % 30_000),
        300 + ((i * 31) % 5000),
        i % 40 === 0 ? 1 : 0,
        i % 50 === 0 ? "error" : "ok",
      );
  });
const seedMs = performance.now() - t0;
const hours = Number(store.db.query<{ n: bigint }, []>("SELECT COUNT(*) AS n FROM request_hours").get()!.n);
const data = localDashboard(store);
const all: Filter = { since: null, until: null, model: null, developer: null };
const week: Filter = { ...all, since: now - 7 * 86_400_000 - 1234 };
const rows: [string, number][] = [];
const views = (d: DashboardData, name: string, f: Filter) =>
  [
    [`${name} overview`, () => d.overview(f, now)],
    [`${name} models (p50/p95 read row by row)`, () => d.models(f, now)],
    [`${name} requests, page 1 of 50`, () => d.requests(f, { search: "", page: 0, size: 50 })],
    [`${name} requests, search "gpt-5"`, () => d.requests(f, { search: "gpt-5", page: 0, size: 50 })],
    [`${name} patterns`, () => d.patterns(f)],
    [`${name} version (the 1 s poll)`, () => d.version()],
  ] as const;
for (const [label, f] of [...views(data, "year:", all), ...views(data, "7 days:", week)]) rows.push([label, await time(f)]);
rows.push(["year: `runcode stats` in-process (computeStats, for comparison)", await time(() => computeStats(store))]);

// The same overview from the raw table (no rollup): what the rollup saves.
rows.push([
  "year: overview's sums from `requests` without the rollup",
  await time(() =>
    store.db
      .query(
        "SELECT created_at / 86400000 AS d, SUM(count), SUM(cost), SUM(input), SUM(output), SUM(latency_ms), COUNT(latency_ms) FROM requests GROUP BY 1",
      )
      .all(),
  ),
]);

// Over HTTP: the real CLI, JSON included.
const d = await startDashboardCli(home);
for (const path of ["overview?range=all", "overview?range=7d", "models?range=all", "requests?range=all", "version"])
  rows.push([`HTTP /api/dashboard/${path}`, await time(() => fetch(`${d.origin}/api/dashboard/${path}`).then((r) => r.text()))]);
await d.stop();
store.close();

// The team server's views: 100,000 audit records over a year (no rollup in team.db: straight SQL on its indexes).
const teamRows = Math.min(100_000, ROWS);
const team = SqliteTeamStore.open(join(home, "team.db"));
await team.setAdminHash("0".repeat(64), now);
for (const email of ["alice@example.com", "bob@example.com", "carol@example.com"])
  await team.addDeveloper({ email, tokenHash: crypto.randomUUID(), budget: 50_000_000n, period: "week", now });
t0 = performance.now();
team.db.exec("BEGIN");
const audit = team.db.query(
  `INSERT INTO audit (seq, at, request, developer, client, method, path, model_asked, model_served, input, output, amount, status, latency_ms, prev, hash)
   VALUES (?, ?, ?, ?, 'bench', 'POST', '/v1/messages', ?, ?, ?, ?, ?, 200, ?, '', '')`,
);
for (let i = 1; i <= teamRows; i++)
  audit.run(
    i,
    now - YEAR + Math.floor(i * (YEAR / teamRows)),
    `r${i}`,
    ["alice@example.com", "bob@example.com", "carol@example.com"][i % 3]!,
    MODELS[i % 6]!,
    MODELS[i % 6]!,
    1000,
    200,
    1000 + (i % 9000),
    400 + (i % 3000),
  );
team.db.exec("COMMIT");
const td = teamData(team, () => store.db, "srv_bench");
const label = `team, ${teamRows.toLocaleString("en-US")} records:`;
for (const [name, f] of views(td, label, all)) rows.push([name, await time(f)]);
rows.push([`${label} team view (budgets, top, mix, audit; the chain verified at most every 30 s)`, await time(() => td.team!(all, now))]);
await team.close();
cleanup(home);

console.log(
  `seeded ${ROWS.toLocaleString("en-US")} requests in ${(seedMs / 1000).toFixed(1)} s (rollup: ${hours.toLocaleString("en-US")} rows)`,
);
console.log("| view | median ms |\n|---|---|");
for (const [label, ms] of rows) console.log(`| ${label} | ${ms.toFixed(ms < 10 ? 2 : 1)} |`);
