// The API the REPL uses (/mcp status and reconnect, prompts as slash commands) and `@server:uri` attachments.
import { afterEach, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { startFakeGateway, type FakeGateway } from "../fake-gateway";
import { cleanup, jsonLines, runCli, tempDir } from "../helpers";
import { McpManager, promptCommands } from "../../src/mcp";
import { loadServers } from "../../src/mcp/config";
import { ToolRegistry } from "../../src/tools/registry";
import { EVERYTHING, fixture, stdio, writeMcp } from "./setup";

let gw: FakeGateway | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await gw?.stop();
  gw = undefined;
  cleanup(...dirs.splice(0));
});

function manager(servers: Record<string, unknown>, registry?: ToolRegistry) {
  const h = tempDir("runcode-mcp-api-");
  dirs.push(h);
  writeMcp(join(h, "mcp.json"), servers);
  const { servers: specs } = loadServers({ globalFile: join(h, "mcp.json"), root: h, trusted: false, env: process.env, builtins: false });
  return new McpManager({ servers: specs, connectMs: 5000, callMs: 5000, env: process.env, cwd: h, registry });
}

describe("mcp: REPL API", () => {
  test("status, tools in the registry, prompts as /server:prompt commands, reconnect", async () => {
    const reg = new ToolRegistry([]);
    const m = manager({ everything: stdio(EVERYTHING, "stdio"), crashy: stdio(fixture("crash")) }, reg);
    try {
      expect(m.status().map((s) => s.status)).toEqual(["pending", "pending"]);
      const st = await m.settled();
      expect(st[0]).toMatchObject({ name: "everything", status: "connected", transport: "stdio" });
      expect(st[1]).toMatchObject({ name: "crashy", status: "failed" });
      expect(m.warnings()).toEqual([expect.stringContaining('"crashy" is unavailable')]);
      expect(reg.names()).toContain("mcp__everything__echo");
      const cmds = promptCommands(m);
      const simple = cmds.find((c) => c.name === "/everything:simple-prompt")!;
      expect(simple.description).toContain("MCP server everything");
      expect(await simple.run([])).toContain("simple prompt");
      const again = await m.reconnect("everything");
      expect(again[0]).toMatchObject({ status: "connected" });
      expect(reg.names()).toContain("mcp__everything__echo");
    } finally {
      await m.close();
    }
  }, 30_000);
});

describe("mcp: @server:uri attachments", () => {
  test("a resource mentioned in the prompt is read and sent as context", async () => {
    const h = tempDir("runcode-mcp-at-");
    dirs.push(h);
    writeMcp(join(h, "mcp.json"), { everything: stdio(EVERYTHING, "stdio") });
    gw = await startFakeGateway({ script: [{ text: "ok" }] });
    const r = await runCli(["ask", "--jsonl", "summarise @everything:demo://resource/dynamic/text/7 please"], {
      home: h,
      env: { RUNCODE_API_URL: gw.url },
    });
    expect(jsonLines(r.stdout).at(-1)).toMatchObject({ ok: true });
    const sent = gw.calls()[0]!.body.messages.at(-1).content;
    const text = typeof sent === "string" ? sent : sent.find((b: { type: string }) => b.type === "text").text;
    expect(text).toStartWith(
      'summarise @everything:demo://resource/dynamic/text/7 please\n\n<resource server="everything" uri="demo://resource/dynamic/text/7">',
    );
    expect(text).toContain("Resource 7: This is a plaintext resource");
  }, 30_000);
});
