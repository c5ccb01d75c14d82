// Router benchmark: classifications per second on one core, per-decision overhead of decide(), and the
// throughput of `runcode route` on 100k stdin lines. Each number is the median of RUNS runs.
// Usage: bun bench/router.ts [--runs 5] [--lines 100000]
import { join, resolve } from "node:path";
import { classify, decide } from "../src/router";
import { BUILTIN_MODELS } from "../src/gateway/builtin-models";

const arg = (name: string, d: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : d;
};
const RUNS = arg("runs", 5);
const LINES = arg("lines", 100_000);
const ROOT = resolve(import.meta.dir, "..");
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const corpus = (await Bun.file(join(ROOT, "test/router/corpus.jsonl")).text())
  .trim()
  .split("\n")
  .map((l) => (JSON.parse(l) as { prompt: string }).prompt);
const avgChars = Math.round(corpus.reduce((n, p) => n + p.length, 0) / corpus.length);

function perSecond(fn: (p: string) => unknown, n: number): number {
  for (let i = 0; i < 2000; i++) fn(corpus[i % corpus.length]!); // warm up the JIT
  const t = performance.now();
  for (let i = 0; i < n; i++) fn(corpus[i % corpus.length]!);
  return n / ((performance.now() - t) / 1000);
}

const cls = median(Array.from({ length: RUNS }, () => perSecond((p) => classify(p), 200_000)));
const dec = median(
  Array.from({ length: RUNS }, () =>
    perSecond((p) => decide({ request: { prompt: p }, profile: "auto", catalog: BUILTIN_MODELS }), 100_000),
  ),
);

async function routeThroughput(): Promise<{ secs: number; lines: number }> {
  const input = `${Array.from({ length: LINES }, (_, i) => corpus[i % corpus.length]).join("\n")}\n`;
  const home = (await Bun.$`mktemp -d`.text()).trim();
  const t = performance.now();
  const proc = Bun.spawn([process.execPath, join(ROOT, "src/main.ts"), "route"], {
    stdin: new Blob([input]),
    stdout: "pipe",
    stderr: "inherit",
    env: { PATH: process.env.PATH ?? "", HOME: home, RUNCODE_HOME: home },
  });
  const out = await new Response(proc.stdout).text();
  await proc.exited;
  const secs = (performance.now() - t) / 1000;
  await Bun.$`rm -rf ${home}`;
  return { secs, lines: out.split("\n").filter(Boolean).length };
}

const runs: Array<{ secs: number; lines: number }> = [];
for (let i = 0; i < RUNS; i++) runs.push(await routeThroughput());
if (runs.some((r) => r.lines !== LINES)) throw new Error(`runcode route wrote ${runs.map((r) => r.lines)} lines for ${LINES} inputs`);
const secs = median(runs.map((r) => r.secs));

console.log(`router benchmark (median of ${RUNS} runs, ${corpus.length} corpus prompts, avg ${avgChars} chars, bun ${Bun.version})`);
console.log(`classify():                ${Math.round(cls).toLocaleString("en")} classifications/s  (${(1e6 / cls).toFixed(2)} µs each)`);
console.log(`decide() incl. classify:   ${Math.round(dec).toLocaleString("en")} decisions/s  (${(1e6 / dec).toFixed(2)} µs per decision)`);
console.log(
  `runcode route, ${LINES.toLocaleString("en")} lines:  ${secs.toFixed(2)} s wall incl. startup  (${Math.round(LINES / secs).toLocaleString("en")} lines/s)`,
);
