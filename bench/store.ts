#!/usr/bin/env bun
// Store figures for docs/performance.md: appending a turn (p50/p99), resuming a 10,000-message session, `runcode
// stats` over 100,000 requests (in-process and the real CLI, process start included), and database growth per
// 1,000 typical turns. Each figure is the median of --rounds independent rounds, each in a fresh temp home.
//   bun bench/store.ts [--rounds 5]
import { parseArgs } from "node:util";
import { existsSync, mkdtempSync, statSync } from "node:fs";
import { join } from "node:path";
import { cleanup, cliCommand, cliEnv, tempDir } from "../test/helpers";
import type { Message } from "../src/llm/types";
import { openStore } from "../src/store/open";
import { resumable } from "../src/store/resume";
import { loadMessages } from "../src/store/sessions";
import { computeStats } from "../src/store/stats";
import type { Store } from "../src/store/store";

const { values: opt } = parseArgs({ options: { rounds: { type: "string", default: "5" } } });
const rounds = Math.max(1, Number(opt.rounds) || 5);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.ceil(p * xs.length) - 1]!;
const quiet = { warn: () => {}, importOriginal: false };

// A typical agent turn: a prompt, an answer that calls a tool, the tool's output (3 KB), the final answer, and two
// model requests. Sizes follow what a coding session stores per turn.
const words = (n: number) =>
  Array.from({ length: n }, (_, i) => ["the", "test", "file", "function", "returns", "value", "error", "fixed"][i % 8]).join(" ");
const turn = (i: number): Message[] => [
  { role: "user", content: `${i}: ${words(30)}` },
  {
    role: "assistant",
    content: [
      { type: "text", text: words(90) },
      { type: "tool_use", id: `toolu_${i}`, name: "Read", input: { file_path: `src/file${i}.ts` } },
    ],
  },
  { role: "user", content: [{ type: "tool_result", tool_use_id: `toolu_${i}`, content: `export const x = 1;\n`.repeat(150) }] },
  { role: "assistant", content: [{ type: "text", text: words(120) }] },
];

function recordTurn(store: Store, session: string, i: number) {
  const [prompt, call, result, answer] = turn(i);
  store.append(session, [prompt!]);
  store.append(session, [call!]);
  store.recordRequest({
    session,
    source: "agent",
    model: "nvidia/qwen3-coder-480b",
    input: 2000 + i,
    output: 150,
    usd: 0,
    latencyMs: 900,
    status: "ok",
  });
  store.recordToolCall({
    session,
    call: `toolu_${i}`,
    tool: "Read",
    input: { file_path: `src/file${i}.ts` },
    ok: true,
    outputBytes: 3000,
    ms: 2,
  });
  store.append(session, [result!]);
  store.append(session, [answer!]);
  store.recordRequest({
    session,
    source: "agent",
    model: "nvidia/qwen3-coder-480b",
    input: 5000 + i,
    output: 200,
    usd: 0,
    latencyMs: 1200,
    status: "ok",
  });
}

const dbBytes = (home: string) =>
  ["", "-wal"].reduce((n, s) => n + (statSync(join(home, `runcode.db${s}`), { throwIfNoEntry: false })?.size ?? 0), 0);

// The VM disk here stalls a write() for 30-40 ms about once per hundred transactions (dirty-page writeback on the
// host); the same round on tmpfs (/dev/shm) shows the store's own cost.
function appendRound(shm = false) {
  const home = shm ? mkdtempSync("/dev/shm/runcode-bench-") : tempDir("runcode-bench-store-");
  const store = openStore({ home, ...quiet });
  const session = store.createSession({ cwd: "/bench", model: "m" });
  for (let i = 0; i < 50; i++) recordTurn(store, session, i); // warm statement cache and file
  store.db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  const before = dbBytes(home);
  const times: number[] = [];
  for (let i = 50; i < 1050; i++) {
    const t = Bun.nanoseconds();
    recordTurn(store, session, i);
    times.push((Bun.nanoseconds() - t) / 1e6);
  }
  store.db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  const growth = dbBytes(home) - before;
  store.close();
  cleanup(home);
  return { p50: pct(times, 0.5), p99: pct(times, 0.99), growthMb: growth / 1_048_576 };
}

