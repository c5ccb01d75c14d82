#!/usr/bin/env bun
// Builds the release folder: one self-contained binary per target (no Node or Bun needed to run it), SHA256SUMS
// and VERSION, laid out as src/release/assets.ts describes, then smoke-tests the host binary. A darwin binary whose
// code signature does not match it is re-signed ad hoc (see adhocSignIfInvalid), as macOS kills such a process.
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
async function compile(t: Target): Promise<{ ok: true; ms: number; note: string } | { ok: false; error: string }> {
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
  let note = "";
  if (t.os === "darwin") {
    try {
      if (adhocSignIfInvalid(file)) note = "  (re-signed ad hoc: bun's code signature did not match the binary)";
    } catch (err) {
      rmSync(file, { force: true });
      return { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
  }
  return { ok: true, ms: performance.now() - started, note };
}

// macOS code signatures. macOS on Apple silicon runs only signed code, and the kernel kills a process whose pages do
// not match the signature's hashes. bun signs its darwin-arm64 output ad hoc, but its darwin-x64 output (bun 1.4.5)
// keeps the signature of bun's own runtime, which stops matching once the app is embedded: 75 of its page hashes are
// wrong, slot 0 included, and the last 13 MB are outside it. Such a binary is re-signed here in the format of the
// linker's ad-hoc signature (and bun's arm64 one): a SuperBlob holding one CodeDirectory of SHA-256 hashes of every
// 4 KiB page before the signature. test/dist/binfmt.ts checks every darwin binary of the build the same way.
const MH_MAGIC_64 = 0xfeedfacf;
const LC_SEGMENT_64 = 0x19;
const LC_CODE_SIGNATURE = 0x1d;
const CSMAGIC_EMBEDDED_SIGNATURE = 0xfade0cc0;
const CSMAGIC_CODEDIRECTORY = 0xfade0c02;
const PAGE = 4096;

type MachSig = { cmd: number; dataOff: number; linkedit: number; textOff: bigint; textSize: bigint };

function machSig(b: Buffer, file: string): MachSig {
  if (b.readUInt32LE(0) !== MH_MAGIC_64) throw new Error(`${file} is not a 64-bit Mach-O file`);
  let off = 32;
  let cmd = -1;
  let linkedit = -1;
  let text = -1;
  let lastVmEnd = 0n;
  for (let i = 0, n = b.readUInt32LE(16); i < n; i++) {
    const kind = b.readUInt32LE(off);
    if (kind === LC_CODE_SIGNATURE) cmd = off;
    if (kind === LC_SEGMENT_64) {
      const name = b.toString("latin1", off + 8, off + 24).replace(/\0+$/, "");
      if (name === "__LINKEDIT") linkedit = off;
      if (name === "__TEXT") text = off;
      const end = b.readBigUInt64LE(off + 24) + b.readBigUInt64LE(off + 32);
      if (end > lastVmEnd) lastVmEnd = end;
    }
    off += b.readUInt32LE(off + 4);
  }
  if (cmd < 0) throw new Error(`${file} has no LC_CODE_SIGNATURE load command to re-sign: macOS would refuse to run it`);
  if (linkedit < 0 || text < 0) throw new Error(`${file} has no __TEXT or __LINKEDIT segment`);
  if (b.readBigUInt64LE(linkedit + 24) + b.readBigUInt64LE(linkedit + 32) !== lastVmEnd)
    throw new Error(`${file}: __LINKEDIT is not the last segment, so its signature cannot grow`);
  return { cmd, dataOff: b.readUInt32LE(cmd + 8), linkedit, textOff: b.readBigUInt64LE(text + 40), textSize: b.readBigUInt64LE(text + 48) };
}

const pageHash = (b: Buffer, i: number, limit: number) =>
  new Bun.CryptoHasher("sha256").update(b.subarray(i * PAGE, Math.min(limit, (i + 1) * PAGE))).digest();

/** Whether the CodeDirectory covers everything before the signature and every page hash matches. */
function signatureValid(b: Buffer, dataOff: number): boolean {
  if (dataOff + 12 > b.length || b.readUInt32BE(dataOff) !== CSMAGIC_EMBEDDED_SIGNATURE) return false;
  for (let i = 0, n = b.readUInt32BE(dataOff + 8); i < n; i++) {
    if (b.readUInt32BE(dataOff + 12 + i * 8) !== 0) continue;
    const cd = dataOff + b.readUInt32BE(dataOff + 16 + i * 8);
    if (b.readUInt32BE(cd) !== CSMAGIC_CODEDIRECTORY) return false;
    const hashes = cd + b.readUInt32BE(cd + 16);
    const slots = b.readUInt32BE(cd + 28);
    const limit = b.readUInt32BE(cd + 32);
    if (limit !== dataOff || b[cd + 36] !== 32 || b[cd + 37] !== 2 || b[cd + 39] !== 12 || slots !== Math.ceil(limit / PAGE)) return false;
    for (let p = 0; p < slots; p++) if (!pageHash(b, p, limit).equals(b.subarray(hashes + p * 32, hashes + p * 32 + 32))) return false;
    return true;
  }
  return false;
}

/** Re-signs a darwin binary ad hoc when its signature does not match it; true when it did. */
function adhocSignIfInvalid(file: string): boolean {
  const b = readFileSync(file);
  const m = machSig(b, file);
  if (signatureValid(b, m.dataOff)) return false;
  const ident = Buffer.from("runcode\0", "latin1");
  const slots = Math.ceil(m.dataOff / PAGE);
  const hashOff = 88 + ident.length;
  const cdLen = hashOff + slots * 32;
  const sbLen = 20 + cdLen;
  const out = Buffer.alloc(m.dataOff + sbLen);
  b.copy(out, 0, 0, m.dataOff);
  // The load commands first: they are in page 0, which the signature hashes.
  out.writeUInt32LE(sbLen, m.cmd + 12);
  const leSize = BigInt(m.dataOff + sbLen) - out.readBigUInt64LE(m.linkedit + 40);
  out.writeBigUInt64LE(leSize, m.linkedit + 48);
  const vm = (leSize + 0x3fffn) & ~0x3fffn;
  if (vm > out.readBigUInt64LE(m.linkedit + 32)) out.writeBigUInt64LE(vm, m.linkedit + 32);
  let o = m.dataOff;
  for (const v of [CSMAGIC_EMBEDDED_SIGNATURE, sbLen, 1, 0, 20]) o = out.writeUInt32BE(v, o);
  const cd = o;
  // CodeDirectory 0x20400: flags adhoc|linker-signed, no special slots, SHA-256, 4 KiB pages, the main binary's
  // executable segment (__TEXT).
  for (const v of [CSMAGIC_CODEDIRECTORY, cdLen, 0x20400, 0x20002, hashOff, 88, 0, slots, m.dataOff]) o = out.writeUInt32BE(v, o);
  o = out.writeUInt8(32, o);
  o = out.writeUInt8(2, o);
  o = out.writeUInt8(0, o);
  o = out.writeUInt8(12, o);
  for (let i = 0; i < 4; i++) o = out.writeUInt32BE(0, o); // spare2, scatterOffset, teamOffset, spare3
  for (const v of [0n, m.textOff, m.textSize, 1n]) o = out.writeBigUInt64BE(v, o); // codeLimit64, execSeg base/limit/flags
  ident.copy(out, o);
  for (let p = 0; p < slots; p++) pageHash(out, p, m.dataOff).copy(out, cd + hashOff + p * 32);
  if (!signatureValid(out, m.dataOff)) throw new Error(`${file}: the ad-hoc signature written does not verify`);
  writeFileSync(file, out);
  return true;
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
    console.error(`✓ ${name}  ${mb} MB  ${(r.ms / 1000).toFixed(1)} s${r.note}`);
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
