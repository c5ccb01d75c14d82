#!/usr/bin/env bun
// REPL figures for docs/performance.md: time from launch to the interactive prompt, time until the engine (catalog,
// store, tools) is ready behind it, and idle RSS, each the median of N runs in a real pty (util-linux `script`),
// for the compiled binary (built here, or RUNCODE_BENCH_BIN) and for the source under bun.
//   bun bench/repl.ts [--runs 15] [--bin path]
import { readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { assetName, hostTarget } from "../src/release/assets";
import { startFakeGateway } from "../test/fake-gateway";
import { tempDir } from "../test/helpers";

const ROOT = resolve(import.meta.dir, "..");
const { values: opt } = parseArgs({ options: { runs: { type: "string", default: "15" }, bin: { type: "string" } } });
const runs = Math.max(3, Number(opt.runs) || 15);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function build(): { bin: string; dir?: string } {
  const given = opt.bin ?? process.env.RUNCODE_BENCH_BIN;
  if (given) return { bin: resolve(given) };
  const dir = tempDir("runcode-bench-repl-");
  const r = Bun.spawnSync([process.execPath, "scripts/build-binaries.ts", "--host-only", "--no-smoke", "--out", dir], {
    cwd: ROOT,
    stderr: "pipe",
  });
  if (r.exitCode !== 0) throw new Error(`build failed: ${r.stderr.toString()}`);
  return { bin: join(dir, assetName(hostTarget()!)), dir };
}

const rssMb = (pid: number) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : NaN;
};

/** script → (shell →) runcode: the process at the bottom of the tree is the REPL. */
function leaf(pid: number): number {
  for (;;) {
    const kids = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim();
    if (!kids) return pid;
    pid = Number(kids.split(/\s+/)[0]);
  }
}

async function once(cmd: string[], env: Record<string, string>): Promise<{ prompt: number; ready: number; rss: number }> {
  const quoted = cmd.map((a) => `'${a}'`).join(" ");
  const t0 = performance.now();
  // `script` gives the REPL a real terminal; the time includes script's own fork+exec (~1 ms).
  const p = Bun.spawn(["script", "-qfec", quoted, "/dev/null"], { env, stdin: "pipe", stdout: "pipe", stderr: "ignore" });
  const reader = p.stdout.getReader();
  let text = "";
  let prompt = 0;
  let ready = 0;
  while (!ready) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`exited before the prompt:\n${text}`);
    text += new TextDecoder().decode(value);
    if (!prompt && text.includes("› ")) prompt = performance.now() - t0;
    if (text.includes("session ses_")) ready = performance.now() - t0;
  }
  await Bun.sleep(400); // idle: nothing typed, nothing running
  const rss = rssMb(leaf(p.pid));
  p.stdin.write("\x04");
  await p.stdin.end();
  await p.exited;
  return { prompt, ready, rss };
}

async function measure(label: string, cmd: string[]) {
  const gw = await startFakeGateway();
  const home = tempDir("runcode-bench-home-");
  const env = { PATH: process.env.PATH ?? "", HOME: home, RUNCODE_HOME: home, RUNCODE_API_URL: gw.url, TERM: "xterm-256color" };
  await once(cmd, env); // warm the page cache and the catalog cache
  const r: Array<{ prompt: number; ready: number; rss: number }> = [];
  for (let i = 0; i < runs; i++) r.push(await once(cmd, env));
  await gw.stop();
  rmSync(home, { recursive: true, force: true });
  const row = { label, prompt: median(r.map((x) => x.prompt)), ready: median(r.map((x) => x.ready)), rss: median(r.map((x) => x.rss)) };
  console.log(`| ${row.label} | ${row.prompt.toFixed(1)} ms | ${row.ready.toFixed(1)} ms | ${row.rss.toFixed(1)} MB |`);
  return row;
}

const { bin, dir } = build();
console.log(`REPL startup, median of ${runs} runs in a pty (${process.platform}-${process.arch}, bun ${Bun.version})\n`);
console.log("| build | launch → prompt | launch → engine ready | idle RSS |\n|---|---|---|---|");
const compiled = await measure("compiled binary", [bin]);
await measure("source (bun src/main.ts)", [process.execPath, join(ROOT, "src", "main.ts")]);
if (dir) rmSync(dir, { recursive: true, force: true });
const ok = compiled.prompt <= 50 && compiled.rss <= 60;
console.log(`\nbudget (compiled): prompt ≤ 50 ms, idle RSS ≤ 60 MB: ${ok ? "met" : "NOT met"}`);
