// The team server end to end, as one suite run against each team store (test/team/server.test.ts: SQLite;
// server-pg.test.ts: a real PostgreSQL): `runcode team serve` (the compiled binary in CI) in front of the fake
// gateway with the x402 server side, developers through the official SDKs and raw HTTP, budgets, tokens, TLS, the
// audit chain, kill -9 mid-stream, and no token in anything runcode wrote.
import { Database } from "bun:sqlite";
import { afterAll, afterEach, beforeAll, expect, test } from "bun:test";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { cleanup, jsonLines, tempDir, waitFor } from "../helpers";
import { startPostgres, type Postgres } from "../pg";
import { call, freshDatabase, message, serve, teamMachine as machine, type Served, type Team } from "./setup";

export function teamSuite(backend: "sqlite" | "postgres") {
  let pg: Postgres | undefined;
  let db: string | undefined;
  beforeAll(async () => {
    if (backend === "postgres") pg = await startPostgres();
  });
  afterAll(async () => {
    await pg?.remove();
  });
  /** A team machine on this suite's store: a fresh database on the test PostgreSQL, or team.db in its home. */
  const teamMachine = async (o: Parameters<typeof machine>[0] = {}) => {
    db = pg ? await freshDatabase(pg.url) : undefined;
    return machine({ ...o, db });
  };
  /** Runs SQL on the team store behind runcode's back (what an attacker with database access could do). */
  const tamper = async (sql: string) => {
    if (db) {
      const { SQL } = await import("bun");
      const c = new SQL(db, { max: 1 });
      await c.unsafe(sql);
      await c.close();
    } else {
      const d = new Database(join(t!.home, "team.db"));
      d.exec(sql);
      d.close();
    }
  };

  const SONNET = "anthropic/claude-sonnet-4.6";
  const PRICE = 10_000n; // $0.01 a request: budgets in whole requests
  let t: Team | undefined;
  const servers: Served[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.stop();
    await t?.gw.stop();
    if (t) cleanup(t.home);
    t = undefined;
  });

  const started = async (args: string[] = [], env: Record<string, string> = {}) => {
    const s = await serve(t!, args, env);
    servers.push(s);
    return s;
  };
  const replies = (n: number, text = "ok") => Array.from({ length: n }, () => ({ text }));
  const spentBy = (email: string) => async () => {
    const rows = JSON.parse((await t!.team(["list", "--json"])).stdout) as Array<{ email: string; spent: string; left: string | null }>;
    return rows.find((r) => r.email === email)!;
  };
  /**
   * The audit log once it holds `n` records: a record is written when its answer has ended, which a client can see
   * a moment before the store does (PostgreSQL writes asynchronously).
   */
  const auditRows = async (n: number) =>
    (await waitFor(
      async () => {
        const rows = jsonLines((await t!.team(["audit", "--json"])).stdout);
        return rows.length >= n && rows;
      },
      { what: `${n} audit records` },
    )) as any[];
  const settledUsd = () => t!.x402.settled.reduce((n, p) => n + p.amount, 0n);

  test("two developers through the Anthropic and OpenAI SDKs: paid from the team wallet, a budget refused at the request that would pass it", async () => {
    t = await teamMachine({ script: replies(6, "team answer"), x402: { price: PRICE } });
    const a = await t.add("a@example.com", "--budget", "0.025");
    const b = await t.add("b@example.com");
    const s = await started();
    const anthropic = new Anthropic({ baseURL: `${s.url}/api`, authToken: a, apiKey: null, maxRetries: 0 });
    const openai = new OpenAI({ baseURL: `${s.url}/v1`, apiKey: b, maxRetries: 0 });

    for (let i = 0; i < 2; i++) {
      const m = await anthropic.messages.create({ model: SONNET, max_tokens: 100, messages: [{ role: "user", content: `q${i}` }] });
      expect(m.content[0]).toMatchObject({ type: "text", text: "team answer" });
    }
    const refused = await anthropic.messages
      .create({ model: SONNET, max_tokens: 100, messages: [{ role: "user", content: "q3" }] })
      .catch((e) => e);
    expect(refused).toBeInstanceOf(Anthropic.APIError);
    expect(refused.status).toBe(402);
    expect(refused.error.error.message).toBe(
      "a@example.com has $0.005 of $0.025 left this week, and this request needs $0.01: ask your team admin to raise it (`runcode team budget a@example.com <usd>`), or use a free model with -m free",
    );
    for (let i = 0; i < 3; i++) {
      const c = await openai.chat.completions.create({ model: SONNET, messages: [{ role: "user", content: `b${i}` }] });
      expect(c.choices[0]!.message.content).toBe("team answer");
    }

    // The gateway was paid five times from the one team wallet; the refused request never reached it paid.
    expect(t.x402.settled.map((p) => p.amount)).toEqual([PRICE, PRICE, PRICE, PRICE, PRICE]);
    expect(new Set(t.x402.settled.map((p) => p.payer)).size).toBe(1);
    for (const c of t.gw.calls()) {
      expect(JSON.stringify(c.headers)).not.toContain(a);
      expect(JSON.stringify(c.headers)).not.toContain(b);
    }
    expect(await spentBy("a@example.com")()).toMatchObject({ spent: "$0.02", left: "$0.005" });
    expect(await spentBy("b@example.com")()).toMatchObject({ spent: "$0.03", left: null });

    // Every request is one record: who, which client, which model, what it cost, its status; the chain verifies.
    const audit = await auditRows(6);
    expect(audit.map((r) => [r.developer, r.status, r.usd])).toEqual([
      ["a@example.com", 200, "0.010000"],
      ["a@example.com", 200, "0.010000"],
      ["a@example.com", 402, "0.000000"],
      ["b@example.com", 200, "0.010000"],
      ["b@example.com", 200, "0.010000"],
      ["b@example.com", 200, "0.010000"],
    ]);
    expect(audit[0]).toMatchObject({ model_asked: SONNET, model_served: SONNET, path: "/v1/messages", method: "POST" });
    expect(audit[0].client).toMatch(/Anthropic\/JS/);
    expect(audit[3].client).toMatch(/OpenAI\/JS/);
    expect(audit[0].body_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(audit)).not.toContain("q0"); // no prompt without --audit-prompts
    const csv = (await t.team(["audit", "--csv", "--user", "b@example.com"])).stdout.trim().split("\r\n");
    expect(csv).toHaveLength(4);
    expect(csv[0]).toStartWith("seq,time,request,developer");
    const verify = await t.team(["audit", "--verify"]);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/^ok: 6 records, chain intact; head [0-9a-f]{64}\n$/);
  }, 60_000);

  test("50 concurrent requests of one developer at the edge of the budget: exactly the budget is spent, never more", async () => {
    t = await teamMachine({ script: replies(50), x402: { price: PRICE } });
    const c = await t.add("c@example.com", "--budget", "0.25", "--per", "day");
    const s = await started();
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => call(s.url, c, message(SONNET, `n${i}`)).then((r) => r.status)));
    expect(results.filter((x) => x === 200)).toHaveLength(25);
    expect(results.filter((x) => x === 402)).toHaveLength(25);
    expect(settledUsd()).toBe(25n * PRICE);
    expect(await spentBy("c@example.com")()).toMatchObject({ spent: "$0.25", left: "$0.00" });
    await auditRows(50);
    expect((await t.team(["audit", "--verify"])).stdout).toStartWith("ok: 50 records");
  }, 60_000);

  test("a wrong token, a revoked one and a rotated-away one are refused on the next request, in the client's shape", async () => {
    t = await teamMachine({ script: replies(4), x402: { price: PRICE } });
    const d = await t.add("d@example.com");
    const s = await started();
    expect((await call(s.url, d, message(SONNET))).status).toBe(200);

    const none = await call(s.url, undefined, message(SONNET));
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ type: "error", error: { type: "authentication_error" } });
    const wrong = await call(s.url, `rct_${"x".repeat(43)}`, message(SONNET), { path: "/v1/chat/completions" });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: { message: string } }).error.message).toContain("not valid");

    const rotated = await t.team(["rotate", "d@example.com"]);
    const fresh = rotated.stdout.trim();
    expect(fresh).toMatch(/^rct_/);
    expect((await call(s.url, d, message(SONNET))).status).toBe(401);
    expect((await call(s.url, fresh, message(SONNET))).status).toBe(200);
    expect((await t.team(["revoke", "d@example.com"])).code).toBe(0);
    expect((await call(s.url, fresh, message(SONNET))).status).toBe(401);
    expect(t.x402.settled).toHaveLength(2);

    // The proxy's rules for browsers and DNS rebinding hold here too.
    expect((await call(s.url, fresh, message(SONNET), { headers: { origin: "https://evil.example" } })).status).toBe(403);
    const rebound = await fetch(`${s.url}/health`, { headers: { host: `evil.example:${s.port}` } });
    expect(rebound.status).toBe(403);
    expect(await (await fetch(`${s.url}/health`)).json()).toMatchObject({ status: "ok", database: "ok" });
  }, 60_000);

  test("TLS with a self-signed certificate: developers and the remote admin API over https; no plain HTTP beyond loopback", async () => {
    t = await teamMachine({ script: replies(2), x402: { price: PRICE } });
    const dir = tempDir("runcode-tls-");
    const cert = join(dir, "cert.pem");
    const key = join(dir, "key.pem");
    const made = Bun.spawnSync(
      [
        "openssl",
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=localhost",
      ].concat(["-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", key, "-out", cert]),
      { stderr: "pipe" },
    );
    expect(made.exitCode).toBe(0);
    const e = await t.add("e@example.com");

    const refused = await t.team(["serve", "--host", "0.0.0.0", "--port", "0"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("refusing to listen on 0.0.0.0 without TLS");
    expect(refused.stderr).toContain("--tls-cert cert.pem --tls-key key.pem");

    const s = await started(["--host", "127.0.0.1", "--tls-cert", cert, "--tls-key", key]);
    expect(s.url).toStartWith("https://");
    const ca = readFileSync(cert, "utf8");
    const res = await fetch(`${s.url}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": e },
      body: JSON.stringify(message(SONNET)),
      tls: { ca },
    } as RequestInit);
    expect(res.status).toBe(200);
    // Without trusting the certificate, nothing is sent.
    expect(await fetch(`${s.url}/health`).catch((err) => String(err))).toMatch(/certificate|self.signed|SSL|TLS/i);

    const env = { RUNCODE_TEAM_ADMIN_TOKEN: t.admin, RUNCODE_TEAM_CA: cert };
    const added = await t.team(["add", "f@example.com", "--budget", "5", "--server", s.url], env);
    expect(added.code).toBe(0);
    expect(added.stdout.trim()).toMatch(/^rct_/);
    const list = await t.team(["list", "--json", "--server", s.url], env);
    expect(JSON.parse(list.stdout).map((d: { email: string }) => d.email)).toEqual(["e@example.com", "f@example.com"]);
    const bad = await t.team(["list", "--server", s.url], { ...env, RUNCODE_TEAM_ADMIN_TOKEN: `rca_${"y".repeat(43)}` });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("the admin token is missing or wrong");
    cleanup(dir);
  }, 60_000);

  test("audit --verify passes, then names the record that was edited or deleted in the database", async () => {
    t = await teamMachine({ script: replies(3), x402: { price: PRICE } });
    const g = await t.add("g@example.com");
    const s = await started();
    for (let i = 0; i < 3; i++) expect((await call(s.url, g, message(SONNET, `v${i}`))).status).toBe(200);
    await s.stop();
    expect((await t.team(["audit", "--verify"])).code).toBe(0);

    await tamper("UPDATE audit SET amount = 0 WHERE seq = 2");
    let v = await t.team(["audit", "--verify"]);
    expect(v.code).toBe(1);
    expect(v.stdout).toBe("BROKEN at record 2: record 2 was changed (2 records read)\n");
    await tamper(`UPDATE audit SET amount = ${PRICE} WHERE seq = 2`);
    expect((await t.team(["audit", "--verify"])).code).toBe(0);
    await tamper("DELETE FROM audit WHERE seq = 2");
    v = await t.team(["audit", "--verify"]);
    expect(v.code).toBe(1);
    expect(v.stdout).toStartWith("BROKEN at record 3: record 2 is missing");
  }, 60_000);

  test("kill -9 mid-stream: after a restart the paid answer counts once, its record says interrupted, the chain verifies", async () => {
    const long = Array.from({ length: 400 }, (_, i) => `w${i}`).join(" ");
    t = await teamMachine({ script: [{ text: long, delayMs: 25 }, { text: "after" }], x402: { price: PRICE } });
    const h = await t.add("h@example.com", "--budget", "1");
    let s = await started();
    const res = await call(s.url, h, { ...message(SONNET), stream: true });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    expect((await reader.read()).done).toBe(false); // the answer is streaming
    s.proc.kill("SIGKILL");
    await s.proc.exited;
    await reader.read().catch(() => {}); // the stream ends with the server

    s = await started();
    await waitFor(
      () => s.lines.some((l) => l.includes("recovered after an interrupted run")) || s.lines.some((l) => l.includes("listening")),
      {
        what: "the restarted server",
      },
    );
    expect((await call(s.url, h, message(SONNET))).status).toBe(200);
    expect(settledUsd()).toBe(2n * PRICE);
    expect(await spentBy("h@example.com")()).toMatchObject({ spent: "$0.02", left: "$0.98" });
    const audit = await auditRows(2);
    expect(audit.map((r) => [r.usd, r.status])).toEqual([
      ["0.010000", 0],
      ["0.010000", 200],
    ]);
    expect(audit[0].note).toContain("interrupted");
    expect((await t.team(["audit", "--verify"])).code).toBe(0);
    // A second restart finds nothing left to recover: nothing is counted twice.
    await s.stop();
    s = await started();
    expect(s.lines.some((l) => l.includes("recovered"))).toBe(false);
    expect(jsonLines((await t.team(["audit", "--json"])).stdout)).toHaveLength(2);
  }, 60_000);

  test("no developer or admin token in any log, record or file the team machine wrote", async () => {
    t = await teamMachine({ script: replies(3), x402: { price: PRICE }, config: { debug: "true" } });
    const k = await t.add("k@example.com", "--budget", "0.01");
    const s = await started();
    expect((await call(s.url, k, message(SONNET))).status).toBe(200);
    expect((await call(s.url, k, message(SONNET))).status).toBe(402);
    expect((await call(s.url, `${k.slice(0, -2)}zz`, message(SONNET))).status).toBe(401);
    await call(s.url, k, { model: SONNET, messages: "not an array" });
    await s.stop();
    const files: string[] = [];
    const walk = (d: string) => {
      for (const name of readdirSync(d)) {
        const f = join(d, name);
        if (statSync(f).isDirectory()) walk(f);
        else files.push(readFileSync(f).toString("latin1"));
      }
    };
    walk(t.home);
    expect(readFileSync(join(t.home, "runcode-debug.log"), "utf8")).toContain("payment");
    const all = [...files, s.lines.join("\n")].join("\n");
    expect(all).toContain("k@example.com");
    for (const secret of [k, t.admin, k.slice(4), t.admin.slice(4)]) expect(all).not.toContain(secret);
    // The database password (in the team-db URL) is in the config file the user wrote, and nowhere runcode writes.
    if (pg)
      for (const log of [readFileSync(join(t.home, "runcode-debug.log"), "utf8"), s.lines.join("\n")])
        expect(log).not.toContain(pg.password);
    for (const f of readdirSync(t.home).filter((n) => n.startsWith("team.db")))
      expect((statSync(join(t.home, f)).mode & 0o777).toString(8)).toBe("600");
  }, 60_000);

  test("team-wide limits, the per-token rate limit, the body limit and --audit-prompts", async () => {
    t = await teamMachine({
      script: replies(6),
      x402: { price: PRICE },
      config: { "max-usd-per-request": "0.005", "team-rate-per-minute": "4", "proxy-max-body-mb": "1" },
    });
    const m = await t.add("m@example.com");
    const n = await t.add("n@example.com");
    const s = await started(["--audit-prompts"]);
    const FREE = "nvidia/qwen3-coder-480b";
    expect((await call(s.url, m, message(FREE, "first secret plan"))).status).toBe(200);
    // The team wallet's own limits hold for every developer, and the refusal is worded for the developer who reads it.
    const capped = await call(s.url, n, message(SONNET));
    expect(capped.status).toBe(402);
    expect(((await capped.json()) as { error: { message: string } }).error.message).toBe(
      "the team wallet's limit: refused to pay $0.01 for anthropic/claude-sonnet-4.6: over max-usd-per-request ($0.005): ask your team admin (on the team machine: raise it with `runcode config set max-usd-per-request 0.02`), or use a free model with -m free",
    );
    // m may send 4 a minute: three more pass the limiter, the fifth is refused with when to retry.
    for (let i = 0; i < 3; i++) expect((await call(s.url, m, message(FREE))).status).toBe(200);
    const limited = await call(s.url, m, message(FREE));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    const big = await call(s.url, n, message(FREE, "x".repeat(1_100_000)));
    expect(big.status).toBe(413);
    expect(t.x402.settled).toHaveLength(0);
    const audit = await auditRows(7);
    expect(audit[0].prompt).toContain("first secret plan");
    expect(audit.map((r) => [r.developer, r.status])).toEqual([
      ["m@example.com", 200],
      ["n@example.com", 402],
      ["m@example.com", 200],
      ["m@example.com", 200],
      ["m@example.com", 200],
      ["m@example.com", 429],
      ["n@example.com", 413],
    ]);
  }, 60_000);
}
