#!/usr/bin/env bun
// `npm test` runs this first (the `pretest` script): the system tools some tests need beyond npm. A missing tool is
// installed with the platform's package manager when that can be done without a question (root with apt-get, or
// Homebrew); otherwise this stops with the exact command to run. Present tools cost one PATH or file lookup each.
//   bun scripts/test-deps.ts [--check]   (--check: only report, install nothing)
// The release tests (test/dist) import requireDeps() from here, so a test whose tool is missing fails with the same
// one-line message and command this script prints.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dir, "..");

export type Dep = {
  /** What the messages call it: the command, or the library. */
  name: string;
  why: string;
  /** One PATH or file lookup. */
  present: () => boolean;
  apt?: string;
  brew?: string;
  /** A foreign dpkg architecture the apt package needs (`dpkg --add-architecture`). */
  arch?: string;
  /** A Debian package unpacked into a folder (`dpkg-deb -x`, no root needed) instead of installed. */
  unpack?: { pkg: string; dir: string };
};

/** Debian puts PostgreSQL's server programs (initdb, postgres, pg_ctl) outside PATH, one folder per major version. */
export function postgresBin(): string | undefined {
  const base = "/usr/lib/postgresql";
  if (!existsSync(base)) return Bun.which("initdb") ? "" : undefined;
  const versions = readdirSync(base).filter((v) => existsSync(join(base, v, "bin", "initdb")));
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  return newest ? join(base, newest, "bin") : Bun.which("initdb") ? "" : undefined;
}

const onPath = (bin: string, why: string, apt: string, brew: string): Dep => ({
  name: bin,
  why,
  present: () => !!Bun.which(bin),
  apt,
  brew,
});

/** Each tool a test needs, and its package per manager. */
const TOOLS: Dep[] = [
  onPath("tmux", "the REPL in a real pty", "tmux", "tmux"),
  onPath("openssl", "self-signed certificates for the team server's TLS tests", "openssl", "openssl"),
  ...(process.platform === "linux" ? [onPath("bwrap", "the OS sandbox for Bash (--sandbox) on Linux", "bubblewrap", "")] : []),
  {
    name: "postgresql",
    why: "the team store on a real PostgreSQL server",
    present: () => postgresBin() !== undefined,
    apt: "postgresql",
    brew: "postgresql",
  },
  onPath("rg", "Grep's ripgrep path", "ripgrep", "ripgrep"),
  onPath("shellcheck", "install.sh is checked as POSIX sh", "shellcheck", "shellcheck"),
  onPath("ruby", "the Homebrew formula is checked with ruby -c", "ruby", "ruby"),
  onPath("curl", "install.sh downloads with curl", "curl", "curl"),
  onPath("script", "a TTY for the compiled binary's tests", "bsdutils", ""),
  onPath("git", "projects in the tests are git repositories", "git", "git"),
  onPath("go", "the bench suite's Go tasks", "golang-go", "go"),
  onPath("chromium", "the dashboard's pages in a real browser (driven by playwright-core)", "chromium", "chromium"),
  onPath("zsh", "the completion script is loaded by zsh", "zsh", "zsh"),
  onPath("fish", "the completion script is loaded by fish", "fish", "fish"),
];

// What test/dist/release.test.ts runs the other Linux release binaries with, at Debian's fixed paths (a file lookup,
// whatever PATH is). Only on Linux x64, the machine the project's tests and CI run on.
export const READELF = "/usr/bin/readelf";
export const QEMU_AARCH64 = "/usr/bin/qemu-aarch64-static";
/** Debian's arm64 glibc (multiarch libc6:arm64); runcode-linux-arm64 needs nothing else (readelf -d). */
export const ARM64_LOADER = "/lib/ld-linux-aarch64.so.1";
/**
 * Debian's musl 1.2.3 (loader and C library in one file), unpacked here rather than installed: no root needed, and
 * the machine's /lib stays as it was (an installed musl adds /lib/ld-musl-x86_64.so.1 to this glibc system).
 */
