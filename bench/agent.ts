#!/usr/bin/env bun
// The agent's hot paths (issue 4's budgets):
//   Bash line → tool.output event, through the real loop     median ≤ 5 ms (the original polled every 500 ms)
//   loop overhead per tool round-trip, instant fake gateway    ≤ 10 ms beyond the tool's own work
//   Grep over a generated 10k-file tree: built-in vs ripgrep (when installed) vs grep -rl
// Usage: bun bench/agent.ts [--runs N]
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runAgent } from "../src/agent/loop";
import { openToolbox } from "../src/agent/toolbox";
import { Gateway } from "../src/gateway/client";
import { Policy } from "../src/permissions/policy";
import { Grep } from "../src/tools/grep";
import { ToolRegistry } from "../src/tools/registry";
import type { AnyTool } from "../src/tools/types";
import { startFakeGateway, type Script } from "../test/fake-gateway";
import { MODEL } from "../test/agent/harness";

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf("--runs") + 1]) || 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const root = realpathSync(mkdtempSync(join(tmpdir(), "runcode-bench-agent-")));
const nowNs = () => BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6));

async function agent(script: Script[], tools?: ToolRegistry, onEvent?: (type: string, text: string) => void) {
  const gw = await startFakeGateway({ script });
  const policy = new Policy({ mode: "trust", root });
  const s = openToolbox({
    root,
    cwd: root,
    home: root,
    toolsDir: join(root, "none"),
    trusted: false,
    policy,
    env: { PATH: process.env.PATH },
  });
  const t = performance.now();
  for await (const e of runAgent({
    gateway: new Gateway({ baseUrl: gw.url, userAgent: "bench" }),
    protocol: "messages",
    model: MODEL,
    messages: [{ role: "user", content: "go" }],
    maxTokens: 100,
    session: "b",
    cwd: root,
    signal: new AbortController().signal,
    tools: tools ?? s.tools,
    toolContext: s.ctx,
    policy,
    maxTurns: 1000,
  }))
    onEvent?.(e.type, e.type === "tool.output" ? e.text : "");
  const ms = performance.now() - t;
  await gw.stop();
  return ms;
}

// 1. Bash line-to-event: each line carries the wall-clock ns at which `date` wrote it; the event's arrival is
// stamped when the loop yields it (what a renderer would see).
async function bashLatency(): Promise<number[]> {
  const meds: number[] = [];
  for (let r = 0; r < runs; r++) {
    const lat: number[] = [];
    const cmd = "for i in $(seq 40); do date +%s%N; sleep 0.01; done";
    await agent([{ tools: [{ name: "Bash", input: { command: cmd } }] }, { text: "ok" }], undefined, (type, text) => {
      if (type === "tool.output" && /^\d+$/.test(text)) lat.push(Number(nowNs() - BigInt(text)) / 1e6);
    });
    meds.push(median(lat));
  }
  return meds;
}

// 2. Loop overhead: N turns, each one instant read-only tool call, against the instant fake gateway; minus nothing
// (the tool does no work), so this is model HTTP round-trip + parsing + scheduling + events per tool round-trip.
async function loopOverhead(n = 100): Promise<number[]> {
  const noop = {
    name: "Noop",
    description: "does nothing",
    input_schema: { type: "object", properties: { i: { type: "integer" } } },
    mutating: false,
    run: async () => ({ output: "ok" }),
  } as AnyTool;
  const tools = new ToolRegistry([noop]);
  const out: number[] = [];
  for (let r = 0; r < runs; r++) {
    const script: Script[] = Array.from({ length: n }, (_, i) => ({ tools: [{ name: "Noop", input: { i } }] }));
    const withTools = await agent([...script, { text: "done" }], tools);
    out.push(withTools / (n + 1));
  }
  return out;
}

// 3. Grep over 10k files.
function tree(): string {
  const dir = join(root, "tree");
  for (let d = 0; d < 100; d++) {
    mkdirSync(join(dir, `pkg${d}`, "src"), { recursive: true });
    for (let f = 0; f < 100; f++)
      writeFileSync(
        join(dir, `pkg${d}`, "src", `file${f}.ts`),
        Array.from(
          { length: 30 },
          (_, l) => `export const v${l} = ${d * f + l}; // ${l === 7 && f % 50 === 0 ? "needleFound" : "hay"}`,
        ).join("\n"),
      );
  }
  Bun.spawnSync(["git", "init", "-q"], { cwd: dir });
  return dir;
}

async function grepBench(dir: string) {
  const base = {
    root: dir,
    cwd: dir,
    setCwd: () => {},
    files: (await import("../src/tools/files")).diskFiles,
    reads: new (await import("../src/tools/files")).ReadTracker(),
    changes: new (await import("../src/tools/files")).ChangeLog(),
    todos: [],
    outside: () => false,
    limits: { bashTimeoutMs: 1, bashTimeoutMaxMs: 1, killGraceMs: 1, outputCap: 32768 },
    env: {},
    home: dir,
    signal: new AbortController().signal,
    emit: () => {},
    usage: () => {},
    call: "g",
  };
  const time = async (f: () => Promise<unknown> | unknown) => {
    const xs: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      await f();
      xs.push(performance.now() - t);
    }
    return median(xs);
  };
  const builtin = await time(() => Grep.run({ pattern: "needle\\w+" }, { ...base, noRipgrep: true }));
  const hits = (await Grep.run({ pattern: "needle\\w+" }, { ...base, noRipgrep: true })).output.split("\n").length;
  const rg = Bun.which("rg") ? await time(() => Grep.run({ pattern: "needle\\w+" }, base)) : undefined;
  const rgRaw = Bun.which("rg") ? await time(() => Bun.spawnSync(["rg", "-l", "needle\\w+"], { cwd: dir })) : undefined;
  const grep = await time(() => Bun.spawnSync(["grep", "-rlE", "needle[a-zA-Z]+", "."], { cwd: dir }));
  return { builtin, rg, rgRaw, grep, hits };
}

const lat = await bashLatency();
console.log(
  `Bash line → tool.output event: median ${median(lat).toFixed(2)} ms (per-run medians ${lat.map((x) => x.toFixed(2)).join(", ")}; budget ≤ 5 ms)`,
);
const loop = await loopOverhead();
console.log(
  `loop overhead per tool round-trip (instant fake gateway over loopback HTTP): median ${median(loop).toFixed(2)} ms (runs ${loop.map((x) => x.toFixed(2)).join(", ")}; budget ≤ 10 ms)`,
);
const dir = tree();
const g = await grepBench(dir);
console.log(
  `Grep 10k files (${g.hits} matching files): built-in ${g.builtin.toFixed(0)} ms · ripgrep via Grep ${g.rg?.toFixed(0) ?? "n/a (rg not installed)"} ms · rg alone ${g.rgRaw?.toFixed(0) ?? "n/a"} ms · grep -rl ${g.grep.toFixed(0)} ms`,
);
rmSync(root, { recursive: true, force: true });
