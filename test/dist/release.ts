// Shared fixtures for the distribution tests: the host binary (built once per test process by the real build
// script, or RUNCODE_TEST_BIN), the other targets' binaries (built once, by the same script), release folders laid
// out like dist/, a static file server for them, and the musl runtime the musl build is run with.
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { TARGETS, assetName, formatSums, hostTarget, parseSums, sha256 } from "../../src/release/assets";
import { HOST_LIBGCC_S, HOST_LIBSTDCXX, requireDeps } from "../../scripts/test-deps";
import { ROOT, cliEnv, tempDir } from "../helpers";

const target = hostTarget();
if (!target) throw new Error(`no release target for ${process.platform}-${process.arch}`);
export const ASSET = assetName(target);

export type Built = { bin: string; version: string; dir: string };

// Each build is ~100 MB and bun test has no exit hook, so builds live in <tmp>/runcode-test-builds/<pid>-<label>
// and every run first deletes the folders of test processes that are gone: at most one run's builds remain.
const BUILDS = join(tmpdir(), "runcode-test-builds");
function sweep() {
  if (!existsSync(BUILDS)) return;
  for (const name of readdirSync(BUILDS)) {
    const pid = Number.parseInt(name, 10);
    if (pid === process.pid) continue;
    try {
      process.kill(pid, 0);
    } catch {
      rmSync(join(BUILDS, name), { recursive: true, force: true });
    }
  }
}