function resumeRound() {
  const home = tempDir("runcode-bench-store-");
  const setup = openStore({ home, ...quiet });
  const session = setup.createSession({ cwd: "/bench", model: "m" });
  setup.write(() => {
    for (let i = 0; i < 2500; i++) setup.append(session, turn(i));
  });
  setup.close();
  const t = Bun.nanoseconds();
  const store = openStore({ home, ...quiet });
  const history = resumable(loadMessages(store, session));
  const ms = (Bun.nanoseconds() - t) / 1e6;
  if (history.length !== 10_000) throw new Error(`resumed ${history.length} messages`);
  store.close();
  cleanup(home);
  return ms;
}

async function statsRound() {
  const home = tempDir("runcode-bench-store-");
  const store = openStore({ home, ...quiet });
  const models = [
    "nvidia/qwen3-coder-480b",
    "anthropic/claude-sonnet-4.6",
    "openai/gpt-5-mini",
    "google/gemini-2.5-flash",
    "deepseek/deepseek-chat",
  ];
  const now = Date.now();
  store.write(() => {
    for (let i = 0; i < 100_000; i++)
      store.recordRequest({
        session: `ses_${i >> 6}`,
        source: "agent",
        model: models[i % 5]!,
        input: 1000 + (i % 5000),
        output: 100 + (i % 700),
        usd: (i % 5) * 0.0007,
        latencyMs: 300 + (i % 4000),
        fallback: i % 97 === 0,
        status: "ok",
        at: now - (i % 90) * 86_400_000,
      });
  });
  let t = Bun.nanoseconds();
  const s = computeStats(store, { by: "model" });
  const inProcess = (Bun.nanoseconds() - t) / 1e6;
  if (s.total.requests !== 100_000) throw new Error("bad stats");
  store.close();
  t = Bun.nanoseconds();
  const r = Bun.spawnSync([...cliCommand(), "stats", "--by", "model"], { env: cliEnv(home), stdout: "pipe", stderr: "pipe" });
  const cli = (Bun.nanoseconds() - t) / 1e6;
  if (r.exitCode !== 0) throw new Error(r.stderr.toString());
  const t2 = Bun.nanoseconds();
  Bun.spawnSync([...cliCommand(), "--version"], { env: cliEnv(home), stdout: "pipe" });
  const start = (Bun.nanoseconds() - t2) / 1e6;
  cleanup(home);
  return { inProcess, cli, start };
}

const shm = existsSync("/dev/shm");
const a: Array<ReturnType<typeof appendRound>> = [];
const m: Array<ReturnType<typeof appendRound>> = [];
const r: number[] = [];
const s: Array<Awaited<ReturnType<typeof statsRound>>> = [];
for (let i = 0; i < rounds; i++) {
  a.push(appendRound());
  if (shm) m.push(appendRound(true));
  r.push(resumeRound());
  s.push(await statsRound());
}
const f = (n: number, d = 2) => n.toFixed(d);
console.log(`rounds: ${rounds} (medians)`);
console.log(
  `append a turn (4 messages + 2 requests + 1 tool call, 7 transactions): p50 ${f(median(a.map((x) => x.p50)))} ms, p99 ${f(median(a.map((x) => x.p99)))} ms`,
);
if (shm) console.log(`append a turn on tmpfs: p50 ${f(median(m.map((x) => x.p50)))} ms, p99 ${f(median(m.map((x) => x.p99)))} ms`);
console.log(`resume a 10,000-message session (open + load + resumable): ${f(median(r), 1)} ms`);
console.log(
  `stats over 100,000 requests: computeStats ${f(median(s.map((x) => x.inProcess)), 1)} ms; \`runcode stats --by model\` ${f(median(s.map((x) => x.cli)), 0)} ms wall (\`runcode --version\` ${f(median(s.map((x) => x.start)), 0)} ms)`,
);
console.log(`database growth per 1,000 typical turns: ${f(median(a.map((x) => x.growthMb)), 2)} MB`);
