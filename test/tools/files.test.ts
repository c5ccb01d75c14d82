import { describe, expect, test } from "bun:test";
import { chmodSync, mkdirSync, readFileSync, statSync, symlinkSync, utimesSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { Edit } from "../../src/tools/edit";
import { overlayFiles } from "../../src/tools/files";
import { MultiEdit } from "../../src/tools/multiedit";
import { Read } from "../../src/tools/read";
import { Write } from "../../src/tools/write";
import { tempDir } from "../helpers";
import { testCtx } from "./ctx";

const setup = (files: Record<string, string | Uint8Array>) => {
  const ctx = testCtx();
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(join(ctx.root, p, ".."), { recursive: true });
    writeFileSync(join(ctx.root, p), c);
  }
  return ctx;
};

describe("Read", () => {
  test("numbers lines, honours offset and limit, says what is left", async () => {
    const ctx = setup({ "a.txt": "one\ntwo\nthree\nfour\n" });
    expect((await Read.run({ file_path: "a.txt" }, ctx)).output).toBe("     1\tone\n     2\ttwo\n     3\tthree\n     4\tfour\n");
    const r = await Read.run({ file_path: join(ctx.root, "a.txt"), offset: 2, limit: 2 }, ctx);
    expect(r.output).toBe("     2\ttwo\n     3\tthree\n[… 1 more lines; continue with offset 4]\n");
    expect((await Read.run({ file_path: "a.txt", offset: 9 }, ctx)).error).toBe(true);
  });
  test("refuses binary files, directories and missing files politely", async () => {
    const ctx = setup({ "bin.dat": new Uint8Array([1, 2, 0, 3, 4]), "d/x": "" });
    const bin = await Read.run({ file_path: "bin.dat" }, ctx);
    expect(bin).toEqual({ output: "bin.dat is a binary file (5 bytes) and cannot be read as text", error: true });
    expect((await Read.run({ file_path: "d" }, ctx)).output).toContain("is a directory");
    expect((await Read.run({ file_path: "nope.ts" }, ctx)).output).toContain("does not exist");
  });
  test("huge files are refused without a range, but a range works", async () => {
    const ctx = setup({ "big.log": "x".repeat(100) + "\n".repeat(1) + "y\n".repeat(1_200_000) });
    expect((await Read.run({ file_path: "big.log" }, ctx)).output).toMatch(/MB; read a part of it with offset and limit/);
    expect((await Read.run({ file_path: "big.log", offset: 2, limit: 1 }, ctx)).output).toStartWith("     2\ty\n");
  });
  test("images come back as image blocks", async () => {
    const png = Uint8Array.from(
      atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="),
      (c) => c.charCodeAt(0),
    );
    const ctx = setup({ "dot.png": png });
    const r = await Read.run({ file_path: "dot.png" }, ctx);
    expect(r.images?.[0]?.source.media_type).toBe("image/png");
  });
  test("`..` paths and symlinks out of the project are refused", async () => {
    const outside = tempDir();
    writeFileSync(join(outside, "secret"), "s");
    const ctx = setup({ "a.txt": "a" });
    symlinkSync(join(outside, "secret"), join(ctx.root, "link"));
    symlinkSync(outside, join(ctx.root, "dirlink"));
    expect((await Read.run({ file_path: "../x" }, ctx)).output).toContain("is outside the project");
    expect((await Read.run({ file_path: "link" }, ctx)).output).toContain("(it is a symlink to");
    expect((await Write.run({ file_path: "dirlink/new.txt", content: "x" }, ctx)).error).toBe(true);
    expect(existsSync(join(outside, "new.txt"))).toBe(false);
    // allowed outside paths (trust mode / approved) work
    const ok = testCtx({ root: ctx.root, outside: () => true });
    expect((await Read.run({ file_path: "link" }, ok)).output).toContain("s");
  });
});

