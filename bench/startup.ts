#!/usr/bin/env bun
// Distribution figures for docs/performance.md: size of each release binary, and `runcode --version` startup
// (median wall time, peak RSS) of the host binary built with and without --bytecode, which is how
// scripts/build-binaries.ts's default was chosen.
//   bun bench/startup.ts [--runs 30] [--dist dist]
import { existsSync, readdirSync, rmSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { assetName, hostTarget } from "../src/release/assets";
import { tempDir } from "../test/helpers";

const ROOT = resolve(import.meta.dir, "..");
const { values: opt } = parseArgs({ options: { runs: { type: "string", default: "30" }, dist: { type: "string", default: join(ROOT, "dist") } } });
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

// Peak RSS from GNU time (Bun's own resourceUsage counts the parent); absent on macOS, then reported as n/a.
function rssKb(bin: string): number | undefined {
  if (!existsSync("/usr/bin/time")) return undefined;
  const r = Bun.spawnSync(["/usr/bin/time", "-f", "RSSKB=%M", bin, "--version"], { stdout: "ignore", stderr: "pipe" });
  const m = /RSSKB=(\d+)/.exec(r.stderr.toString());
  return m ? Number(m[1]) : undefined;
}

function measure(bin: string) {
  const home = tempDir("runcode-bench-home-");
  const env = { PATH: process.env.PATH ?? "", HOME: home, RUNCODE_HOME: home, NO_COLOR: "1" };
  Bun.spawnSync([bin, "--version"], { env }); // warm the page cache
  const times: number[] = [];
  const rss: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const r = Bun.spawnSync([bin, "--version"], { env, stdout: "pipe" });
    times.push(performance.now() - t);
    if (r.exitCode !== 0) throw new Error(`${bin} --version exited ${r.exitCode}`);
    if (i < 5) rss.push(rssKb(bin) ?? 0);
  }
  const size = statSync(bin).size;
  rmSync(home, { recursive: true, force: true });
  rmSync(dirname(bin), { recursive: true, force: true });
  const kb = median(rss);
  return { ms: median(times), rss: kb ? `${(kb / 1024).toFixed(0)} MB` : "n/a", size };
}

const lines: string[] = [`runcode --version on ${assetName(target)}, median of ${runs} runs:`, "", "| build | median | peak RSS | size |", "|---|---|---|---|"];
for (const bytecode of [true, false]) {
  const m = measure(build(bytecode));
  lines.push(`| ${bytecode ? "--minify --splitting --bytecode (default)" : "--minify --splitting"} | ${m.ms.toFixed(1)} ms | ${m.rss} | ${mb(m.size)} |`);
}
if (existsSync(join(opt.dist, "SHA256SUMS"))) {
  lines.push("", `Release binaries in ${opt.dist}:`, "", "| file | size |", "|---|---|");
  for (const f of readdirSync(opt.dist).filter((f) => f.startsWith("runcode-")).sort()) lines.push(`| ${f} | ${mb(statSync(join(opt.dist, f)).size)} |`);
}
console.log(lines.join("\n"));
