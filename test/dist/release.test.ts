// The release artefacts themselves: the build's SHA256SUMS/VERSION, the formula generated from them, and the
// linters CI relies on. shellcheck and ruby are required: a missing tool fails the test with the package to install.
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { TARGETS, assetName, compareVersions, parseSums, sha256 } from "../../src/release/assets";
import { formula } from "../../scripts/gen-formula";
import { ROOT, cleanup, tempDir } from "../helpers";
import { ASSET, INSTALL_SH, hostBinary } from "./release";

const dirs: string[] = [];
afterAll(() => cleanup(...dirs));

function tool(name: string, pkg: string): string {
  const found = Bun.which(name);
  if (!found)
    throw new Error(`${name} is not installed: run \`apt-get install -y ${pkg}\` (\`npm test\` installs it first: scripts/test-deps.ts)`);
  return found;
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
    const r = Bun.spawnSync([tool("shellcheck", "shellcheck"), "--shell=sh", "--severity=style", INSTALL_SH]);
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
    const ruby = tool("ruby", "ruby");
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