async function build(label: string, args: string[]): Promise<Built> {
  sweep();
  const out = join(BUILDS, `${process.pid}-${label}`);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const p = Bun.spawn([process.execPath, "scripts/build-binaries.ts", "--no-smoke", "--out", out, ...args], {
    cwd: ROOT,
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stderr, code] = await Promise.all([new Response(p.stderr).text(), p.exited]);
  if (code !== 0) throw new Error(`build-binaries ${args.join(" ")} failed (exit ${code}):\n${stderr}`);
  return { bin: join(out, ASSET), version: readFileSync(join(out, "VERSION"), "utf8").trim(), dir: out };
}

let host: Promise<Built> | undefined;
/** The binary under test: RUNCODE_TEST_BIN when set (CI builds it once), else a fresh host-only build. */
export function hostBinary(): Promise<Built> {
  host ??= (async () => {
    const bin = process.env.RUNCODE_TEST_BIN;
    if (!bin) return build("host", ["--host-only"]);
    const out = Bun.spawnSync([bin, "--version"]).stdout.toString().trim();
    return { bin, version: out.replace(/^runcode\s+/, "").split(/\s/)[0] ?? out, dir: dirname(bin) };
  })();
  return host;
}

let newer: Promise<Built> | undefined;
/** A second build that reports version 9.9.9, for upgrade tests. */
export const newerBinary = () => (newer ??= build("9.9.9", ["--host-only", "--version", "9.9.9"]));

/** Every release target except the host's: the target name (`linux-arm64`, `windows-x64`, …) without runcode- and .exe. */
export const CROSS = TARGETS.filter((t) => assetName(t) !== ASSET).map((t) => assetName(t).replace(/^runcode-|\.exe$/g, ""));

export type CrossBuilt = { dir: string; version: string; sums: Map<string, string>; path: (asset: string) => string };
let cross: Promise<CrossBuilt> | undefined;
/** The other targets' binaries, built once per test process with one `build-binaries --target …` run. */
export function crossBinaries(): Promise<CrossBuilt> {
  cross ??= (async () => {
    const b = await build("cross", ["--target", CROSS.join(",")]);
    const sums = parseSums(readFileSync(join(b.dir, "SHA256SUMS"), "utf8"));
    return { dir: b.dir, version: b.version, sums, path: (asset: string) => join(b.dir, asset) };
  })();
  return cross;
}

let muslLibs: Promise<string> | undefined;
/**
 * A library folder for runcode-linux-x64-musl under musl's loader (`ld-musl-x86_64.so.1 --library-path DIR`): this
 * machine's libstdc++.so.6 and libgcc_s.so.1, and test/dist/musl-shim.c built as the ld-linux-x86-64.so.2 they
 * name. Built once per test process; needs the musl, libstdc++, libgcc_s, cc and C headers of scripts/test-deps.ts.
 */
export function muslLibraries(): Promise<string> {
  muslLibs ??= (async () => {
    requireDeps("musl", "libstdc++", "libgcc_s", "cc", "C headers");
    sweep();
    const dir = join(BUILDS, `${process.pid}-musl-libs`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    symlinkSync(HOST_LIBSTDCXX, join(dir, "libstdc++.so.6"));
    symlinkSync(HOST_LIBGCC_S, join(dir, "libgcc_s.so.1"));
    const shim = "ld-linux-x86-64.so.2";
    const cc = ["cc", "-shared", "-fPIC", "-nostdlib", "-fno-stack-protector", "-O2", "-Wall", "-Werror", `-Wl,-soname,${shim}`];
    const p = Bun.spawnSync([...cc, "-o", join(dir, shim), join(import.meta.dir, "musl-shim.c")], { stderr: "pipe" });
    if (p.exitCode !== 0) throw new Error(`cc test/dist/musl-shim.c failed (exit ${p.exitCode}):\n${p.stderr.toString()}`);
    return dir;
  })();
  return muslLibs;
}

/**
 * A release folder: `files` maps a file name to a source path or contents. SHA256SUMS is computed from them unless
 * `sums` overrides it (corrupt or missing entries); VERSION defaults to `version`.
 */
export function releaseFolder(files: Record<string, string | Uint8Array>, o: { version: string; sums?: string }): string {
  const dir = tempDir("runcode-release-");
  const sums = new Map<string, string>();
  for (const [name, src] of Object.entries(files)) {
    const dest = join(dir, name);
    if (typeof src === "string") copyFileSync(src, dest);
    else writeFileSync(dest, src, { mode: 0o755 });
    sums.set(name, sha256(readFileSync(dest)));
  }
  writeFileSync(join(dir, "SHA256SUMS"), o.sums ?? formatSums(sums));
  writeFileSync(join(dir, "VERSION"), `${o.version}\n`);
  return dir;
}

/** Serves a folder over HTTP on loopback (404 for anything missing), like a GitHub release or a mirror. */
export function serve(dir: string) {
  const hits: string[] = [];
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(req) {
      const name = decodeURIComponent(new URL(req.url).pathname).replace(/^\/+/, "");
      hits.push(name);
      const file = join(dir, name);
      if (name.includes("..") || !existsSync(file)) return new Response("not found", { status: 404 });
      return new Response(Bun.file(file));
    },
  });
  return { url: `http://127.0.0.1:${server.port}`, hits, stop: () => server.stop(true) };
}

export type Run = { stdout: string; stderr: string; code: number };

/** Runs a command with the test environment (temp HOME, no developer PATH surprises unless given). */
export async function run(cmd: string[], o: { home: string; env?: Record<string, string | undefined>; cwd?: string }): Promise<Run> {
  const p = Bun.spawn(cmd, { cwd: o.cwd ?? o.home, env: cliEnv(o.home, o.env), stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  const timer = setTimeout(() => p.kill("SIGKILL"), 60_000);
  const [stdout, stderr, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  clearTimeout(timer);
  return { stdout, stderr, code };
}

/** A directory of symlinks to just these tools, for PATHs without sha256sum/shasum or curl. */
export function toolDir(tools: string[]): string {
  const dir = tempDir("runcode-tools-");
  mkdirSync(dir, { recursive: true });
  for (const t of tools) {
    const found = Bun.which(t);
    if (found) Bun.spawnSync(["ln", "-s", found, join(dir, t)]);
  }
  return dir;
}

export const INSTALL_SH = join(ROOT, "install.sh");
