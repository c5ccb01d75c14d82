// `runcode doctor` end to end in a temp home: the fake gateway, a loopback JSON-RPC + /health server standing in
// for the chain RPC and the proxy, and broken setups that must each produce a ✗ with its fix.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type FakeGateway, startFakeGateway } from "../fake-gateway";
import { cleanup, runCli, tempDir } from "../helpers";

type Check = { id: string; status: "ok" | "warn" | "fail"; detail: string; fix?: string };

let gw: FakeGateway;
let local: ReturnType<typeof Bun.serve>;
let chainId = "0x2105";
const homes: string[] = [];

beforeAll(async () => {
  gw = await startFakeGateway();
  local = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(req) {
      if (new URL(req.url).pathname === "/health") return Response.json({ ok: true });
      const body = (await req.json()) as { id: number; method: string };
      return Response.json({ jsonrpc: "2.0", id: body.id, result: body.method === "getHealth" ? "ok" : chainId });
    },
  });
});
afterAll(async () => {
  await gw.stop();
  local.stop(true);
  cleanup(...homes);
});

function home() {
  const h = tempDir("runcode-doctor-");
  homes.push(h);
  return h;
}

const localUrl = () => `http://127.0.0.1:${local.port}`;
const healthyEnv = () => ({
  RUNCODE_API_URL: `${gw.url}/api`,
  RUNCODE_BASE_RPC_URL: localUrl(),
  RUNCODE_SOLANA_RPC_URL: localUrl(),
  RUNCODE_PROXY_URL: localUrl(),
});

async function doctor(h: string, env: Record<string, string | undefined> = {}, args: string[] = ["--json"]) {
  const r = await runCli(["doctor", ...args], { home: h, env: { ...healthyEnv(), ...env } });
  if (!args.includes("--json")) return { ...r, checks: new Map<string, Check>(), ok: r.code === 0 };
  const out = JSON.parse(r.stdout) as { ok: boolean; checks: Check[] };
  return { ...r, ok: out.ok, checks: new Map(out.checks.map((c) => [c.id, c])) };
}

