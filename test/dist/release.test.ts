// The release artefacts themselves: the build's SHA256SUMS/VERSION, every target's binary run where this machine
// can run it (linux-arm64 under qemu, linux-x64-musl under musl's own loader and C library) and read where it cannot
// (the Mach-O headers and code signatures of the macOS builds, the PE header and imports of the Windows build; see
// docs/install.md for what is not checked and why), the formula generated from
// the sums, and the linters CI relies on. A missing tool fails its test with the command to install it
// (scripts/test-deps.ts, which `npm test` runs first, installs them all).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { TARGETS, assetName, compareVersions, parseSums, sha256 } from "../../src/release/assets";
import { formula } from "../../scripts/gen-formula";
import { MUSL_LOADER, QEMU_AARCH64, READELF, requireDeps } from "../../scripts/test-deps";
import { FAKE_MODELS, startFakeGateway } from "../fake-gateway";
import { ROOT, cleanup, tempDir } from "../helpers";
import { readMachO, readPE } from "./binfmt";
import { ASSET, CROSS, type CrossBuilt, INSTALL_SH, crossBinaries, hostBinary, muslLibraries, run } from "./release";

const dirs: string[] = [];
afterAll(() => cleanup(...dirs));

function tool(name: string): string {
  requireDeps(name);
  return Bun.which(name)!;
}

/** What readelf says about an ELF file: machine, program interpreter, NEEDED libraries, RPATH/RUNPATH. */
function elf(file: string) {
  requireDeps("readelf");
  const r = Bun.spawnSync([READELF, "-hldW", file], { stderr: "pipe" });
  const out = r.stdout.toString();
  if (r.exitCode !== 0) throw new Error(`readelf ${file} exited ${r.exitCode}: ${r.stderr.toString().trim()}`);
  return {
    machine: /^\s*Machine:\s+(.+)$/m.exec(out)?.[1]?.trim(),
    interpreter: /\[Requesting program interpreter: (.+)\]/.exec(out)?.[1],
    needed: [...out.matchAll(/\(NEEDED\)\s+Shared library: \[(.+)\]/g)].map((m) => m[1]),
    runpath: [...out.matchAll(/\((?:RPATH|RUNPATH)\)\s+.*\[(.+)\]/g)].map((m) => m[1]),
  };
}

describe("release artefacts", () => {
  test("the build writes SHA256SUMS and VERSION that match the host binary", async () => {
    const built = await hostBinary();
    const sumsFile = join(built.dir, "SHA256SUMS");
    expect(existsSync(sumsFile)).toBe(true);
    expect(parseSums(readFileSync(sumsFile, "utf8")).get(ASSET)).toBe(sha256(readFileSync(built.bin)));
    expect(readFileSync(join(built.dir, "VERSION"), "utf8")).toBe(`${built.version}\n`);
  }, 240_000);

  test("install.sh passes shellcheck as POSIX sh", () => {
    const r = Bun.spawnSync([tool("shellcheck"), "--shell=sh", "--severity=style", INSTALL_SH]);
    expect(r.stdout.toString() + r.stderr.toString()).toBe("");
    expect(r.exitCode).toBe(0);
  });

  test("the formula is generated from SHA256SUMS for all four macOS/Linux binaries and passes ruby -c", () => {
    const sums = new Map(TARGETS.map((t, i) => [assetName(t), String(i).repeat(64)]));
    const text = formula("1.2.3", sums, "https://example.test/v1.2.3");
    for (const name of ["runcode-darwin-arm64", "runcode-darwin-x64", "runcode-linux-arm64", "runcode-linux-x64"]) {
      expect(text).toContain(`url "https://example.test/v1.2.3/${name}"\n      sha256 "${sums.get(name)}"`);
    }
    expect(text).toContain('version "1.2.3"');
    expect(text).toContain('shell_output("#{bin}/runcode --version")');
    const dir = tempDir("runcode-formula-");
    dirs.push(dir);
    const file = join(dir, "runcode.rb");
    Bun.write(file, text);
    const ruby = tool("ruby");
    for (const f of [file, join(ROOT, "Formula", "runcode.rb")]) {
      const r = Bun.spawnSync([ruby, "-c", f]);
      expect(`${f}: ${r.stdout.toString().trim()}`).toBe(`${f}: Syntax OK`);
    }
    expect(() => formula("1.2.3", new Map(), "x")).toThrow("SHA256SUMS has no runcode-darwin-arm64");
  });

  test("versions compare numerically, pre-releases first", () => {
    expect(compareVersions("0.10.0", "0.9.9")).toBe(1);
    expect(compareVersions("v1.2.3", "1.2.3")).toBe(0);
    expect(compareVersions("1.0.0-rc.1", "1.0.0")).toBe(-1);
    expect(compareVersions("1.0.0", "1.0.0-dev")).toBe(1);
    expect(compareVersions("0.1.0-dev", "9.9.9")).toBe(-1);
  });

  test("SHA256SUMS parsing accepts sha256sum's text and binary modes", () => {
    const a = "A".repeat(64);
    const sums = parseSums(`${a}  runcode-linux-x64\n${"b".repeat(64)} *runcode-windows-x64.exe\ngarbage\n`);
    expect([...sums]).toEqual([
      ["runcode-linux-x64", a.toLowerCase()],
      ["runcode-windows-x64.exe", "b".repeat(64)],
    ]);
  });
});

