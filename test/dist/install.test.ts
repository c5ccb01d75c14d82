// install.sh for real: a release folder served over loopback HTTP, a temp HOME, a temp install dir. Every failure
// case must leave the install dir without a new or partial binary. The libc detection runs against simulated systems
// (RUNCODE_SYSROOT): a /bin/sh that is a real glibc or musl ELF binary, and the loader and library files around it.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, readdirSync, realpathSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { isMusl, sha256 } from "../../src/release/assets";
import { cleanup, tempDir } from "../helpers";
import { ASSET, type Built, INSTALL_SH, crossBinaries, hostBinary, releaseFolder, run, serve, toolDir } from "./release";

let built: Built;
let good: ReturnType<typeof serve>;
const dirs: string[] = [];
// Never /usr/local/bin: as root it is writable, and the installer would pick it over the temp HOME.
const SYS_PATH = "/usr/bin:/bin";
const SH = Bun.which("sh", { PATH: SYS_PATH }) ?? "/bin/sh";

beforeAll(async () => {
  built = await hostBinary();
  const folder = releaseFolder({ [ASSET]: built.bin, "install.sh": INSTALL_SH }, { version: built.version });
  dirs.push(folder);
  good = serve(folder);
}, 240_000);
afterAll(() => {
  good?.stop();
  cleanup(...dirs);
});

function fresh() {
  const home = tempDir("runcode-home-");
  dirs.push(home);
  return { home, bin: join(home, "bin") };
}

const install = (home: string, args: string[], env: Record<string, string | undefined> = {}) =>
  run([SH, INSTALL_SH, ...args], { home, env: { PATH: SYS_PATH, RUNCODE_HOME: undefined, RUNCODE_DOWNLOAD_URL: good.url, ...env } });

/** Nothing but `keep` in the install dir: no binary, no staged temp file. */
const leftovers = (dir: string, keep: string[] = []) => (existsSync(dir) ? readdirSync(dir).filter((f) => !keep.includes(f)) : []);

