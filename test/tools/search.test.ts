import { describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Glob } from "../../src/tools/glob";
import { Grep } from "../../src/tools/grep";
import { testCtx } from "./ctx";

function project() {
  const ctx = testCtx();
  const w = (p: string, c: string) => {
    mkdirSync(join(ctx.root, p, ".."), { recursive: true });
    writeFileSync(join(ctx.root, p), c);
  };
  Bun.spawnSync(["git", "init", "-q"], { cwd: ctx.root });
  w(".gitignore", "dist/\n*.log\n");
  w("src/a.ts", "export function getUser() {\n  return 1;\n}\n");
  w("src/b.ts", "import { getUser } from './a';\nconst GETUSER = getUser();\n");
  w("src/c.py", "def get_user(): pass\n");
  w("dist/a.js", "function getUser() {}\n");
  w("debug.log", "getUser failed\n");
  w("node_modules/x/index.js", "getUser\n");
  w("img.bin", "getUser\0\0");
  return ctx;
}

describe("Glob", () => {
  test("matches patterns and skips what .gitignore ignores", async () => {
    const ctx = project();
    expect((await Glob.run({ pattern: "**/*.ts" }, ctx)).output.split("\n").sort()).toEqual(["src/a.ts", "src/b.ts"]);
    expect((await Glob.run({ pattern: "**/*.js" }, ctx)).output).toBe("no files match **/*.js in .");
    expect((await Glob.run({ pattern: "*.py", path: "src" }, ctx)).output).toBe("src/c.py");
    expect((await Glob.run({ pattern: "*", path: "../" }, ctx)).error).toBe(true);
  });
});

// Both search paths always run: ripgrep is a system tool (`npm test` installs it first: scripts/test-deps.ts).
test("ripgrep is installed, so its Grep path is tested", () => {
  if (!Bun.which("rg"))
    throw new Error("ripgrep (rg) is not on PATH: install it (apt-get install ripgrep) so Grep's ripgrep path is tested");
});
const modes = [["built-in", true] as const, ["ripgrep", false] as const];
for (const [name, noRipgrep] of modes) {
  describe(`Grep (${name})`, () => {
    test("files_with_matches by default; .gitignore, node_modules and binaries skipped", async () => {
      const ctx = { ...project(), noRipgrep };
      expect((await Grep.run({ pattern: "getUser" }, ctx)).output.split("\n").sort()).toEqual(["src/a.ts", "src/b.ts"]);
    });
    test("content with -n and -C, -i, count, glob filter", async () => {
      const ctx = { ...project(), noRipgrep };
      expect((await Grep.run({ pattern: "return", output_mode: "content", "-n": true, "-C": 1, path: "src/a.ts" }, ctx)).output).toBe(
        "src/a.ts-1-export function getUser() {\nsrc/a.ts:2:  return 1;\nsrc/a.ts-3-}",
      );
      expect((await Grep.run({ pattern: "getuser", "-i": true, output_mode: "count", glob: "b.ts" }, ctx)).output).toBe("src/b.ts:2");
      expect((await Grep.run({ pattern: "def ", glob: "*.py", output_mode: "content" }, ctx)).output).toBe("src/c.py:def get_user(): pass");
      expect((await Grep.run({ pattern: "nothing-here" }, ctx)).output).toBe("no matches for /nothing-here/");
    });
  });
}

test("Grep: invalid regex and missing paths are explained", async () => {
  const ctx = project();
  expect((await Grep.run({ pattern: "(" }, ctx)).output).toStartWith("invalid regular expression:");
  expect((await Grep.run({ pattern: "x", path: "nope" }, ctx)).output).toBe("nope does not exist");
});
