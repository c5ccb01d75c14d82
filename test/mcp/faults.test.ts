// Servers that crash, hang, speak garbage or expose 200 tools; permission rules on MCP tools; project trust.
import { afterEach, describe, expect, test } from "bun:test";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type FakeGateway, startFakeGateway, type Script } from "../fake-gateway";
import { cleanup, jsonLines, runCli, tempDir } from "../helpers";
import { assertEvents } from "../schema";
import { callThenEcho, EVERYTHING, fixture, stdio, writeMcp } from "./setup";

let gw: FakeGateway | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await gw?.stop();
  gw = undefined;
  cleanup(...dirs.splice(0));
});
function temp(prefix = "runcode-mcp-") {
  const d = tempDir(prefix);
  dirs.push(d);
  return d;
}

async function ask(h: string, script: Script[], extra: string[] = [], cwd?: string) {
  gw = await startFakeGateway({ script });
  const r = await runCli(["ask", "--jsonl", ...extra, "go"], { home: h, cwd, env: { RUNCODE_API_URL: gw.url }, timeoutMs: 30_000 });
  const events = jsonLines(r.stdout);
  assertEvents(events);
  return { ...r, events, gw };
}
const warnings = (events: Array<{ type: string; message?: string }>) => events.filter((e) => e.type === "warning").map((e) => e.message!);
const names = (g: FakeGateway, i = 0): string[] => (g.calls()[i]!.body.tools ?? []).map((t: { name: string }) => t.name);
const list = async (h: string) =>
  JSON.parse((await runCli(["mcp", "list", "--json"], { home: h })).stdout).servers as Array<Record<string, unknown>>;

describe("mcp: broken servers never break the run", () => {
  test("a server that crashes at start: the answer comes, with one warning naming it", async () => {
    const h = temp();
    writeMcp(join(h, "mcp.json"), { crashy: stdio(fixture("crash")) });
    const r = await ask(h, [{ tools: [{ name: "Read", input: { file_path: "nowhere.txt" } }], delayMs: 100 }, { text: "done" }]);
    expect(r.code).toBe(0);
    expect(r.events.at(-1)).toMatchObject({ type: "result", ok: true, text: "done" });
    expect(warnings(r.events).filter((w) => w.includes('"crashy" is unavailable'))).toHaveLength(1);
    expect((await list(h))[0]).toMatchObject({ status: "failed" });
  }, 30_000);

  test("a server that hangs at start delays a one-shot run by mcp-connect-timeout at most, then is reported unavailable", async () => {
    const h = temp();
    writeMcp(join(h, "mcp.json"), { slow: stdio(fixture("hang")) });
    writeFileSync(join(h, "runcode-config.json"), JSON.stringify({ "mcp-connect-timeout": 1 }));
    const r = await ask(h, [{ text: "the answer" }]);
    expect(r.code).toBe(0);
    expect(r.events.at(-1).text).toBe("the answer");
    expect(warnings(r.events).some((w) => w.includes('"slow" is unavailable') && w.includes("mcp-connect-timeout"))).toBe(true);
    const [s] = await list(h);
    expect(s).toMatchObject({ status: "failed" });
    expect(String(s!.error)).toContain("mcp-connect-timeout");
  }, 30_000);

  test("a one-shot run waits for a slow server: its tools are in the first model call, and the allowed one runs", async () => {
    const h = temp();
    writeMcp(join(h, "mcp.json"), { slowish: stdio(fixture("many"), "2", "400") });
    const r = await ask(
      h,
      [{ tools: [{ name: "mcp__slowish__tool_1", input: { text: "hi" } }] }, { text: "done" }],
      ["--allow", "mcp__slowish__tool_1"],
    );
    expect(r.code).toBe(0);
    expect(names(r.gw, 0)).toContain("mcp__slowish__tool_1");
    expect(r.events.find((e) => e.type === "tool.completed")).toMatchObject({ ok: true, output: "tool_1: hi" });
    expect(warnings(r.events).filter((w) => w.includes("still starting"))).toEqual([]);
  }, 30_000);

  test("a server with 2,000 tools of 5 KB descriptions adds a bounded amount to each request, and is named", async () => {
    const h = temp();
    writeMcp(join(h, "mcp.json"), { huge: stdio(fixture("many"), "2000", "0", "5000") });
    const r = await ask(h, [{ text: "done" }], ["--allow", "mcp__huge__*"]);
    expect(r.code).toBe(0);
    const tools = r.gw.calls()[0]!.body.tools as Array<{ name: string }>;
    const mcp = tools.filter((t) => t.name.startsWith("mcp__huge__"));
    expect(mcp.length).toBeGreaterThan(0);
    expect(mcp.length).toBeLessThan(2000);
    expect(JSON.stringify(mcp).length).toBeLessThan(100 * 1024);
    expect(
      warnings(r.events).some((w) => w.startsWith('MCP server "huge" offers 2000 tools; only the first') && w.includes("are left out")),
    ).toBe(true);
  }, 30_000);

  test("a server that answers with malformed JSON-RPC is reported as failed", async () => {
    const h = temp();
    writeMcp(join(h, "mcp.json"), { garbage: stdio(fixture("malformed")), everything: stdio(EVERYTHING, "stdio") });
    const servers = await list(h);
    expect(servers.find((s) => s.name === "garbage")).toMatchObject({ status: "failed" });
    expect(String(servers.find((s) => s.name === "garbage")!.error)).toContain("not JSON-RPC");
    expect(servers.find((s) => s.name === "everything")).toMatchObject({ status: "connected" });
  }, 30_000);

  test("a server with 200 tools: all offered, any callable", async () => {
    const h = temp();
    writeMcp(join(h, "mcp.json"), { many: stdio(fixture("many"), "200") });
    expect((await list(h))[0]).toMatchObject({ status: "connected", tools: 200 });
    const r = await ask(h, callThenEcho("mcp__many__tool_199", { text: "last" }));
    expect(names(r.gw).filter((n) => n.startsWith("mcp__many__"))).toHaveLength(200);
    expect(r.events.at(-1).text).toBe("got: tool_199: last");
  }, 30_000);

  test("a cached tool whose server no longer starts returns an error result to the model", async () => {
    const h = temp();
    const script = join(h, "server.ts");
    writeFileSync(script, readFileSync(fixture("many")));
    writeMcp(join(h, "mcp.json"), { many: stdio(script, "3") });
    await list(h);
    rmSync(script);
    const r = await ask(h, callThenEcho("mcp__many__tool_1", { text: "x" }));
    expect(names(r.gw)).toContain("mcp__many__tool_1");
    expect(r.events.find((e) => e.type === "tool.completed")).toMatchObject({ ok: false });
    expect(r.events.at(-1).text).toStartWith('got: MCP server "many" is not available');
  }, 30_000);
});