/**
 * What a user sees from the binary run as `cmd`: `--version`; `models --json` and a streamed `ask` against the fake
 * gateway (the network, TLS-free HTTP, JSON and the agent's streaming path of that build).
 */
async function usable(cmd: string[], version: string, home: string) {
  const v = await run([...cmd, "--version"], { home });
  expect(v.stderr).toBe("");
  expect(v.stdout).toBe(`runcode ${version}\n`);
  expect(v.code).toBe(0);

  const gw = await startFakeGateway({ script: [{ text: "Payment Required." }] });
  try {
    const env = { RUNCODE_API_URL: `${gw.url}/api` };
    const m = await run([...cmd, "models", "--json"], { home, env });
    expect(m.stderr).toBe("");
    expect(m.code).toBe(0);
    const ids = (JSON.parse(m.stdout) as { models: { id: string }[] }).models.map((x) => x.id);
    expect(ids.sort()).toEqual(FAKE_MODELS.map((x) => x.id).sort());

    const a = await run([...cmd, "ask", "what does a 402 status mean?"], { home, env });
    expect(a.stdout).toBe("Payment Required.\n");
    expect(a.code).toBe(0);
    expect(gw.calls()).toHaveLength(1);
    expect(gw.calls()[0]!.headers["user-agent"]).toStartWith(`runcode/${version}`);
  } finally {
    await gw.stop();
  }
}

