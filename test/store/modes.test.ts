// Everything runcode creates under its home is private: files 0600, directories 0700, under a permissive umask and
// in a home someone else made 0755. The real CLI writes every kind of file (config with a token, mcp.json, the
// database and its WAL, the debug log, the catalog cache, the REPL history, the daemon's pid/state/log, the Claude
// Code settings backup); then the whole home is walked.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { startFakeGateway, type FakeGateway } from "../fake-gateway";
import { cleanup, runCli, tempDir } from "../helpers";
import { writeConfig } from "../../src/core/config";
import { trust } from "../../src/core/trust";
import { appendHistory } from "../../src/repl/history";

let gw: FakeGateway;
let home: string;
let user: string; // HOME: Bun's own caches and Claude Code's settings live there, outside runcode's home
let port: number;
let umask: number;
const run = (args: string[], o: { stdin?: string; env?: Record<string, string> } = {}) =>
  runCli(args, {
    home,
    stdin: o.stdin,
    env: { RUNCODE_API_URL: gw.url, HOME: user, RUNCODE_NO_RIPGREP: "1", ...o.env },
    timeoutMs: 30_000,
  });

beforeAll(async () => {
  umask = process.umask(0o022); // children inherit it: every file would be 0644 and directory 0755 by default
  gw = await startFakeGateway();
  home = tempDir("runcode-modes-");
  chmodSync(home, 0o755); // a home made by someone else, not by `wallet create`
  user = tempDir("runcode-modes-user-");
  const probe = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response() });
  port = probe.port!;
  probe.stop(true);
});
afterAll(async () => {
  await run(["daemon", "stop"]);
  await gw.stop();
  process.umask(umask);
  cleanup(home, user);
});

/** Every path under `dir` whose mode is not 0600 (file) or 0700 (directory), with its mode; the root included. */
function loose(dir: string): string[] {
  const bad: string[] = [];
  const walk = (p: string) => {
    const st = lstatSync(p);
    const mode = st.mode & 0o777;
    const want = st.isDirectory() ? 0o700 : 0o600;
    if ((st.isDirectory() || st.isFile()) && mode !== want) bad.push(`${relative(home, p) || "."} ${mode.toString(8)}`);
    if (st.isDirectory()) for (const name of readdirSync(p)) walk(join(p, name));
  };
  walk(dir);
  return bad.sort();
}

test("every file runcode writes under its home is 0600 and every directory 0700", async () => {
  expect((await run(["config", "set", "proxy-token", "tok-secret"])).code).toBe(0);
  expect((await run(["mcp", "add", "demo", "--", "echo", "hi"])).code).toBe(0);
  // A gateway error first: the debug log gets a line, then the fallback answers (database, catalog cache).
  gw.push({ fault: { status: 500, body: "boom" } }, { text: "Looks good." });
  expect((await run(["ask", "hi"])).code).toBe(0);
  expect((await run(["sessions"])).code).toBe(0);
  gw.push({ text: "hello back" });
  expect((await run([], { stdin: "hello\n" })).code).toBe(0); // the REPL on a pipe: repl-history
  expect((await run(["init", "--no-autostart", "--port", String(port)])).code).toBe(0);

  // The daemon holds the database open (its -wal and -shm exist) while the home is walked.
  expect((await run(["daemon", "start", "--port", String(port)])).stdout).toContain("started");
  const res = await fetch(`http://127.0.0.1:${port}/v1/messages`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": "tok-secret" },
    body: JSON.stringify({ model: "free", max_tokens: 10, messages: [{ role: "user", content: "hi" }] }),
  });
  expect(res.status).toBe(200);
  await res.text();

  for (const f of [
    "runcode-config.json",
    "mcp.json",
    "runcode.db",
    "runcode.db-wal",
    "runcode.db-shm",
    "runcode-debug.log",
    "cache/models.json",
    "repl-history",
    "claude-settings-backup.json",
    "runcode.pid",
    "runcode-daemon.json",
    "logs/proxy.log",
  ])
    expect(existsSync(join(home, f)) ? f : `missing ${f}`).toBe(f);
  expect(loose(home)).toEqual([]);

  expect((await run(["daemon", "stop"])).code).toBe(0);
  expect(loose(home)).toEqual([]);
}, 120_000);

test("rewriting files that exist with a wider mode narrows them; the write helpers make missing directories 0700", () => {
  const dir = tempDir("runcode-modes-unit-");
  try {
    chmodSync(dir, 0o755);
    const config = join(dir, "runcode-config.json");
    writeConfig(config, { "proxy-token": "a" });
    chmodSync(config, 0o644);
    writeConfig(config, { "proxy-token": "b" });
    trust(join(dir, "trusted-projects.json"), "/some/project");
    mkdirSync(join(dir, "sub"), { mode: 0o755 });
    chmodSync(join(dir, "sub"), 0o755);
    appendHistory(join(dir, "sub", "repl-history"), "hi");
    for (const f of ["runcode-config.json", "trusted-projects.json", "sub/repl-history"])
      expect(`${f} ${(statSync(join(dir, f)).mode & 0o777).toString(8)}`).toBe(`${f} 600`);
    for (const d of [".", "sub"]) expect(`${d} ${(statSync(join(dir, d)).mode & 0o777).toString(8)}`).toBe(`${d} 700`);
  } finally {
    cleanup(dir);
  }
});
