// Config parsing, ${VAR} expansion, result conversion, and `runcode mcp add/list/remove` round-tripping a file
// Claude Code also reads (other servers and unknown keys untouched).
import { afterEach, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expand, loadServers, parseServer } from "../../src/mcp/config";
import { convertResult, inputSchema, toolName } from "../../src/mcp/convert";
import { cleanup, runCli, tempDir } from "../helpers";

const dirs: string[] = [];
afterEach(() => cleanup(...dirs.splice(0)));
const temp = () => {
  const d = tempDir("runcode-mcp-cfg-");
  dirs.push(d);
  return d;
};

describe("mcp config", () => {
  test("${VAR} and ${VAR:-default} expand in command, args, env, url and headers", () => {
    const env = { TOKEN: "t0k", HOST: "example.com" };
    expect(expand("Bearer ${TOKEN}", env)).toBe("Bearer t0k");
    expect(expand("${PORT:-8080}", env)).toBe("8080");
    const s = parseServer(
      "docs",
      { type: "http", url: "https://${HOST}/mcp", headers: { Authorization: "Bearer ${TOKEN}" } },
      "global",
      "f",
      env,
    );
    expect(s).toMatchObject({ transport: "http", url: "https://example.com/mcp", headers: { Authorization: "Bearer t0k" } });
    const st = parseServer("x", { command: "${BIN:-node}", args: ["--key=${TOKEN}"], env: { K: "${TOKEN}" } }, "global", "f", env);
    expect(st).toMatchObject({ transport: "stdio", command: "node", args: ["--key=t0k"], env: { K: "t0k" } });
  });

  test("an unset variable without a default, or a bad entry, fails that server only, naming the file", () => {
    expect(parseServer("a", { type: "http", url: "https://x/${NOPE}" }, "global", "/h/mcp.json", {}).error).toContain("NOPE is not set");
    expect(parseServer("b", { args: [] }, "global", "/h/mcp.json", {}).error).toBe('needs "command" (server "b" in /h/mcp.json)');
    expect(parseServer("c", { type: "ws", url: "x" }, "project", "/p/.mcp.json", {}).error).toContain('unknown "type"');
  });

  test("invalid JSON is one warning naming the file; no servers from it", () => {
    const h = temp();
    writeFileSync(join(h, "mcp.json"), "{ nope");
    const r = loadServers({ globalFile: join(h, "mcp.json"), root: h, trusted: false, env: {}, builtins: false });
    expect(r.servers).toEqual([]);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toContain(`${join(h, "mcp.json")} is not valid JSON`);
  });

  test("built-in servers are found on PATH; a configured server of the same name wins", () => {
    const bin = temp();
    writeFileSync(join(bin, "blockrun-mcp"), "#!/bin/sh\n", { mode: 0o755 });
    const r = loadServers({ globalFile: join(bin, "none.json"), root: bin, trusted: false, env: { PATH: bin } });
    expect(r.servers).toEqual([expect.objectContaining({ name: "blockrun", scope: "builtin", command: join(bin, "blockrun-mcp") })]);
  });
});

describe("mcp conversions", () => {
  test("names are sanitised to [a-zA-Z0-9_-] and capped at 64 characters", () => {
    expect(toolName("my.server", "read file")).toBe("mcp__my_server__read_file");
    expect(toolName("s", "x".repeat(100))).toHaveLength(64);
  });

  test("type arrays become anyOf so the validator accepts what the server accepts", () => {
    const s = inputSchema({ type: "object", properties: { n: { type: ["string", "null"] } } });
    expect(s.properties!.n).toEqual({ anyOf: [{ type: "string" }, { type: "null" }] } as never);
  });

  test("results: text, images, resources, links, structured content, errors", () => {
    const r = convertResult({
      content: [
        { type: "text", text: "hello" },
        { type: "image", data: "aGk=", mimeType: "image/png" },
        { type: "resource", resource: { uri: "file:///a.txt", mimeType: "text/plain", text: "A" } },
        { type: "resource_link", uri: "file:///b", name: "b" },
      ],
    });
    expect(r.output).toBe('hello\n[image image/png]\n[resource file:///a.txt (text/plain)]\nA\n[resource link file:///b "b"]');
    expect(r.images).toEqual([{ type: "image", source: { type: "base64", media_type: "image/png", data: "aGk=" } }]);
    expect(convertResult({ content: [], structuredContent: { sum: 3 } }).output).toBe('{\n  "sum": 3\n}');
    expect(convertResult({ content: [{ type: "text", text: "bad input" }], isError: true })).toEqual({ output: "bad input", error: true });
  });
});

describe("runcode mcp add/list/remove", () => {
  test("round-trips a Claude Code file: other servers and unknown keys are kept", async () => {
    const h = temp();
    const file = join(h, "mcp.json");
    const original = {
      mcpServers: { keep: { command: "keep-me", args: ["--x"], env: { A: "${A}" }, timeout: 99 } },
      otherTool: { setting: true },
    };
    writeFileSync(file, JSON.stringify(original));
    expect((await runCli(["mcp", "add", "fs", "--", "npx", "-y", "@modelcontextprotocol/server-filesystem", "."], { home: h })).code).toBe(
      0,
    );
    expect(
      (
        await runCli(
          ["mcp", "add", "docs", "--url", "https://example.com/mcp", "--header", "Authorization: Bearer ${TOKEN}", "--transport", "sse"],
          { home: h },
        )
      ).code,
    ).toBe(0);
    const after = JSON.parse(readFileSync(file, "utf8"));
    expect(after.otherTool).toEqual({ setting: true });
    expect(after.mcpServers.keep).toEqual(original.mcpServers.keep);
    expect(after.mcpServers.fs).toEqual({ command: "npx", args: ["-y", "@modelcontextprotocol/server-filesystem", "."] });
    expect(after.mcpServers.docs).toEqual({ type: "sse", url: "https://example.com/mcp", headers: { Authorization: "Bearer ${TOKEN}" } });
    const rm = await runCli(["mcp", "remove", "fs"], { home: h });
    expect(rm.code).toBe(0);
    await runCli(["mcp", "remove", "docs"], { home: h });
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(original);
    const missing = await runCli(["mcp", "remove", "fs"], { home: h });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no MCP server "fs"');
  });

  test("--scope project writes ./.mcp.json; a broken file is never rewritten", async () => {
    const h = temp();
    const proj = temp();
    expect((await runCli(["mcp", "add", "p", "--scope", "project", "--", "srv"], { home: h, cwd: proj })).code).toBe(0);
    expect(JSON.parse(readFileSync(join(proj, ".mcp.json"), "utf8"))).toEqual({ mcpServers: { p: { command: "srv", args: [] } } });
    writeFileSync(join(h, "mcp.json"), "{ broken");
    const r = await runCli(["mcp", "add", "x", "--", "srv"], { home: h });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${join(h, "mcp.json")} is not valid JSON`);
    expect(readFileSync(join(h, "mcp.json"), "utf8")).toBe("{ broken");
  });

  test("list with nothing configured says how to add a server", async () => {
    const r = await runCli(["mcp", "list"], { home: temp() });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("runcode mcp add");
  });
});