export const MUSL_DIR = join(ROOT, "node_modules", ".cache", "runcode-test-deps", "musl");
export const MUSL_LOADER = join(MUSL_DIR, "lib", "ld-musl-x86_64.so.1");
/**
 * runcode-linux-x64-musl's C++ runtime under that loader: Debian has none built for musl, so the test uses the
 * machine's own (built for glibc) with test/dist/musl-shim.c, compiled by `cc`, for the glibc symbols they use.
 */
export const HOST_LIBSTDCXX = "/usr/lib/x86_64-linux-gnu/libstdc++.so.6";
export const HOST_LIBGCC_S = "/usr/lib/x86_64-linux-gnu/libgcc_s.so.1";

export const RELEASE_DEPS: Dep[] =
  process.platform === "linux" && process.arch === "x64"
    ? [
        { name: "readelf", why: "the release binaries' ELF headers", present: () => existsSync(READELF), apt: "binutils" },
        { name: "qemu-aarch64-static", why: "runs runcode-linux-arm64", present: () => existsSync(QEMU_AARCH64), apt: "qemu-user-static" },
        {
          name: "arm64 glibc",
          why: "runcode-linux-arm64's libraries under qemu",
          present: () => existsSync(ARM64_LOADER),
          apt: "libc6:arm64",
          arch: "arm64",
        },
        {
          name: "musl",
          why: "runcode-linux-x64-musl under musl's own loader",
          present: () => existsSync(MUSL_LOADER),
          unpack: { pkg: "musl", dir: MUSL_DIR },
        },
        { name: "libstdc++", why: "runcode-linux-x64-musl's C++ runtime", present: () => existsSync(HOST_LIBSTDCXX), apt: "libstdc++6" },
        { name: "libgcc_s", why: "runcode-linux-x64-musl's C++ runtime", present: () => existsSync(HOST_LIBGCC_S), apt: "libgcc-s1" },
        { name: "cc", why: "builds test/dist/musl-shim.c", present: () => !!Bun.which("cc"), apt: "gcc" },
        { name: "C headers", why: "builds test/dist/musl-shim.c", present: () => existsSync("/usr/include/link.h"), apt: "libc6-dev" },
      ]
    : [];

const DEPS = [...TOOLS, ...RELEASE_DEPS];

const root = process.getuid?.() === 0;
const apt = () => Bun.which("apt-get");
const brew = () => Bun.which("brew");

/** The exact command that installs `deps`, for this machine. */
export function fixCommand(deps: Dep[]): string {
  if (apt()) {
    const sudo = root ? "" : "sudo ";
    const parts: string[] = [];
    for (const arch of new Set(deps.map((d) => d.arch).filter(Boolean))) parts.push(`${sudo}dpkg --add-architecture ${arch}`);
    const pkgs = deps.map((d) => d.apt).filter(Boolean);
    if (pkgs.length || deps.some((d) => d.unpack)) parts.push(`${sudo}apt-get update`);
    if (pkgs.length) parts.push(`${sudo}apt-get install -y ${pkgs.join(" ")}`);
    for (const d of deps)
      if (d.unpack)
        parts.push(`cd "$(mktemp -d)" && apt-get download ${d.unpack.pkg} && dpkg-deb -x ${d.unpack.pkg}_*.deb ${d.unpack.dir}`);
    return parts.join(" && ");
  }
  const brewPkgs = deps.map((d) => d.brew).filter(Boolean);
  if (brew() && brewPkgs.length === deps.length) return `brew install ${brewPkgs.join(" ")}`;
  return `install ${deps.map((d) => d.name).join(", ")} with your package manager`;
}

/** One line: what is missing, why, and the exact command. */
export const missingLine = (deps: Dep[]) => `missing ${deps.map((d) => `${d.name} (${d.why})`).join(", ")}; run: ${fixCommand(deps)}`;

/** For tests: throws the line test-deps prints when any of the named deps is missing. */
export function requireDeps(...names: string[]): void {
  const deps = names.map((n) => {
    const d = DEPS.find((x) => x.name === n);
    if (!d) throw new Error(`test-deps: no dependency named ${n} on ${process.platform}-${process.arch}`);
    return d;
  });
  const missing = deps.filter((d) => !d.present());
  if (missing.length) throw new Error(`${missingLine(missing)} (\`npm test\` does this first: scripts/test-deps.ts)`);
}