describe("Write", () => {
  test("creates files with directories, keeps the mode of replaced files, records changes", async () => {
    const ctx = setup({ "run.sh": "echo old\n" });
    chmodSync(join(ctx.root, "run.sh"), 0o755);
    expect((await Write.run({ file_path: "new/dir/f.txt", content: "hi\n" }, ctx)).output).toBe("created new/dir/f.txt (1 lines)");
    expect((await Write.run({ file_path: "run.sh", content: "echo new\n" }, ctx)).output).toBe(
      `read ${join(ctx.root, "run.sh")} with the Read tool before changing it`,
    );
    await Read.run({ file_path: "run.sh" }, ctx);
    expect((await Write.run({ file_path: "run.sh", content: "echo new\n" }, ctx)).error).toBeUndefined();
    expect(statSync(join(ctx.root, "run.sh")).mode & 0o777).toBe(0o755);
    expect(ctx.changes.files().map((f) => [f.before, f.after])).toEqual([
      [null, "hi\n"],
      ["echo old\n", "echo new\n"],
    ]);
  });
});

describe("Edit", () => {
  test("requires a prior Read and refuses a file changed since", async () => {
    const ctx = setup({ "a.ts": "let a = 1;\n" });
    expect((await Edit.run({ file_path: "a.ts", old_string: "1", new_string: "2" }, ctx)).output).toBe(
      `read ${join(ctx.root, "a.ts")} with the Read tool before changing it`,
    );
    await Read.run({ file_path: "a.ts" }, ctx);
    writeFileSync(join(ctx.root, "a.ts"), "let a = 3;\n");
    utimesSync(join(ctx.root, "a.ts"), new Date(), new Date(Date.now() + 5000));
    expect((await Edit.run({ file_path: "a.ts", old_string: "3", new_string: "2" }, ctx)).output).toContain(
      "changed on disk since you read it",
    );
    await Read.run({ file_path: "a.ts" }, ctx);
    expect((await Edit.run({ file_path: "a.ts", old_string: "3", new_string: "2" }, ctx)).output).toBe("edited a.ts");
    expect(readFileSync(join(ctx.root, "a.ts"), "utf8")).toBe("let a = 2;\n");
  });
  test("old_string matching twice or never is refused with a fix; replace_all replaces all", async () => {
    const ctx = setup({ "a.ts": "x(); x();\n  y();\n" });
    await Read.run({ file_path: "a.ts" }, ctx);
    expect((await Edit.run({ file_path: "a.ts", old_string: "x()", new_string: "z()" }, ctx)).output).toBe(
      "old_string matches 2 times in a.ts; include more surrounding lines to make it unique, or set replace_all: true",
    );
    expect((await Edit.run({ file_path: "a.ts", old_string: "w()", new_string: "z()" }, ctx)).output).toBe(
      "old_string was not found in a.ts. Read the file again and copy the exact text",
    );
    expect((await Edit.run({ file_path: "a.ts", old_string: " y(); ", new_string: "q" }, ctx)).output).toContain("whitespace is ignored");
    expect((await Edit.run({ file_path: "a.ts", old_string: "x()", new_string: "z()", replace_all: true }, ctx)).error).toBeUndefined();
    expect(readFileSync(join(ctx.root, "a.ts"), "utf8")).toBe("z(); z();\n  y();\n");
    // `$&` in the replacement is literal, not a regex back-reference
    await Edit.run({ file_path: "a.ts", old_string: "y()", new_string: "$&$&" }, ctx);
    expect(readFileSync(join(ctx.root, "a.ts"), "utf8")).toContain("$&$&");
  });
});