describe("mcp: permissions and trust", () => {
  test("--deny 'mcp__everything__*' hides the tools and a call anyway is denied", async () => {
    const h = temp();
    writeMcp(join(h, "mcp.json"), { everything: stdio(EVERYTHING, "stdio") });
    await list(h);
    const r = await ask(h, callThenEcho("mcp__everything__echo", { message: "no" }), ["--deny", "mcp__everything__*"]);
    expect(names(r.gw).some((n) => n.startsWith("mcp__"))).toBe(false);
    expect(r.events.find((e) => e.type === "tool.denied")).toMatchObject({ tool: "mcp__everything__echo" });
    expect(r.events.some((e) => e.type === "tool.started")).toBe(false);
  }, 30_000);

  test("rules match MCP tool arguments: mcp__everything__echo(*secret*)", async () => {
    const h = temp();
    writeMcp(join(h, "mcp.json"), { everything: stdio(EVERYTHING, "stdio") });
    await list(h);
    const r = await ask(h, callThenEcho("mcp__everything__echo", { message: "my secret" }), ["--deny", "mcp__everything__echo(*secret*)"]);
    expect(names(r.gw)).toContain("mcp__everything__echo");
    expect(r.events.find((e) => e.type === "tool.denied")?.reason).toContain("mcp__everything__echo(*secret*)");
  }, 30_000);

  test("tools without readOnlyHint are mutating: not offered to a non-interactive run unless allowed", async () => {
    const h = temp();
    writeMcp(join(h, "mcp.json"), { everything: stdio(EVERYTHING, "stdio") });
    await list(h);
    const plain = await ask(h, [{ text: "ok" }]);
    expect(names(plain.gw)).toContain("mcp__everything__echo"); // readOnlyHint: true
    expect(names(plain.gw)).not.toContain("mcp__everything__toggle-simulated-logging");
    const allowed = await ask(h, [{ text: "ok" }], ["--allow", "mcp__everything__*"]);
    expect(names(allowed.gw)).toContain("mcp__everything__toggle-simulated-logging");
  }, 30_000);

  test("an untrusted project's .mcp.json is ignored (with a warning) unless --trust-mcp", async () => {
    const h = temp();
    const proj = temp("runcode-mcp-proj-");
    mkdirSync(join(proj, ".git"));
    writeMcp(join(proj, ".mcp.json"), { many: stdio(fixture("many"), "2") });
    const r = await ask(h, [{ text: "ok" }], [], proj);
    expect(warnings(r.events).some((w) => w.includes(".mcp.json is ignored"))).toBe(true);
    const trusted = await runCli(["mcp", "list", "--json", "--trust-mcp"], { home: h, cwd: proj });
    expect(JSON.parse(trusted.stdout).servers[0]).toMatchObject({ name: "many", scope: "project", status: "connected" });
    const r2 = await ask(h, callThenEcho("mcp__many__tool_0", { text: "hi" }), ["--trust-mcp"], proj);
    expect(r2.events.at(-1).text).toBe("got: tool_0: hi");
  }, 30_000);
});

describe("mcp list says what is wrong", () => {
  test("a command that does not exist is named, with the file to fix", async () => {
    const h = temp();
    writeMcp(join(h, "mcp.json"), { gone: { command: "runcode-no-such-program" } });
    const r = await runCli(["mcp", "list"], { home: h });
    expect(r.stdout).toContain(
      `command "runcode-no-such-program" was not found: install it, or fix "command" of server "gone" in ${join(h, "mcp.json")}`,
    );
    expect(r.stdout).not.toContain("JSON-RPC");
  });

  test("an mcp.json that is not JSON is an error (exit 1), not an empty list", async () => {
    const h = temp();
    writeFileSync(join(h, "mcp.json"), "{ not json");
    const r = await runCli(["mcp", "list"], { home: h });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(`error: MCP config ${join(h, "mcp.json")} is not valid JSON`);
  });
});
