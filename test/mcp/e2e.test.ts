// A scripted turn through the real CLI (or the compiled binary with RUNCODE_TEST_BIN) calls tools of the real
// reference servers: server-everything over stdio and Streamable HTTP, server-filesystem over stdio.
import { afterEach, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { writeFileSync } from "node:fs";
import { type FakeGateway, startFakeGateway, type Script } from "../fake-gateway";
import { cleanup, jsonLines, runCli, tempDir } from "../helpers";
import { assertEvents } from "../schema";
import { callThenEcho, EVERYTHING, FILESYSTEM, startHttpEverything, stdio, writeMcp } from "./setup";

let gw: FakeGateway | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await gw?.stop();
  gw = undefined;
  cleanup(...dirs.splice(0));
});

function home() {
  const h = tempDir("runcode-mcp-");
  dirs.push(h);
  return h;
}

async function ask(h: string, prompt: string, script: Script[], extra: string[] = [], cwd?: string) {
  gw = await startFakeGateway({ script });
  const r = await runCli(["ask", "--jsonl", ...extra, prompt], { home: h, cwd, env: { RUNCODE_API_URL: gw.url }, timeoutMs: 30_000 });
  const events = jsonLines(r.stdout);
  assertEvents(events);
  return { ...r, events, gw };
}

const specNames = (gw: FakeGateway, i = 0): string[] => (gw.calls()[i]!.body.tools ?? []).map((t: { name: string }) => t.name);

describe("mcp: real reference servers", () => {
  test("server-everything over stdio: the model calls echo and gets its answer back", async () => {
    const h = home();
    writeMcp(join(h, "mcp.json"), { everything: stdio(EVERYTHING, "stdio") });
    // `mcp list` connects once and caches the tool list, so the first model call already offers the tools.
    const list = await runCli(["mcp", "list", "--json"], { home: h });
    expect(JSON.parse(list.stdout).servers[0]).toMatchObject({ name: "everything", status: "connected", transport: "stdio" });
    const r = await ask(h, "echo something", callThenEcho("mcp__everything__echo", { message: "hello mcp" }));
    expect(r.code).toBe(0);
    expect(specNames(r.gw)).toContain("mcp__everything__echo");
    const spec = r.gw.calls()[0]!.body.tools.find((t: { name: string }) => t.name === "mcp__everything__echo");
    expect(spec.input_schema.properties.message.type).toBe("string");
    expect(r.gw.calls()[1]!.body.messages.at(-1).content[0]).toMatchObject({
      type: "tool_result",
      tool_use_id: "toolu_mcp_1",
      content: "Echo: hello mcp",
    });
    expect(r.events.find((e) => e.type === "tool.completed")).toMatchObject({
      tool: "mcp__everything__echo",
      ok: true,
      output: "Echo: hello mcp",
    });
    expect(r.events.at(-1)).toMatchObject({ type: "result", ok: true, text: "got: Echo: hello mcp" });
  }, 40_000);

  test("server-everything over Streamable HTTP", async () => {
    const srv = await startHttpEverything();
    try {
      const h = home();
      writeMcp(join(h, "mcp.json"), { web: { type: "http", url: srv.url } });
      const list = await runCli(["mcp", "list", "--json"], { home: h });
      expect(JSON.parse(list.stdout).servers[0]).toMatchObject({ name: "web", status: "connected", transport: "http" });
      const r = await ask(h, "add", callThenEcho("mcp__web__get-sum", { a: 2, b: 40 }));
      expect(r.code).toBe(0);
      expect(r.events.at(-1).text).toContain("42");
    } finally {
      srv.stop();
    }
  }, 40_000);

  test("a server that speaks only legacy SSE is reached by falling back from Streamable HTTP", async () => {
    const srv = await startHttpEverything("sse");
    try {
      const h = home();
      writeMcp(join(h, "mcp.json"), { old: { type: "http", url: srv.url } });
      const list = await runCli(["mcp", "list", "--json"], { home: h });
      expect(JSON.parse(list.stdout).servers[0]).toMatchObject({ name: "old", status: "connected", transport: "sse" });
    } finally {
      srv.stop();
    }
  }, 40_000);

  test("server-filesystem over stdio reads a file of the project", async () => {
    const h = home();
    const proj = tempDir("runcode-mcp-proj-");
    dirs.push(proj);
    writeFileSync(join(proj, "notes.txt"), "the answer is 42\n");
    writeMcp(join(h, "mcp.json"), { fs: stdio(FILESYSTEM, proj) });
    await runCli(["mcp", "list"], { home: h });
    const r = await ask(h, "read notes", callThenEcho("mcp__fs__read_text_file", { path: join(proj, "notes.txt") }), [], proj);
    expect(r.code).toBe(0);
    expect(r.events.at(-1).text).toBe("got: the answer is 42\n");
  }, 40_000);
});
