// Team server benchmark: what authentication, the developer's budget transaction and the audit record add to a paid
// request, next to the plain proxy, both paying the same fake gateway (x402 server side on) from the same kind of
// wallet; then 500 concurrent streams from 50 developers, and budget-checked paid requests per second.
// The fake gateway runs in its own process; `runcode proxy` and `runcode team serve` are the real CLI (from source,
// or the binary given), each pinned to 2 cores with taskset when available. Numbers are medians of RUNS runs.
// With --pg: the team store on a real PostgreSQL (test/pg.ts: Debian's postgresql on a temp dir) next to SQLite,
// added latency of the PostgreSQL store (p50, p99), and paid requests/second with one and two servers on it.
// Usage: bun bench/team.ts [path/to/binary] [--runs 3] [--n 1000] [--pg]
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startFakeGateway, type Recorded, type Reply } from "../test/fake-gateway";
import { fakeX402 } from "../test/fake-x402";
import { walletEnv } from "../test/wallet";
import { startPostgres } from "../test/pg";
import { freshDatabase } from "../test/team/setup";

const ROOT = resolve(import.meta.dir, "..");
const arg = (name: string, d: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : d;
};
const role = process.argv[2];
const given = process.argv.slice(2).find((a) => !a.startsWith("--") && existsSync(a));
const cli = given ? [resolve(given)] : [process.execPath, join(ROOT, "src/main.ts")];
const SONNET = "anthropic/claude-sonnet-4.6";

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
const median = (xs: number[]) => pct(xs, 0.5);
const body = (stream: boolean, prompt = "hi") =>
  JSON.stringify({ model: SONNET, max_tokens: 100, stream, messages: [{ role: "user", content: prompt }] });

async function spawnGateway() {
  const proc = Bun.spawn([process.execPath, import.meta.path, "gateway"], { stdout: "pipe", stderr: "inherit" });
  const { value } = await proc.stdout.getReader().read();
  return { proc, url: new TextDecoder().decode(value).trim() };
}

function home(gateway: string) {
  const dir = mkdtempSync(join(tmpdir(), "runcode-bench-team-"));
  const env = { ...process.env, HOME: dir, RUNCODE_HOME: dir, RUNCODE_API_URL: gateway, ...walletEnv(), NO_COLOR: "1" };
  const run = (args: string[]) => {
    const r = Bun.spawnSync([...cli, ...args], { env, stdout: "pipe", stderr: "pipe" });
    if (r.exitCode !== 0) throw new Error(`${args.join(" ")}: ${r.stderr.toString()}`);
    return r.stdout.toString().trim();
  };
  // No budget of the wallet's own stops a benchmark of thousands of paid requests.
  for (const k of ["max-usd-per-session", "max-usd-per-day"]) run(["config", "set", k, "1000000"]);
  return { dir, env, run };
}

/** Starts a long-running runcode command and resolves with its URL from its "listening on" line. */
async function listen(h: ReturnType<typeof home>, args: string[]) {
  const cmd = [...cli, ...args];
  const proc = Bun.spawn(Bun.which("taskset") ? ["taskset", "-c", "0,1", ...cmd] : cmd, { env: h.env, stdout: "ignore", stderr: "pipe" });
  const reader = proc.stderr.getReader();
  let text = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`${args.join(" ")} exited: ${text}`);
    text += new TextDecoder().decode(value);
    const m = /listening on http:\/\/localhost:(\d+)/.exec(text);
    if (m) {
      void (async () => {
        while (!(await reader.read()).done);
      })();
      return { proc, url: `http://127.0.0.1:${m[1]}` };
    }
  }
}

async function times(url: string, token: string, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const res = await fetch(`${url}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: body(false),
    });
    if (res.status !== 200) throw new Error(`status ${res.status}: ${await res.text()}`);
    await res.text();
    out.push(performance.now() - t);
  }
  return out;
}

async function once(n: number) {
  const gw = await spawnGateway();
  const p = home(gw.url);
  const t = home(gw.url);
  t.run(["team", "init"]);
  const tokens = Array.from({ length: 50 }, (_, i) => t.run(["team", "add", `dev${i}@example.com`, "--budget", "100000"]));
  const proxy = await listen(p, ["proxy", "--port", "0"]);
  const team = await listen(t, ["team", "serve", "--port", "0"]);
  try {
    await times(proxy.url, "-", 100); // warm up: the first paid request learns the quote; then both sign up front
    await times(team.url, tokens[0]!, 100);
    const plain: number[] = [];
    const teamed: number[] = [];
    // Interleaved in blocks, so a slow moment of the machine lands on both.
    for (let b = 0; b < 10; b++) {
      plain.push(...(await times(proxy.url, "-", n / 10)));
      teamed.push(...(await times(team.url, tokens[b % 50]!, n / 10)));
    }

    let errors = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: 500 }, async (_, i) => {
        try {
          const res = await fetch(`${team.url}/v1/messages`, {
            method: "POST",
            headers: { "content-type": "application/json", authorization: `Bearer ${tokens[i % 50]}` },
            body: body(true, "slow"),
          });
          if (!(await res.text()).includes("message_stop")) errors++;
        } catch {
          errors++;
        }
      }),
    );
    const concurrentMs = performance.now() - t0;

    let done = 0;
    const end = performance.now() + 3000;
    await Promise.all(
      Array.from({ length: 32 }, async (_, i) => {
        while (performance.now() < end) {
          const res = await fetch(`${team.url}/v1/messages`, {
            method: "POST",
            headers: { "content-type": "application/json", authorization: `Bearer ${tokens[i % 50]}` },
            body: body(false),
          });
          await res.text();
          if (res.status === 200) done++;
        }
      }),
    );
    return {
      added: median(teamed) - median(plain),
      plain: median(plain),
      p99: pct(teamed, 0.99) - pct(plain, 0.99),
      errors,
      concurrentMs,
      rps: done / 3,
    };
  } finally {
    for (const x of [proxy.proc, team.proc, gw.proc]) x.kill();
    await Promise.all([proxy.proc.exited, team.proc.exited, gw.proc.exited]);
    rmSync(p.dir, { recursive: true, force: true });
    rmSync(t.dir, { recursive: true, force: true });
  }
}

/** Paid requests/second from 32 clients spread over `urls` for 3 s. */
async function throughput(urls: string[], tokens: string[]): Promise<number> {
  let done = 0;
  const end = performance.now() + 3000;
  await Promise.all(
    Array.from({ length: 32 }, async (_, i) => {
      while (performance.now() < end) {
        const res = await fetch(`${urls[i % urls.length]}/v1/messages`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${tokens[i % tokens.length]}` },
          body: body(false),
        });
        await res.text();
        if (res.status === 200) done++;
      }
    }),
  );
  return done / 3;
}

