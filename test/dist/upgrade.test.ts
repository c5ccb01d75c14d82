// `runcode upgrade` replacing a copy of the compiled binary in a temp dir, from a loopback release folder.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { copyFileSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { sha256 } from "../../src/release/assets";
import { ROOT, cleanup, tempDir } from "../helpers";
import { ASSET, type Built, hostBinary, newerBinary, releaseFolder, run, serve } from "./release";

let built: Built;
let next: Built;
const dirs: string[] = [];

beforeAll(async () => {
  [built, next] = await Promise.all([hostBinary(), newerBinary()]);
}, 240_000);
afterAll(() => cleanup(...dirs));

/** A copy of the host binary in its own temp dir, as if installed there, plus a temp HOME. */
function installed() {
  const dir = tempDir("runcode-upgrade-");
  dirs.push(dir);
  const bin = join(dir, "runcode");
  copyFileSync(built.bin, bin);
  return { dir, bin, before: sha256(readFileSync(bin)) };
}

async function withRelease<T>(
  files: Record<string, string | Uint8Array>,
  o: { version: string; sums?: string },
  fn: (url: string) => Promise<T>,
) {
  const folder = releaseFolder(files, o);
  dirs.push(folder);
  const srv = serve(folder);
  try {
    return await fn(srv.url);
  } finally {
    srv.stop();
  }
}

const upgrade = (bin: string, dir: string, url: string, args: string[] = [], env: Record<string, string> = {}) =>
  run([bin, "upgrade", ...args], { home: dir, env: { RUNCODE_DOWNLOAD_URL: url, ...env } });

describe("runcode upgrade", () => {
  test("replaces the binary with the verified newer release and cleans up", async () => {
    const { dir, bin } = installed();
    await withRelease({ [ASSET]: next.bin }, { version: "9.9.9" }, async (url) => {
      const r = await upgrade(bin, dir, url);
      expect(r.stderr).toContain(`downloading runcode 9.9.9 (${ASSET})`);
      expect(r.stdout).toBe(`upgraded runcode ${built.version} → 9.9.9 (${bin})\n`);
      expect(r.code).toBe(0);
    });
    expect((await run([bin, "--version"], { home: dir })).stdout.trim()).toBe("runcode 9.9.9");
    expect(readdirSync(dir).sort()).toEqual(["runcode"]);
  });

  test("--check only reports; an equal version is up to date", async () => {
    const { dir, bin, before } = installed();
    await withRelease({ [ASSET]: next.bin }, { version: "9.9.9" }, async (url) => {
      const r = await upgrade(bin, dir, url, ["--check"]);
      expect(r.stdout).toBe(`runcode 9.9.9 is available (you have ${built.version}): run \`runcode upgrade\`\n`);
      expect(r.code).toBe(0);
    });
    await withRelease({ [ASSET]: next.bin }, { version: built.version }, async (url) => {
      const r = await upgrade(bin, dir, url);
      expect(r.stdout).toBe(`runcode ${built.version} is up to date\n`);
    });
    expect(sha256(readFileSync(bin))).toBe(before);
  });

  test("a checksum mismatch changes nothing", async () => {
    const { dir, bin, before } = installed();
    await withRelease({ [ASSET]: next.bin }, { version: "9.9.9", sums: `${"f".repeat(64)}  ${ASSET}\n` }, async (url) => {
      const r = await upgrade(bin, dir, url);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`checksum mismatch for ${ASSET}`);
    });
    expect(sha256(readFileSync(bin))).toBe(before);
    expect(readdirSync(dir).sort()).toEqual(["runcode"]);
  });

  test("a file:// release folder without SHA256SUMS: one line naming the missing file, nothing changed", async () => {
    const { dir, bin, before } = installed();
    const folder = releaseFolder({ [ASSET]: next.bin }, { version: "9.9.9" });
    dirs.push(folder);
    rmSync(join(folder, "SHA256SUMS"));
    const r = await upgrade(bin, dir, `file://${folder}`, ["--force"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`cannot download file://${folder}`);
    expect(r.stderr).toContain("SHA256SUMS: no such file");
    expect(r.stderr).not.toContain("unexpected error");
    expect(sha256(readFileSync(bin))).toBe(before);
  });

  test("a new binary that fails --version is rolled back", async () => {
    const { dir, bin, before } = installed();
    await withRelease({ [ASSET]: new TextEncoder().encode("#!/bin/sh\nexit 7\n") }, { version: "9.9.9" }, async (url) => {
      const r = await upgrade(bin, dir, url);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("the previous version was restored");
    });
    expect(sha256(readFileSync(bin))).toBe(before);
    expect(readdirSync(dir).sort()).toEqual(["runcode"]);
  });

  test("refuses in CI without --force, and from source", async () => {
    const { dir, bin, before } = installed();
    await withRelease({ [ASSET]: next.bin }, { version: "9.9.9" }, async (url) => {
      const ci = await upgrade(bin, dir, url, [], { CI: "true" });
      expect(ci.code).toBe(2);
      expect(ci.stderr).toContain("does not run in CI");
      expect(sha256(readFileSync(bin))).toBe(before);

      const src = await run([process.execPath, join(ROOT, "src", "main.ts"), "upgrade"], { home: dir, env: { RUNCODE_DOWNLOAD_URL: url } });
      expect(src.code).toBe(2);
      expect(src.stderr).toContain("running from source");

      const forced = await upgrade(bin, dir, url, ["--force"], { CI: "true" });
      expect(forced.code).toBe(0);
      expect((await run([bin, "--version"], { home: dir })).stdout.trim()).toBe("runcode 9.9.9");
    });
  });
});
