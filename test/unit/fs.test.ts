import { expect, test } from "bun:test";
import { chmodSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../../src/core/fs";
import { tempDir } from "../helpers";

test("writes atomically, keeps an existing file's mode, leaves no temp file", () => {
  const dir = tempDir();
  const f = join(dir, "settings.json");
  writeFileSync(f, "old");
  chmodSync(f, 0o640);
  writeFileAtomic(f, "new");
  expect(readFileSync(f, "utf8")).toBe("new");
  expect(statSync(f).mode & 0o777).toBe(0o640);
  expect(readdirSync(dir)).toEqual(["settings.json"]);
});

test("a failed write leaves the old content and no temp file", () => {
  const dir = tempDir();
  const f = join(dir, "sub");
  writeFileSync(join(dir, "x"), "keep");
  // Renaming a file over a directory fails: the original stays, the temp file is cleaned up.
  require("node:fs").mkdirSync(f);
  expect(() => writeFileAtomic(f, "data")).toThrow();
  expect(readdirSync(dir).sort()).toEqual(["sub", "x"]);
});

test("an explicit mode wins", () => {
  const f = join(tempDir(), "key");
  writeFileAtomic(f, "secret", 0o600);
  expect(statSync(f).mode & 0o777).toBe(0o600);
});