/** SQLite next to PostgreSQL for the team store, and one vs two servers on PostgreSQL. */
async function oncePg(n: number, pgUrl: string) {
  const gw = await spawnGateway();
  const lite = home(gw.url);
  const db = await freshDatabase(pgUrl);
  const pgA = home(gw.url);
  const pgB = home(gw.url);
  for (const h of [pgA, pgB]) h.run(["config", "set", "team-db", db]);
  lite.run(["team", "init"]);
  pgA.run(["team", "init"]);
  const liteTokens = Array.from({ length: 10 }, (_, i) => lite.run(["team", "add", `dev${i}@example.com`, "--budget", "100000"]));
  const pgTokens = Array.from({ length: 10 }, (_, i) => pgA.run(["team", "add", `dev${i}@example.com`, "--budget", "100000"]));
  const servers = [await listen(lite, ["team", "serve", "--port", "0"]), await listen(pgA, ["team", "serve", "--port", "0"])];
  try {
    const sl = servers[0]!;
    const sp = servers[1]!;
    await times(sl.url, liteTokens[0]!, 100);
    await times(sp.url, pgTokens[0]!, 100);
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < 10; i++) {
      a.push(...(await times(sl.url, liteTokens[i]!, n / 10)));
      b.push(...(await times(sp.url, pgTokens[i]!, n / 10)));
    }
    const one = await throughput([sp.url], pgTokens);
    servers.push(await listen(pgB, ["team", "serve", "--port", "0"]));
    await times(servers[2]!.url, pgTokens[0]!, 50);
    const two = await throughput([sp.url, servers[2]!.url], pgTokens);
    return { p50: median(b) - median(a), p99: pct(b, 0.99) - pct(a, 0.99), lite: median(a), one, two };
  } finally {
    for (const x of [...servers.map((s) => s.proc), gw.proc]) x.kill();
    await Promise.all([...servers.map((s) => s.proc.exited), gw.proc.exited]);
    for (const h of [lite, pgA, pgB]) rmSync(h.dir, { recursive: true, force: true });
  }
}

async function main() {
  const runs = arg("runs", 3);
  const n = arg("n", 1000);
  const results: Awaited<ReturnType<typeof once>>[] = [];
  for (let i = 0; i < runs; i++) results.push(await once(n));
  const m = (k: keyof (typeof results)[number]) => median(results.map((r) => r[k]));
  const f = (x: number) => x.toFixed(3);
  console.log(
    `runs: ${runs}, ${n} sequential paid requests per server, ${given ?? "from source"}, pinned to 2 cores: ${!!Bun.which("taskset")}`,
  );
  console.log(
    `added latency vs the plain proxy, paid, non-streaming: p50 ${f(m("added"))} ms, p99 ${f(m("p99"))} ms (proxy p50 ${f(m("plain"))} ms)`,
  );
  console.log(
    `500 concurrent streams from 50 developers: ${Math.max(...results.map((r) => r.errors))} errors (worst run), ${m("concurrentMs").toFixed(0)} ms`,
  );
  console.log(`budget-checked paid requests/second (32 clients, non-streaming): ${m("rps").toFixed(0)}`);
  if (!process.argv.includes("--pg")) return;
  const pg = await startPostgres();
  try {
    const pr: Awaited<ReturnType<typeof oncePg>>[] = [];
    for (let i = 0; i < runs; i++) pr.push(await oncePg(n, pg.url));
    const q = (k: keyof (typeof pr)[number]) => median(pr.map((r) => r[k]));
    console.log(`PostgreSQL store vs SQLite store, paid: p50 +${f(q("p50"))} ms, p99 +${f(q("p99"))} ms (SQLite p50 ${f(q("lite"))} ms)`);
    console.log(
      `paid requests/second on PostgreSQL: 1 server ${q("one").toFixed(0)}, 2 servers ${q("two").toFixed(0)} (all on this machine's 2 cores)`,
    );
  } finally {
    await pg.remove();
  }
}

if (role === "gateway") {
  const x402 = fakeX402(); // priced from the catalog, as runcode predicts it: paid requests are signed up front
  const reply = (rec: Recorded): Reply => (rec.raw.includes('"slow"') ? { text: "word ".repeat(40), delayMs: 10 } : { text: "ok" });
  const gw = await startFakeGateway({ intercept: x402.intercept, script: Array.from({ length: 500_000 }, () => reply) });
  console.log(gw.url);
} else await main();
