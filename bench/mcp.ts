#!/usr/bin/env bun
// MCP figures for docs/performance.md:
// 1. startup: time from spawning `runcode ask` to the fake gateway receiving the first model request, with no MCP
//    config and with 3 servers (a fast hand-written one, the real server-everything, one that never answers),
//    cold (no cached tool lists) and warm (after `runcode mcp list` cached them).
// 2. tool-call overhead over stdio: a call through runcode's MCP tool (SDK client, result conversion) minus a raw
//    newline-JSON round trip to the same server process.
//   bun bench/mcp.ts [--runs 15]   (RUNCODE_TEST_BIN=path benchmarks a compiled binary)
import { join } from "node:path";
import { parseArgs } from "node:util";
import { McpManager } from "../src/mcp";
import { loadServers } from "../src/mcp/config";
import { ToolRegistry } from "../src/tools/registry";
import type { CallContext } from "../src/tools/types";
import { startFakeGateway } from "../test/fake-gateway";
import { cleanup, cliCommand, cliEnv, tempDir } from "../test/helpers";
import { EVERYTHING, fixture, stdio, writeMcp } from "../test/mcp/setup";

const { values: opt } = parseArgs({ options: { runs: { type: "string", default: "15" } } });
const runs = Math.max(3, Number(opt.runs) || 15);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function firstRequestMs(home: string): Promise<number> {
  let at = 0;
  const gw = await startFakeGateway({ script: [() => ((at = performance.now()), { text: "ok" })] });
  const t0 = performance.now();
  const p = Bun.spawn([...cliCommand(), "ask", "-q", "hi"], {
    cwd: home,
    env: cliEnv(home, { RUNCODE_API_URL: gw.url }),
    stdout: "ignore",
    stderr: "ignore",
  });
  await p.exited;
  await gw.stop();
  if (!at) throw new Error("no model request arrived");
  return at - t0;
}

async function startup() {
  const plain = tempDir("runcode-bench-mcp-");
  const cold = tempDir("runcode-bench-mcp-");
  const warm = tempDir("runcode-bench-mcp-");
  const servers = { fast: stdio(fixture("many"), "20"), everything: stdio(EVERYTHING, "stdio"), slow: stdio(fixture("hang")) };
  for (const h of [cold, warm]) writeMcp(join(h, "mcp.json"), servers);
  // Warm the catalog cache everywhere and the tool-list cache in `warm`, so only MCP differs between the runs.
  for (const h of [plain, cold, warm]) await firstRequestMs(h);
  Bun.spawnSync([...cliCommand(), "mcp", "list"], { cwd: warm, env: cliEnv(warm) });
  const t: Record<string, number[]> = { plain: [], cold: [], warm: [] };
  for (let i = 0; i < runs; i++) {
    t.plain!.push(await firstRequestMs(plain));
    t.cold!.push(await firstRequestMs(cold));
    // cold keeps no cache: remove what the previous run wrote
    cleanup(join(cold, "cache", "mcp-tools.json"));
    t.warm!.push(await firstRequestMs(warm));
  }
  cleanup(plain, cold, warm);
  const m = { plain: median(t.plain!), cold: median(t.cold!), warm: median(t.warm!) };
  console.log(
    `startup to first model request (median of ${runs}): no MCP ${m.plain.toFixed(0)} ms; 3 servers cold ${m.cold.toFixed(0)} ms (+${(m.cold - m.plain).toFixed(0)}); 3 servers warm ${m.warm.toFixed(0)} ms (+${(m.warm - m.plain).toFixed(0)})`,
  );
}

async function overhead() {
  const h = tempDir("runcode-bench-mcp-");
  writeMcp(join(h, "mcp.json"), { fast: stdio(fixture("many"), "3") });
  const reg = new ToolRegistry([]);
  const { servers } = loadServers({ globalFile: join(h, "mcp.json"), root: h, trusted: false, env: process.env, builtins: false });
  const m = new McpManager({ servers, connectMs: 5000, callMs: 5000, env: process.env, cwd: h, registry: reg });
  await m.settled();
  const tool = reg.get("mcp__fast__tool_1")!;
  const probe = await tool.run({ text: "x" } as never, { signal: new AbortController().signal } as CallContext);
  if (probe.output !== "tool_1: x") throw new Error(`unexpected tool result: ${probe.output}`);
  const ctx = { signal: new AbortController().signal } as CallContext;
  const n = 2000;
  const viaRuncode: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await tool.run({ text: "x" } as never, ctx);
    viaRuncode.push(performance.now() - t0);
  }
  await m.close();
  // The same server, spoken to with the least possible client: one JSON line out, one in.
  const p = Bun.spawn([process.execPath, fixture("many"), "3"], { stdin: "pipe", stdout: "pipe" });
  const reader = p.stdout.getReader();
  const raw: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    p.stdin.write(
      `${JSON.stringify({ jsonrpc: "2.0", id: i, method: "tools/call", params: { name: "tool_1", arguments: { text: "x" } } })}\n`,
    );
    await p.stdin.flush();
    await reader.read();
    raw.push(performance.now() - t0);
  }
  p.kill();
  cleanup(h);
  const a = median(viaRuncode.slice(200));
  const b = median(raw.slice(200));
  console.log(
    `tool call over stdio (median of ${n - 200}): runcode ${a.toFixed(3)} ms, raw round trip ${b.toFixed(3)} ms, overhead ${(a - b).toFixed(3)} ms`,
  );
}

await startup();
await overhead();