/** Runs a package manager; its progress output is dropped, its errors pass through. */
function run(cmd: string[], o: { env?: Record<string, string>; cwd?: string } = {}): boolean {
  const r = Bun.spawnSync(cmd, { cwd: o.cwd, stdout: "ignore", stderr: "inherit", env: { ...process.env, ...o.env } });
  return r.exitCode === 0;
}

const APT_ENV = { DEBIAN_FRONTEND: "noninteractive", DEBCONF_NOWARNINGS: "yes" };

function aptInstall(deps: Dep[]): boolean {
  const foreign = Bun.spawnSync(["dpkg", "--print-foreign-architectures"], { stderr: "ignore" }).stdout.toString().split(/\s+/);
  for (const arch of new Set(deps.map((d) => d.arch).filter((a): a is string => !!a))) {
    if (!foreign.includes(arch) && !run(["dpkg", "--add-architecture", arch])) return false;
  }
  const pkgs = deps.map((d) => d.apt).filter((p): p is string => !!p);
  return (
    run(["apt-get", "update", "-qq"], { env: APT_ENV }) &&
    (!pkgs.length || run(["apt-get", "install", "-y", "-qq", ...pkgs], { env: APT_ENV }))
  );
}

/** `apt-get download` + `dpkg-deb -x`: needs the package lists, not root. */
function unpack(d: Dep & { unpack: NonNullable<Dep["unpack"]> }): boolean {
  const tmp = mkdtempSync(join(tmpdir(), "runcode-deps-"));
  // apt-get downloads as its _apt user when it can write there (else it warns that it ran unsandboxed).
  chmodSync(tmp, 0o777);
  try {
    if (!run(["apt-get", "download", "-qq", d.unpack.pkg], { cwd: tmp, env: APT_ENV })) return false;
    const deb = readdirSync(tmp).find((f) => f.endsWith(".deb"));
    if (!deb) return false;
    rmSync(d.unpack.dir, { recursive: true, force: true });
    mkdirSync(d.unpack.dir, { recursive: true });
    return run(["dpkg-deb", "-x", join(tmp, deb), d.unpack.dir]);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function main(): number {
  const missing = DEPS.filter((d) => !d.present());
  if (!missing.length) return 0;
  const checkOnly = process.argv.includes("--check");
  const names = (deps: Dep[]) => deps.map((d) => `${d.name} (${d.why})`).join(", ");
  if (!checkOnly && apt()) {
    const viaApt = root ? missing.filter((d) => d.apt) : [];
    const viaDeb = missing.filter((d) => d.unpack);
    if (viaApt.length || viaDeb.length) {
      console.error(`test setup: installing ${names([...viaApt, ...viaDeb])}`);
      let ok = !viaApt.length || aptInstall(viaApt);
      // The package lists may be missing or stale: unpacking runs after the update when there was one.
      for (const d of viaDeb) if (d.unpack) ok = unpack(d as Dep & { unpack: NonNullable<Dep["unpack"]> }) && ok;
      const still = missing.filter((d) => !d.present());
      if (!still.length) return 0;
      console.error(
        `test setup: the install ${ok ? "did not provide" : "failed for"} ${names(still)}; run it yourself: ${fixCommand(still)}`,
      );
      return 1;
    }
  }
  const brewPkgs = missing.map((d) => d.brew).filter((p): p is string => !!p);
  if (!checkOnly && !apt() && brew() && brewPkgs.length === missing.length) {
    console.error(`test setup: installing ${names(missing)}`);
    if (run(["brew", "install", ...brewPkgs])) return 0;
    console.error(`test setup: the install failed; run it yourself: ${fixCommand(missing)}`);
    return 1;
  }
  console.error(`test setup: ${missingLine(missing)}`);
  return 1;
}

if (import.meta.main) process.exit(main());