describe("runcode doctor", () => {
  test("a healthy setup: every check ok or warn, exit 0", async () => {
    const r = await doctor(home());
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.ok).toBe(true);
    expect([...r.checks.keys()]).toEqual([
      "version",
      "path",
      "home",
      "config",
      "keys",
      "wallet",
      "catalog",
      "mcp",
      "claude",
      "sandbox",
      "gateway",
      "rpc",
      "proxy",
    ]);
    // bubblewrap is installed by the test command: the sandbox row says which mechanism --sandbox uses.
    expect(r.checks.get("sandbox")).toMatchObject({ status: "ok" });
    expect(r.checks.get("sandbox")!.detail).toContain("bubblewrap");
    expect(r.checks.get("gateway")).toMatchObject({ status: "ok" });
    expect(r.checks.get("gateway")!.detail).toContain(`${gw.url}/api answered in`);
    expect(r.checks.get("gateway")!.detail).toContain("models)");
    expect(r.checks.get("rpc")).toMatchObject({ status: "ok" });
    expect(r.checks.get("proxy")).toMatchObject({ status: "ok" });
    expect(r.checks.get("wallet")).toMatchObject({ status: "warn", fix: "run `runcode setup` to create and fund one" });
    for (const c of r.checks.values()) if (c.status !== "ok") expect(c.fix).toBeTruthy();
    expect(gw.requests.some((q) => q.method === "GET" && q.path === "/v1/models")).toBe(true);
  });

  test("a key file others can read is a ✗ with the chmod fix, in the table too", async () => {
    const h = home();
    const key = join(h, ".session");
    writeFileSync(key, `0x${"ab".repeat(32)}\n`, { mode: 0o644 });
    const r = await doctor(h);
    expect(r.code).toBe(1);
    expect(r.ok).toBe(false);
    expect(r.checks.get("keys")).toMatchObject({ status: "fail", fix: `run \`chmod 600 ${key}\`` });
    expect(r.checks.get("keys")!.detail).toContain("mode 644");
    expect(r.checks.get("wallet")).toMatchObject({ status: "ok" });

    const text = await doctor(h, {}, []);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/✗ key files +.*readable by other users/);
    expect(text.stdout).toContain(`fix: run \`chmod 600 ${key}\``);
    expect(text.stdout).toContain("1 problem(s)");
    expect(text.stdout).not.toContain("\x1b["); // NO_COLOR is set by the test environment
  });

  test("an unreachable gateway and a wrong-chain RPC fail; a hanging one is cut off", async () => {
    const dead = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("down", { status: 503 }) });
    chainId = "0x1";
    try {
      const r = await doctor(home(), { RUNCODE_API_URL: `http://127.0.0.1:${dead.port}/api` });
      expect(r.code).toBe(1);
      expect(r.checks.get("gateway")).toMatchObject({ status: "fail" });
      expect(r.checks.get("gateway")!.detail).toContain("HTTP 503");
      expect(r.checks.get("rpc")!.status).toBe("fail");
      expect(r.checks.get("rpc")!.detail).toContain("not Base");
    } finally {
      chainId = "0x2105";
      dead.stop(true);
    }
    const hang = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Promise<Response>(() => {}) });
    try {
      const r = await doctor(home(), { RUNCODE_API_URL: `http://127.0.0.1:${hang.port}` }, ["--json", "--timeout", "300"]);
      expect(r.checks.get("gateway")!.detail).toContain("no answer within 300 ms");
    } finally {
      hang.stop(true);
    }
  });

  test("bad MCP config fails; Claude Code pointed at a dead proxy fails; a stale catalog only warns", async () => {
    const h = home();
    writeFileSync(join(h, "mcp.json"), "{ not json");
    mkdirSync(join(h, ".claude"));
    writeFileSync(join(h, ".claude", "settings.json"), JSON.stringify({ env: { ANTHROPIC_BASE_URL: "http://localhost:8402/api" } }));
    mkdirSync(join(h, "cache"));
    writeFileSync(join(h, "cache", "models.json"), JSON.stringify({ fetchedAt: Date.now() - 3 * 3_600_000, baseUrl: gw.url, models: [] }));
    const r = await doctor(h, { RUNCODE_PROXY_URL: "http://127.0.0.1:9" });
    expect(r.code).toBe(1);
    expect(r.checks.get("mcp")).toMatchObject({ status: "fail" });
    expect(r.checks.get("mcp")!.detail).toBe(`${join(h, "mcp.json")} is not valid JSON`);
    expect(r.checks.get("claude")).toMatchObject({ status: "ok" });
    expect(r.checks.get("proxy")).toMatchObject({ status: "fail", fix: "run `runcode daemon start` (or `runcode proxy` in a terminal)" });
    expect(r.checks.get("catalog")).toMatchObject({ status: "warn", fix: "run `runcode models` to refresh it" });

    writeFileSync(join(h, "mcp.json"), JSON.stringify({ mcpServers: { fs: { command: "mcp-fs", args: [] }, web: { url: "http://x" } } }));
    const fixed = await doctor(h, { RUNCODE_PROXY_URL: localUrl() });
    expect(fixed.checks.get("mcp")).toMatchObject({ status: "ok", detail: `2 in ${join(h, "mcp.json")}` });
    expect(fixed.checks.get("proxy")).toMatchObject({ status: "ok" });
    expect(fixed.code).toBe(0);
  });

  test("a malformed key and an unknown chain are failures", async () => {
    const h = home();
    writeFileSync(join(h, ".solana-session"), "not-a-key", { mode: 0o600 });
    const r = await doctor(h, { RUNCODE_CHAIN: "solana" });
    expect(r.checks.get("wallet")).toMatchObject({ status: "fail" });
    expect(r.checks.get("wallet")!.detail).not.toContain("not-a-key");
    const bad = await doctor(home(), { RUNCODE_CHAIN: "dogecoin" });
    expect(bad.checks.get("wallet")!.status).toBe("fail");
  });
});