describe("install.sh", () => {
  test("installs a verified binary that runs, with a PATH hint", async () => {
    const { home, bin } = fresh();
    const r = await install(home, ["--dir", bin]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`installing runcode ${built.version} (${ASSET}) into ${bin}`);
    expect(r.stdout).toContain(`runcode ${built.version}`);
    expect(r.stdout).toContain(`${bin} is not on your PATH`);
    expect(leftovers(bin)).toEqual(["runcode"]);
    expect(sha256(readFileSync(join(bin, "runcode")))).toBe(sha256(readFileSync(built.bin)));
    const v = await run([join(bin, "runcode"), "--version"], { home });
    expect(v.stdout.trim()).toBe(`runcode ${built.version}`);
  });

  test("works as `curl | sh -s -- --dir` and honours RUNCODE_INSTALL_DIR", async () => {
    if (!Bun.which("curl", { PATH: SYS_PATH }))
      throw new Error("curl is not installed: run `apt-get install -y curl` (`npm test` installs it first: scripts/test-deps.ts)");
    const { home, bin } = fresh();
    const piped = await run([SH, "-c", `curl -fsSL ${good.url}/install.sh | sh -s -- --dir "${bin}"`], {
      home,
      env: { PATH: SYS_PATH, RUNCODE_DOWNLOAD_URL: good.url },
    });
    expect(piped.stderr).toBe("");
    expect(piped.code).toBe(0);
    expect(existsSync(join(bin, "runcode"))).toBe(true);

    const other = join(home, "other");
    const r = await install(home, [], { RUNCODE_INSTALL_DIR: other, PATH: `${other}:${SYS_PATH}` });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain("not on your PATH");
    expect(leftovers(other)).toEqual(["runcode"]);
  });

  test("re-running upgrades the runcode already on PATH in place", async () => {
    const { home, bin } = fresh();
    mkdirSync(bin);
    writeFileSync(join(bin, "runcode"), "#!/bin/sh\necho runcode 0.0.1\n", { mode: 0o755 });
    const r = await install(home, [], { PATH: `${bin}:${SYS_PATH}` });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`into ${bin}`);
    expect(sha256(readFileSync(join(bin, "runcode")))).toBe(sha256(readFileSync(built.bin)));
    expect(existsSync(join(home, ".local", "bin", "runcode"))).toBe(false);
  });

  test("defaults to ~/.local/bin", async () => {
    const { home } = fresh();
    const r = await install(home, []);
    expect(r.code).toBe(0);
    expect(existsSync(join(home, ".local", "bin", "runcode"))).toBe(true);
  });

  describe("refuses and installs nothing", () => {
    async function refused(
      files: Record<string, string | Uint8Array>,
      o: { sums?: string; args?: string[]; env?: Record<string, string>; version?: string },
    ) {
      const folder = releaseFolder(files, { version: o.version ?? built.version, sums: o.sums });
      dirs.push(folder);
      const srv = serve(folder);
      const { home, bin } = fresh();
      mkdirSync(bin);
      writeFileSync(join(bin, "runcode"), "old", { mode: 0o755 });
      try {
        const r = await install(home, ["--dir", bin, ...(o.args ?? [])], { RUNCODE_DOWNLOAD_URL: srv.url, ...o.env });
        expect(r.code).not.toBe(0);
        expect(r.stderr.trim().split("\n")).toHaveLength(1);
        expect(leftovers(bin, ["runcode"])).toEqual([]);
        expect(readFileSync(join(bin, "runcode"), "utf8")).toBe("old");
        return r.stderr;
      } finally {
        srv.stop();
      }
    }

    test("on a checksum mismatch", async () => {
      const err = await refused({ [ASSET]: built.bin }, { sums: `${"0".repeat(64)}  ${ASSET}\n` });
      expect(err).toContain(`checksum mismatch for ${ASSET}`);
      expect(err).toContain("nothing was installed");
    });

    test("when SHA256SUMS has no entry for this platform", async () => {
      const err = await refused({ [ASSET]: built.bin }, { sums: `${"a".repeat(64)}  runcode-plan9-x64\n` });
      expect(err).toContain(`has no entry for ${ASSET}`);
    });

    test("when no checksum tool exists", async () => {
      const tools = toolDir([
        "uname",
        "mktemp",
        "rm",
        "awk",
        "tr",
        "cut",
        "mkdir",
        "cp",
        "chmod",
        "mv",
        "dirname",
        "curl",
        "cat",
        "dd",
        "grep",
        "sed",
      ]);
      dirs.push(tools);
      const err = await refused({ [ASSET]: built.bin }, { env: { PATH: tools } });
      expect(err).toContain("no SHA-256 tool");
    });

    test("when the requested version is not in the folder", async () => {
      const err = await refused({ [ASSET]: built.bin }, { args: ["--version", "0.0.1"] });
      expect(err).toContain("not 0.0.1");
    });

    test("when the downloaded binary does not run", async () => {
      const err = await refused({ [ASSET]: new TextEncoder().encode("#!/bin/sh\nexit 3\n") }, {});
      expect(err).toContain("does not run here");
    });
  });

  test("--uninstall removes the binary; --purge needs --yes without a terminal", async () => {
    const { home, bin } = fresh();
    const data = join(home, ".blockrun");
    mkdirSync(data);
    writeFileSync(join(data, ".session"), "key", { mode: 0o600 });
    expect((await install(home, ["--dir", bin])).code).toBe(0);

    const refused = await install(home, ["--dir", bin, "--purge"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("re-run with --yes");
    expect(existsSync(join(bin, "runcode"))).toBe(true);
    expect(existsSync(join(data, ".session"))).toBe(true);

    const un = await install(home, ["--dir", bin, "--uninstall"]);
    expect(un.code).toBe(0);
    expect(un.stdout).toContain(`removed ${bin}/runcode`);
    expect(existsSync(join(bin, "runcode"))).toBe(false);
    expect(existsSync(data)).toBe(true);

    expect((await install(home, ["--dir", bin])).code).toBe(0);
    const purged = await install(home, ["--dir", bin, "--purge", "--yes"]);
    expect(purged.code).toBe(0);
    expect(existsSync(join(bin, "runcode"))).toBe(false);
    expect(existsSync(data)).toBe(false);
  });

  test("unknown options fail with one line", async () => {
    const { home } = fresh();
    const r = await install(home, ["--frobnicate"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("runcode install: unknown option --frobnicate: see --help\n");
  });
});

describe("install.sh on Linux x64: glibc or musl", () => {
  const stub = (libc: string) => new TextEncoder().encode(`#!/bin/sh\necho "runcode 7.7.7 (${libc} build)"\n`);
  let srv: ReturnType<typeof serve>;
  let muslSh: string;
  const glibcSh = realpathSync("/bin/sh");
  const STATIC = "static";
  beforeAll(async () => {
    muslSh = (await crossBinaries()).path("runcode-linux-x64-musl");
    const folder = releaseFolder({ "runcode-linux-x64": stub("glibc"), "runcode-linux-x64-musl": stub("musl") }, { version: "7.7.7" });
    dirs.push(folder);
    srv = serve(folder);
  }, 300_000);
  afterAll(() => srv?.stop());

  /**
   * A filesystem root whose /bin/sh is `sh` (a real ELF binary; STATIC: a file that names no loader, like a static
   * busybox), with the files `files` (empty, or with the given contents).
   */
  function system(sh: string, files: Record<string, string> = {}) {
    const root = tempDir("runcode-sysroot-");
    dirs.push(root);
    mkdirSync(join(root, "bin"));
    if (sh === STATIC) writeFileSync(join(root, "bin", "sh"), "#!/no/loader\n");
    else symlinkSync(sh, join(root, "bin", "sh"));
    for (const [f, body] of Object.entries(files)) {
      mkdirSync(dirname(join(root, f)), { recursive: true });
      writeFileSync(join(root, f), body);
    }
    return root;
  }
  // Debian or Ubuntu with the musl package installed next to glibc; glibc's loader is left out, so /bin/sh alone tells.
  const DEBIAN_WITH_MUSL = {
    "lib/ld-musl-x86_64.so.1": "",
    "lib/x86_64-linux-musl/libc.so": "",
    "etc/ld-musl-x86_64.path": "/lib/x86_64-linux-musl\n/usr/lib/x86_64-linux-musl\n",
  };
  // Alpine, with gcompat's glibc loader name too: again /bin/sh alone tells.
  const ALPINE = { "lib/ld-musl-x86_64.so.1": "", "lib/libc.musl-x86_64.so.1": "", "lib/ld-linux-x86-64.so.2": "" };
  const LIBS = { "usr/lib/libstdc++.so.6": "", "usr/lib/libgcc_s.so.1": "" };

  async function installOn(root: string, env: Record<string, string> = {}) {
    const { home, bin } = fresh();
    mkdirSync(bin);
    writeFileSync(join(bin, "runcode"), "old", { mode: 0o755 });
    const before = srv.hits.length;
    const r = await install(home, ["--dir", bin], { RUNCODE_DOWNLOAD_URL: srv.url, RUNCODE_SYSROOT: root, ...env });
    return { ...r, bin, installed: readFileSync(join(bin, "runcode"), "utf8"), fetched: srv.hits.slice(before), left: leftovers(bin) };
  }

  test("a glibc system with musl's loader installed gets the glibc build", async () => {
    const r = await installOn(system(glibcSh, DEBIAN_WITH_MUSL));
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`installing runcode 7.7.7 (runcode-linux-x64) into ${r.bin}`);
    expect(r.stdout).toContain("runcode 7.7.7 (glibc build)");
    expect(r.installed).toBe(new TextDecoder().decode(stub("glibc")));
  });

  test("a musl system with libstdc++ and libgcc gets the musl build", async () => {
    const r = await installOn(system(muslSh, { ...ALPINE, ...LIBS }));
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`installing runcode 7.7.7 (runcode-linux-x64-musl) into ${r.bin}`);
    expect(r.installed).toBe(new TextDecoder().decode(stub("musl")));
  });

  test("a musl system without them stops before downloading anything, with the apk command", async () => {
    const r = await installOn(system(muslSh, ALPINE));
    expect(r.stderr).toBe(
      "runcode install: runcode-linux-x64-musl needs libstdc++.so.6 and libgcc_s.so.1, which this musl system lacks: run  apk add libstdc++ libgcc  and re-run the installer\n",
    );
    expect(r.code).toBe(1);
    expect(r.fetched).toEqual([]);
    expect(r.installed).toBe("old");
    expect(r.left).toEqual(["runcode"]);
  });

  test("the library check follows musl's search path: /etc/ld-musl-x86_64.path replaces the default dirs", async () => {
    const custom = { ...ALPINE, "etc/ld-musl-x86_64.path": "/opt/lib:/lib\n", "opt/lib/libstdc++.so.6": "", "usr/lib/libgcc_s.so.1": "" };
    const r = await installOn(system(muslSh, custom));
    expect(r.stderr).toBe(
      "runcode install: runcode-linux-x64-musl needs libgcc_s.so.1, which this musl system lacks: run  apk add libgcc  and re-run the installer\n",
    );
    expect(r.fetched).toEqual([]);
    const ok = await installOn(system(muslSh, { ...custom, "lib/libgcc_s.so.1": "" }));
    expect(ok.code).toBe(0);
    expect(ok.installed).toBe(new TextDecoder().decode(stub("musl")));
  });

  test("a /bin/sh that names no loader: musl only when musl's loader is there and glibc's is not", async () => {
    const musl = await installOn(system(STATIC, { "lib/ld-musl-x86_64.so.1": "", ...LIBS }));
    expect(musl.stderr).toBe("");
    expect(musl.installed).toBe(new TextDecoder().decode(stub("musl")));
    const both = await installOn(system(STATIC, { ...DEBIAN_WITH_MUSL, "lib64/ld-linux-x86-64.so.2": "" }));
    expect(both.stderr).toBe("");
    expect(both.installed).toBe(new TextDecoder().decode(stub("glibc")));
  });

  test("runcode upgrade's host detection (isMusl in src/release/assets.ts) decides as install.sh does", () => {
    const systems: [string, boolean][] = [
      [system(glibcSh, DEBIAN_WITH_MUSL), false],
      [system(glibcSh), false],
      [system(muslSh, ALPINE), true],
      [system(STATIC, { "lib/ld-musl-x86_64.so.1": "" }), true],
      [system(STATIC, { ...DEBIAN_WITH_MUSL, "lib64/ld-linux-x86-64.so.2": "" }), false],
    ];
    expect(systems.map(([root]) => isMusl(root))).toEqual(systems.map(([, musl]) => musl));
  });

  test("RUNCODE_LIBC overrides the detection; any other value is refused", async () => {
    const forced = await installOn(system(muslSh, ALPINE), { RUNCODE_LIBC: "glibc" });
    expect(forced.code).toBe(0);
    expect(forced.installed).toBe(new TextDecoder().decode(stub("glibc")));
    const bad = await installOn(system(glibcSh), { RUNCODE_LIBC: "uclibc" });
    expect(bad.stderr).toBe("runcode install: RUNCODE_LIBC must be glibc or musl, not uclibc\n");
    expect(bad.code).toBe(1);
    expect(bad.fetched).toEqual([]);
  });
});
