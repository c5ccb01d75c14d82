#!/usr/bin/env bun
// Distribution figures for docs/performance.md: size of each release binary, and startup (median wall time, peak
// RSS) of `runcode --version` and `runcode --help` on the host binary built with and without --bytecode (which is
// how scripts/build-binaries.ts's default was chosen), side by side with a compiled Bun hello-world, the floor.
//   bun bench/startup.ts [--runs 30] [--dist dist] [--bin path/to/runcode]   (--bin: measure that binary, no builds)
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { assetName, hostTarget } from "../src/release/assets";
import { tempDir } from "../test/helpers";

const ROOT = resolve(import.meta.dir, "..");
const { values: opt } = parseArgs({
  options: { runs: { type: "string", default: "30" }, dist: { type: "string", default: join(ROOT, "dist") }, bin: { type: "string" } },
});
const runs = Math.max(3, Number(opt.runs) || 30);
const target = hostTarget();
if (!target) throw new Error(`no release target for ${process.platform}-${process.arch}`);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

function build(bytecode: boolean): string {
  const out = tempDir("runcode-bench-build-");
  const args = ["scripts/build-binaries.ts", "--host-only", "--no-smoke", "--out", out, ...(bytecode ? [] : ["--no-bytecode"])];
  const r = Bun.spawnSync([process.execPath, ...args], { cwd: ROOT, stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`build failed: ${r.stderr.toString()}`);
  return join(out, assetName(target!));
}

function buildHello(): string {
  const dir = tempDir("runcode-bench-hello-");
  writeFileSync(join(dir, "hello.ts"), 'console.log("hi");\n');
  const r = Bun.spawnSync([process.execPath, "build", "--compile", "--minify", "hello.ts", "--outfile", "hello"], {
    cwd: dir,
    stdout: "ignore",
    stderr: "pipe",
  });
  if (r.exitCode !== 0) throw new Error(`hello-world build failed: ${r.stderr.toString()}`);
  return join(dir, "hello");
}

// Peak RSS from GNU time (Bun's own resourceUsage counts the parent); absent on macOS, then reported as n/a.
function rssKb(cmd: string[]): number | undefined {
  if (!existsSync("/usr/bin/time")) return undefined;
  const r = Bun.spawnSync(["/usr/bin/time", "-f", "RSSKB=%M", ...cmd], { stdout: "ignore", stderr: "pipe" });
  const m = /RSSKB=(\d+)/.exec(r.stderr.toString());
  return m ? Number(m[1]) : undefined;
}

/** Median wall time and peak RSS (median of 5) of one command line. */
function measure(cmd: string[]) {
  const home = tempDir("runcode-bench-home-");
  const env = { PATH: process.env.PATH ?? "", HOME: home, RUNCODE_HOME: home, NO_COLOR: "1" };
  Bun.spawnSync(cmd, { env }); // warm the page cache
  const times: number[] = [];
  const rss: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const r = Bun.spawnSync(cmd, { env, stdout: "pipe" });
    times.push(performance.now() - t);
    if (r.exitCode !== 0) throw new Error(`${cmd.join(" ")} exited ${r.exitCode}`);
    if (i < 5) rss.push(rssKb(cmd) ?? 0);
  }
  rmSync(home, { recursive: true, force: true });
  const kb = median(rss);
  return `${median(times).toFixed(1)} ms, ${kb ? `${(kb / 1024).toFixed(0)} MB` : "n/a"}`;
}

const row = (label: string, bin: string, size: string) =>
  `| ${label} | ${measure([bin, "--version"])} | ${measure([bin, "--help"])} | ${size} |`;

const lines = [
  `Startup on ${assetName(target)}, median of ${runs} runs (peak RSS: median of 5):`,
  "",
  "| build | `--version` | `--help` | size |",
  "|---|---|---|---|",
];
const hello = buildHello();
const floor = measure([hello]);
lines.push(`| compiled Bun hello-world (\`--minify\`, no arguments; the floor) | ${floor} | ${floor} | ${mb(statSync(hello).size)} |`);
rmSync(dirname(hello), { recursive: true, force: true });
if (opt.bin) lines.push(row(opt.bin, resolve(opt.bin), mb(statSync(opt.bin).size)));
for (const bytecode of opt.bin ? [] : [true, false]) {
  const bin = build(bytecode);
  lines.push(row(bytecode ? "--minify --splitting --bytecode (default)" : "--minify --splitting", bin, mb(statSync(bin).size)));
  rmSync(dirname(bin), { recursive: true, force: true });
}
if (existsSync(join(opt.dist, "SHA256SUMS"))) {
  lines.push("", `Release binaries in ${opt.dist}:`, "", "| file | size |", "|---|---|");
  for (const f of readdirSync(opt.dist)
    .filter((f) => f.startsWith("runcode-"))
    .sort())
    lines.push(`| ${f} | ${mb(statSync(join(opt.dist, f)).size)} |`);
}
console.log(lines.join("\n"));
