// The daemon with real processes in a temp home on a random free port, in front of the fake gateway.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startFakeGateway, type FakeGateway } from "../fake-gateway";
import { cleanup, runCli, tempDir, waitFor } from "../helpers";

let gw: FakeGateway;
let home: string;
let port: number;
const run = (...args: string[]) => runCli(["daemon", ...args], { home, env: { RUNCODE_API_URL: gw.url }, timeoutMs: 30_000 });

beforeAll(async () => {
  gw = await startFakeGateway({ script: [{ text: "from the daemon", delayMs: 30 }] });
  home = tempDir("runcode-daemon-");
  const probe = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response() });
  port = probe.port!;
  probe.stop(true);
});
afterAll(async () => {
  await run("stop");
  await gw.stop();
  cleanup(home);
});

describe("runcode daemon", () => {
  test("start, status from /health, a request through it, logs, restart, stop", async () => {
    const start = await run("start", "--port", String(port));
    expect(start.stdout).toContain(`started (pid`);
    const pid = Number(readFileSync(join(home, "runcode.pid"), "utf8"));
    expect(pid).toBeGreaterThan(0);
    expect((await run("start", "--port", String(port))).stdout).toContain("already running");

    const status = await run("status", "--json");
    expect(status.code).toBe(0);
    const s = JSON.parse(status.stdout);
    expect(s).toMatchObject({ running: true, pid, health: { status: "ok", pid, port } });

    const res = await fetch(`http://127.0.0.1:${port}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "free", max_tokens: 10, stream: true, messages: [{ role: "user", content: "hi" }] }),
    });
    expect(await res.text()).toContain("daemon");
    const logs = await run("logs", "-n", "5");
    // The request line has one date-time, the file's: its own HH:MM:SS is not shown a second time.
    expect(logs.stdout).toMatch(/^\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\] POST \/v1\/messages free → nvidia\/\S+ 200 \d+ms/m);
    expect(logs.stdout.split("\n").filter((l) => (l.match(/\d\d:\d\d:\d\d/g) ?? []).length > 1)).toEqual([]);
    // Every line of the log carries its date-time, the startup banner's included.
    const all = (await run("logs", "-n", "50")).stdout.split("\n").filter(Boolean);
    expect(all.some((l) => l.includes("runcode proxy") && l.includes(" on http"))).toBe(true);
    expect(all.filter((l) => !/^\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\] /.test(l))).toEqual([]);

    const restart = await run("restart");
    expect(restart.stdout).toContain("started");
    const pid2 = Number(readFileSync(join(home, "runcode.pid"), "utf8"));
    expect(pid2).not.toBe(pid);

    const stop = await run("stop");
    expect(stop.stdout).toContain(`stopped (pid ${pid2})`);
    expect(existsSync(join(home, "runcode.pid"))).toBe(false);
    const down = await run("status");
    expect(down.code).toBe(1);
    expect(down.stdout).toContain("not running");
  }, 60_000);

  test("SIGTERM lets an in-flight stream finish before the process exits", async () => {
    // The gateway holds its answer until the daemon has taken the SIGTERM with this request in flight.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    gw.push(async () => (await held, { text: "slow words arrive one by one until the end", delayMs: 20 }));
    await run("start", "--port", String(port));
    const log = join(home, "logs", "proxy.log");
    const logged = existsSync(log) ? readFileSync(log, "utf8").length : 0;
    const calls = gw.calls().length;
    const res = fetch(`http://127.0.0.1:${port}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "free", max_tokens: 10, stream: true, messages: [{ role: "user", content: "hi" }] }),
    });
    await gw.waitForCalls(calls + 1);
    const stop = run("stop");
    await waitFor(() => existsSync(log) && readFileSync(log, "utf8").slice(logged).includes("SIGTERM: draining 1 in-flight request(s)"), {
      timeoutMs: 15_000,
      what: `the daemon to log the SIGTERM with the request in flight in ${log}`,
    });
    release();
    const text = await (await res).text();
    expect(text).toContain("message_stop");
    expect((await stop).stdout).toContain("stopped");
  }, 60_000);

  test("a stale pid file is detected and replaced", async () => {
    writeFileSync(join(home, "runcode.pid"), "999999\n");
    expect((await run("status")).code).toBe(1);
    expect(existsSync(join(home, "runcode.pid"))).toBe(false);
    writeFileSync(join(home, "runcode.pid"), "999999\n");
    const start = await run("start", "--port", String(port));
    expect(start.stdout).toContain("started");
    expect(start.stderr).toContain("stale");
    await run("stop");
  }, 60_000);
});