describe("MultiEdit", () => {
  test("applies edits across files, all or nothing", async () => {
    const ctx = setup({ "a.ts": "getUser()\n", "b.ts": "getUser(); getUser()\n" });
    await Read.run({ file_path: "a.ts" }, ctx);
    await Read.run({ file_path: "b.ts" }, ctx);
    const bad = await MultiEdit.run(
      {
        edits: [
          { file_path: "a.ts", old_string: "getUser", new_string: "fetchUser" },
          { file_path: "b.ts", old_string: "getUser", new_string: "fetchUser" },
        ],
      },
      ctx,
    );
    expect(bad.output).toBe(
      "edit 2: old_string matches 2 times in b.ts; include more surrounding lines to make it unique, or set replace_all: true. No file was changed.",
    );
    expect(readFileSync(join(ctx.root, "a.ts"), "utf8")).toBe("getUser()\n");
    const ok = await MultiEdit.run(
      {
        edits: [
          { file_path: "a.ts", old_string: "getUser", new_string: "fetchUser" },
          { file_path: "b.ts", old_string: "getUser", new_string: "fetchUser", replace_all: true },
          { file_path: "a.ts", old_string: "fetchUser()", new_string: "fetchUser(1)" },
        ],
      },
      ctx,
    );
    expect(ok.output).toBe("applied 3 edit(s) to a.ts, b.ts");
    expect(readFileSync(join(ctx.root, "a.ts"), "utf8")).toBe("fetchUser(1)\n");
    expect(readFileSync(join(ctx.root, "b.ts"), "utf8")).toBe("fetchUser(); fetchUser()\n");
    const d = ctx.changes.diffs(ctx.root);
    expect(d.map((x) => [x.path, x.added, x.removed])).toEqual([
      ["a.ts", 1, 1],
      ["b.ts", 1, 1],
    ]);
    expect(d[0]!.diff).toStartWith("--- a/a.ts\n+++ b/a.ts\n");
  });
  test("undo restores the files, and leaves alone a file edited by someone else since", async () => {
    const ctx = setup({ "a.ts": "1\n", "b.ts": "2\n" });
    await Read.run({ file_path: "a.ts" }, ctx);
    await Read.run({ file_path: "b.ts" }, ctx);
    await MultiEdit.run(
      {
        edits: [
          { file_path: "a.ts", old_string: "1", new_string: "one" },
          { file_path: "b.ts", old_string: "2", new_string: "two" },
        ],
      },
      ctx,
    );
    await Write.run({ file_path: "c.ts", content: "new\n" }, ctx);
    writeFileSync(join(ctx.root, "b.ts"), "user edit\n");
    const r = ctx.changes.undo(ctx.files);
    expect(r.skipped).toEqual([join(ctx.root, "b.ts")]);
    expect(readFileSync(join(ctx.root, "a.ts"), "utf8")).toBe("1\n");
    expect(existsSync(join(ctx.root, "c.ts"))).toBe(false);
  });
});

describe("dry-run overlay", () => {
  test("writes stay in memory, reads see them, disk is untouched", async () => {
    const files = overlayFiles();
    const ctx = testCtx({ files });
    writeFileSync(join(ctx.root, "a.ts"), "a\n");
    await Read.run({ file_path: "a.ts" }, ctx);
    await Edit.run({ file_path: "a.ts", old_string: "a", new_string: "b" }, ctx);
    await Write.run({ file_path: "n.ts", content: "n\n" }, ctx);
    expect((await Read.run({ file_path: "a.ts" }, ctx)).output).toBe("     1\tb\n");
    expect(readFileSync(join(ctx.root, "a.ts"), "utf8")).toBe("a\n");
    expect(existsSync(join(ctx.root, "n.ts"))).toBe(false);
    expect(ctx.changes.diffs(ctx.root).map((d) => d.path)).toEqual(["a.ts", "n.ts"]);
  });
});

test("Read refuses what is not a regular file (a device, a FIFO) before reading anything", async () => {
  const ctx = testCtx({ outside: () => true });
  const fifo = join(ctx.root, "pipe");
  Bun.spawnSync(["mkfifo", fifo]);
  for (const path of ["/dev/zero", fifo])
    expect(await Read.run({ file_path: path }, ctx)).toEqual({
      output: `${path} is not a regular file (a device, pipe or socket); Read reads files`,
      error: true,
    });
});
