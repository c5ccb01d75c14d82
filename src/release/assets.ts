// The release layout, shared by scripts/build-binaries.ts, scripts/gen-formula.ts, install.sh (by convention),
// `runcode upgrade` and `runcode doctor`. A release is one folder holding:
//   runcode-<os>-<arch>[-musl][.exe]   one binary per target
//   SHA256SUMS                         `<sha256 hex>  <file name>` lines (sha256sum format)
//   VERSION                            the version, e.g. `0.4.0\n` (lets installers pick the latest without an API)
// RUNCODE_DOWNLOAD_URL points at such a folder; without it the GitHub release of the version (or latest) is used.
import { closeSync, existsSync, openSync, readSync, readdirSync } from "node:fs";
import { join } from "node:path";

export const RELEASES = "https://github.com/BlockRunAI/runcode/releases";

export type Target = { os: "linux" | "darwin" | "windows"; arch: "x64" | "arm64"; musl?: boolean };

/** Every target a release ships, in build order. */
export const TARGETS: Target[] = [
  { os: "linux", arch: "x64" },
  { os: "linux", arch: "arm64" },
  { os: "linux", arch: "x64", musl: true },
  { os: "darwin", arch: "x64" },
  { os: "darwin", arch: "arm64" },
  { os: "windows", arch: "x64" },
];

export const assetName = (t: Target) => `runcode-${t.os}-${t.arch}${t.musl ? "-musl" : ""}${t.os === "windows" ? ".exe" : ""}`;

/** The `bun build --target` for a release target. */
export const bunTarget = (t: Target) => `bun-${t.os}-${t.arch}${t.musl ? "-musl" : ""}`;

/**
 * The program interpreter an ELF executable names (PT_INTERP), e.g. `/lib/ld-musl-x86_64.so.1`, or undefined for a
 * static, unreadable or non-ELF file.
 */
export function elfInterpreter(file: string): string | undefined {
  // The program headers and the interpreter's name sit at the start of the file: 64 KiB is plenty.
  let b: Buffer;
  try {
    const fd = openSync(file, "r");
    try {
      b = Buffer.alloc(65536);
      b = b.subarray(0, readSync(fd, b, 0, b.length, 0));
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
  if (b.length < 52 || b.readUInt32BE(0) !== 0x7f454c46) return undefined;
  const is64 = b[4] === 2;
  const le = b[5] !== 2;
  const u16 = (o: number) => (le ? b.readUInt16LE(o) : b.readUInt16BE(o));
  const u32 = (o: number) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  const word = (o: number) => (is64 ? Number(le ? b.readBigUInt64LE(o) : b.readBigUInt64BE(o)) : u32(o));
  const phoff = word(is64 ? 0x20 : 0x1c);
  const phentsize = u16(is64 ? 0x36 : 0x2a);
  const phnum = u16(is64 ? 0x38 : 0x2c);
  for (let i = 0; i < phnum; i++) {
    const ph = phoff + i * phentsize;
    if (ph + phentsize > b.length) return undefined;
    if (u32(ph) !== 3) continue; // PT_INTERP
    const off = word(ph + (is64 ? 8 : 4));
    const size = word(ph + (is64 ? 32 : 16));
    if (off + size > b.length) return undefined;
    return b.toString("latin1", off, off + size).replace(/\0.*$/s, "");
  }
  return undefined;
}

/**
 * Linux with musl libc (Alpine): the libc the system's own programs use, as in install.sh. That is the loader
 * `/bin/sh` names, so a glibc system with Debian's musl package (which adds /lib/ld-musl-x86_64.so.1) is glibc.
 * Only when /bin/sh names neither (static) do the loaders present decide: musl when its loader is there and glibc's
 * is not. `root` is the filesystem root to look at (tests).
 */
export function isMusl(root = "/"): boolean {
  if (process.platform !== "linux") return false;
  const interp = elfInterpreter(join(root, "bin", "sh"));
  if (interp && /\/ld-musl-[^/]*$/.test(interp)) return true;
  if (interp && /\/ld-linux[^/]*$/.test(interp)) return false;
  const has = (dir: string, prefix: string) => {
    const d = join(root, dir);
    return existsSync(d) && readdirSync(d).some((f) => f.startsWith(prefix));
  };
  if (has("lib", "ld-linux") || has("lib64", "ld-linux")) return false;
  return has("lib", "ld-musl-") || has("usr/lib", "ld-musl-");
}

/** An x64 process on Apple silicon runs under Rosetta; the native arm64 build is the one to install. */
function underRosetta(): boolean {
  if (process.platform !== "darwin" || process.arch !== "x64") return false;
  const r = Bun.spawnSync(["sysctl", "-n", "sysctl.proc_translated"], { stderr: "ignore" });
  return r.stdout.toString().trim() === "1";
}

/** The target matching this machine, or undefined when no release binary exists for it. */
export function hostTarget(): Target | undefined {
  const os = process.platform === "win32" ? "windows" : process.platform;
  const arch = underRosetta() ? "arm64" : process.arch;
  const musl = isMusl();
  return TARGETS.find((t) => t.os === os && t.arch === arch && !!t.musl === musl);
}

/** The release folder URL: the override as given, else the tagged GitHub release, else the latest one. */
export function releaseUrl(override: string | undefined, version?: string): string {
  if (override) return override.replace(/\/+$/, "");
  return version ? `${RELEASES}/download/v${version.replace(/^v/, "")}` : `${RELEASES}/latest/download`;
}

/** Parse SHA256SUMS text into file name → lowercase hex. Accepts sha256sum's binary-mode `*name` too. */
export function parseSums(text: string): Map<string, string> {
  const sums = new Map<string, string>();
  for (const line of text.split("\n")) {
    const m = /^([0-9a-fA-F]{64}) [ *](.+)$/.exec(line.trim());
    if (m) sums.set(m[2]!, m[1]!.toLowerCase());
  }
  return sums;
}

export const formatSums = (sums: Map<string, string>) =>
  [...sums]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, hex]) => `${hex}  ${name}\n`)
    .join("");

export function sha256(data: ArrayBuffer | Uint8Array): string {
  return new Bun.CryptoHasher("sha256").update(data).digest("hex");
}

/** Compare dotted versions numerically ("0.10.0" > "0.9.1"); a pre-release suffix sorts before its release. */
export function compareVersions(a: string, b: string): number {
  const split = (v: string) => {
    const [core = "", pre] = v.replace(/^v/, "").split("-", 2);
    return { nums: core.split(".").map((n) => Number.parseInt(n, 10) || 0), pre };
  };
  const x = split(a);
  const y = split(b);
  for (let i = 0; i < Math.max(x.nums.length, y.nums.length); i++) {
    const d = (x.nums[i] ?? 0) - (y.nums[i] ?? 0);
    if (d) return Math.sign(d);
  }
  if (x.pre === y.pre) return 0;
  if (x.pre === undefined) return 1;
  if (y.pre === undefined) return -1;
  return x.pre < y.pre ? -1 : 1;
}

/** True when this process is a `bun build --compile` binary rather than `bun src/main.ts`. */
export const isCompiled = () => Bun.main.startsWith("/$bunfs/") || Bun.main.includes("~BUN");
