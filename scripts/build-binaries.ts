#!/usr/bin/env bun
// Builds the release folder: one self-contained binary per target (no Node or Bun needed to run it), SHA256SUMS
// and VERSION, laid out as src/release/assets.ts describes, then smoke-tests the host binary.
//
//   bun scripts/build-binaries.ts [--host-only] [--target linux-x64,darwin-arm64] [--out dist]
//                                 [--version 0.4.0] [--commit abc1234] [--no-smoke] [--no-bytecode] [--entry src/main.ts]
//
// Cross targets need Bun's runtime for that target, which `bun build` fetches once from the npm registry
// (@oven/bun-<target>); a target that cannot be fetched is reported and skipped, the others still build.
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { TARGETS, type Target, assetName, bunTarget, formatSums, hostTarget, sha256 } from "../src/release/assets";
import { smokeTest } from "./smoke";

const ROOT = resolve(import.meta.dir, "..");
const { values: opt } = parseArgs({
  options: {
    "host-only": { type: "boolean", default: false },
    target: { type: "string" },
    out: { type: "string", default: join(ROOT, "dist") },
    version: { type: "string" },
    commit: { type: "string" },
    "no-smoke": { type: "boolean", default: false },
    "no-bytecode": { type: "boolean", default: false },
    entry: { type: "string", default: join(ROOT, "src", "main.ts") },
  },
});

const version = opt.version ?? (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
const commit = opt.commit ?? gitCommit();
const out = resolve(opt.out);
const host = hostTarget();

function gitCommit(): string {
  const r = Bun.spawnSync(["git", "rev-parse", "--short=12", "HEAD"], { cwd: ROOT, stderr: "ignore" });
  if (r.exitCode !== 0) return "unknown";
  const dirty = Bun.spawnSync(["git", "status", "--porcelain", "--untracked-files=no"], { cwd: ROOT }).stdout.length > 0;
  return r.stdout.toString().trim() + (dirty ? "-dirty" : "");
}

function selected(): Target[] {
  if (opt["host-only"]) {
    if (!host) throw new Error(`no release target for ${process.platform}-${process.arch}: drop --host-only and pick one with --target`);
    return [host];
  }
  if (!opt.target) return TARGETS;
  return opt.target.split(",").map((name) => {
    const t = TARGETS.find((x) => assetName(x).replace(/^runcode-|\.exe$/g, "") === name.trim());
    if (!t)
      throw new Error(`unknown target "${name}": use one of ${TARGETS.map((x) => assetName(x).slice(8).replace(".exe", "")).join(", ")}`);
    return t;
  });
}

// Bytecode caches the parsed code in the binary so startup skips parsing (measured in docs/performance.md).
// Bun only supports it for the host-compatible JavaScriptCore build, so it is on for every target by default.
async function compile(t: Target): Promise<{ ok: true; ms: number } | { ok: false; error: string }> {
  const file = join(out, assetName(t));
  const started = performance.now();
  const args = [
    process.execPath,
    "build",
    resolve(opt.entry),
    // --splitting keeps lazily imported commands in their own chunks inside the binary, so `--version` parses
    // only the entry (measured: 7.9 ms / 33 MB vs 9.8 ms / 41 MB without).
    "--compile",
    "--minify",
    "--sourcemap=none",
    "--splitting",
    ...(opt["no-bytecode"] ? [] : ["--bytecode", "--format=esm"]),
    `--target=${bunTarget(t)}`,
    "--define",
    `RUNCODE_VERSION=${JSON.stringify(version)}`,
    "--define",
    `RUNCODE_COMMIT=${JSON.stringify(commit)}`,
    "--outfile",
    file,
  ];
  const p = Bun.spawn(args, { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  if (code !== 0 || !existsSync(file)) {
    rmSync(file, { force: true });
    const why = `${stderr}\n${stdout}`
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => /error|fail|could not|unable/i.test(l));
    return { ok: false, error: why[0] ?? `bun build exited with ${code}` };
  }
  chmodSync(file, 0o755);
  return { ok: true, ms: performance.now() - started };
}

async function main() {
  const targets = selected();
  mkdirSync(out, { recursive: true });
  // The folder is published as is, so binaries from an earlier build must not sit next to this build's SHA256SUMS.
  for (const t of TARGETS) rmSync(join(out, assetName(t)), { force: true });
  console.error(`building runcode ${version} (${commit}) for ${targets.length} target(s) into ${out}`);

  // Sequential: each compile already uses every core, and parallel builds only fight for memory.
  const sums = new Map<string, string>();
  const failed: string[] = [];
  for (const t of targets) {
    const name = assetName(t);
    const r = await compile(t);
    if (!r.ok) {
      failed.push(name);
      console.error(`✗ ${name}: ${r.error}`);
      continue;
    }
    const hex = sha256(readFileSync(join(out, name)));
    sums.set(name, hex);
    const mb = (Bun.file(join(out, name)).size / 1e6).toFixed(1);
    console.error(`✓ ${name}  ${mb} MB  ${(r.ms / 1000).toFixed(1)} s`);
  }
  if (!sums.size) throw new Error("no target built: see the errors above");

  writeFileSync(join(out, "SHA256SUMS"), formatSums(sums));
  writeFileSync(join(out, "VERSION"), `${version}\n`);
  // Shipped in the release too, so …/releases/latest/download/install.sh is the documented one-liner.
  copyFileSync(join(ROOT, "install.sh"), join(out, "install.sh"));
  console.error(`wrote ${join(out, "SHA256SUMS")}, VERSION and install.sh`);

  if (!opt["no-smoke"] && host && sums.has(assetName(host))) await smokeTest(join(out, assetName(host)), version);
  if (failed.length) {
    console.error(`not built here: ${failed.join(", ")} (a release needs every target: rebuild where the npm registry is reachable)`);
    process.exit(1);
  }
}

main().catch((err: unknown) => {
  console.error(`build-binaries: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