describe("every release binary", () => {
  let cross: CrossBuilt;
  beforeAll(async () => {
    cross = await crossBinaries();
  }, 300_000);
  const home = () => {
    const h = tempDir("runcode-cross-home-");
    dirs.push(h);
    return h;
  };

  test("one build writes every other target and a SHA256SUMS entry that matches each", () => {
    const others = TARGETS.map(assetName).filter((n) => n !== ASSET);
    expect(CROSS).toHaveLength(others.length);
    expect([...cross.sums.keys()].sort()).toEqual(others.sort());
    for (const name of others) expect(`${name} ${cross.sums.get(name)}`).toBe(`${name} ${sha256(readFileSync(cross.path(name)))}`);
  });

  test("runcode-linux-arm64 is an AArch64 glibc binary that runs under qemu: --version, models --json, ask", async () => {
    requireDeps("qemu-aarch64-static", "arm64 glibc");
    const bin = cross.path("runcode-linux-arm64");
    const e = elf(bin);
    expect(e.machine).toBe("AArch64");
    expect(e.interpreter).toBe("/lib/ld-linux-aarch64.so.1");
    // Only glibc's own libraries (Debian's libc6:arm64): libstdc++ is linked in, so libstdc++6:arm64 is not needed.
    expect(e.needed.sort()).toEqual(["ld-linux-aarch64.so.1", "libc.so.6", "libdl.so.2", "libm.so.6", "libpthread.so.0"]);
    expect(e.runpath).toEqual([]);
    // -L /: the arm64 loader and libraries come from this machine's multiarch /lib/aarch64-linux-gnu.
    await usable([QEMU_AARCH64, "-L", "/", bin], cross.version, home());
  }, 120_000);

  test("runcode-linux-x64-musl needs musl's loader and, beyond musl, only the libraries install.sh checks for", () => {
    const e = elf(cross.path("runcode-linux-x64-musl"));
    expect(e.machine).toBe("Advanced Micro Devices X86-64");
    expect(e.interpreter).toBe("/lib/ld-musl-x86_64.so.1");
    expect(e.needed.sort()).toEqual(["libc.musl-x86_64.so.1", "libstdc++.so.6"]);
    expect(e.runpath).toEqual([]);
    // install.sh refuses a musl system without these (Alpine's libstdc++.so.6 itself needs libgcc_s.so.1).
    const libs = /^MUSL_LIBS="(.+)"$/m.exec(readFileSync(INSTALL_SH, "utf8"))?.[1]?.split(" ");
    expect(libs).toEqual(["libstdc++.so.6:libstdc++", "libgcc_s.so.1:libgcc"]);
  });

  test("runcode-linux-x64-musl without libstdc++ stops at load time with the error install.sh prevents", async () => {
    requireDeps("musl");
    const bin = cross.path("runcode-linux-x64-musl");
    // musl's loader with its default search path (/lib:/usr/local/lib:/usr/lib), where this glibc machine has no
    // libstdc++.so.6: an Alpine system without `apk add libstdc++ libgcc`.
    const r = await run([MUSL_LOADER, bin, "--version"], { home: home() });
    expect(r.stdout).toBe("");
    const [first, ...rest] = r.stderr.trimEnd().split("\n");
    expect(first).toBe(`Error loading shared library libstdc++.so.6: No such file or directory (needed by ${bin})`);
    // Then every C++ symbol the binary takes from it, unresolved.
    expect(rest.length).toBeGreaterThan(0);
    expect(rest.filter((l) => !l.startsWith(`Error relocating ${bin}: `) || !l.endsWith(": symbol not found"))).toEqual([]);
    expect(rest).toContain(`Error relocating ${bin}: __cxa_guard_acquire: symbol not found`);
    expect(r.code).toBe(127);
  });

  test("runcode-linux-x64-musl runs under musl's loader and C library: --version, models --json, ask", async () => {
    const bin = cross.path("runcode-linux-x64-musl");
    const libs = await muslLibraries();
    const cmd = [MUSL_LOADER, "--library-path", libs, bin];
    // Every library resolves, and the C library is musl (libc.so.6 and libm.so.6 of the glibc-built libstdc++ too).
    const list = await run([MUSL_LOADER, "--library-path", libs, "--list", bin], { home: home() });
    expect(list.stderr).toBe("");
    expect(list.code).toBe(0);
    const resolved = Object.fromEntries([...list.stdout.matchAll(/^\s*(\S+) => (\S+)/gm)].map((m) => [m[1], m[2]]));
    expect(resolved).toEqual({
      "libstdc++.so.6": join(libs, "libstdc++.so.6"),
      "libc.musl-x86_64.so.1": "/lib/ld-musl-x86_64.so.1",
      "libm.so.6": "/lib/ld-musl-x86_64.so.1",
      "ld-linux-x86-64.so.2": join(libs, "ld-linux-x86-64.so.2"),
      "libgcc_s.so.1": join(libs, "libgcc_s.so.1"),
    });
    await usable(cmd, cross.version, home());
  }, 60_000);

  test("runcode-windows-x64.exe is a PE32+ x86-64 console executable that imports only Windows' own DLLs", () => {
    const pe = readPE(cross.path("runcode-windows-x64.exe"));
    expect({ ...pe, imports: [] }).toEqual({ machine: 0x8664, optionalMagic: 0x20b, subsystem: 3, executable: true, imports: [] });
    // No C runtime to install. bcryptprimitives.dll (Windows 8+) is the one Debian's wine 8.0 lacks, so wine cannot
    // start the binary: docs/install.md.
    expect(pe.imports.map((d) => d.toLowerCase()).sort()).toEqual([
      "api-ms-win-core-synch-l1-2-0.dll",
      "bcryptprimitives.dll",
      "kernel32.dll",
      "ntdll.dll",
    ]);
  });

  for (const [name, cpu] of [
    ["runcode-darwin-arm64", "arm64"],
    ["runcode-darwin-x64", "x86_64"],
  ] as const) {
    test(`${name} is a ${cpu} Mach-O executable with a valid ad-hoc code signature over the whole binary`, () => {
      const file = cross.path(name);
      const m = readMachO(file);
      expect(m.cpu).toBe(cpu);
      expect(m.fileType).toBe(2); // MH_EXECUTE
      expect(m.segments).toContain("__BUN"); // the embedded app
      const sig = m.signature;
      if (!sig) throw new Error(`${name} has no LC_CODE_SIGNATURE: macOS on Apple silicon refuses to run it`);
      expect(sig.adhoc).toBe(true);
      expect(sig.hashType).toBe(2); // SHA-256
      // The page hashes cover every byte before the signature, the signature ends the file (codesign --strict), and
      // every page matches: the checks the kernel and `codesign --verify` make.
      expect(sig.codeLimit).toBe(sig.offset);
      expect(sig.end).toBe(statSync(file).size);
      expect(sig.pages).toBe(Math.ceil(sig.codeLimit / sig.pageSize));
      expect(sig.badPages).toEqual([]);
    });
  }
});
