import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULTS, loadConfig } from "./config.js";
import { describeServer } from "./server.js";

const dir = mkdtempSync(join(import.meta.dir, ".tmp-check-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name, text) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

test("loadConfig returns a promise of the merged config", async () => {
  const pending = loadConfig(file("a.json", '{"port": 9000, "extra": [1]}'));
  expect(pending).toBeInstanceOf(Promise);
  expect(await pending).toEqual({ host: "127.0.0.1", port: 9000, debug: false, extra: [1] });
});

test("the defaults are not modified", async () => {
  await loadConfig(file("b.json", '{"host": "example.org"}'));
  expect(DEFAULTS).toEqual({ host: "127.0.0.1", port: 8080, debug: false });
  expect(await loadConfig(file("empty.json", "{}"))).toEqual(DEFAULTS);
});

test("a missing file rejects with the old message", async () => {
  const path = join(dir, "missing.json");
  await expect(loadConfig(path)).rejects.toThrow(`cannot read ${path}: ENOENT`);
});

test("invalid JSON rejects with the old message", async () => {
  const path = file("bad.json", "{ port: 1 ");
  const err = await loadConfig(path).catch((e) => e);
  expect(err).toBeInstanceOf(Error);
  expect(err.message.startsWith(`invalid JSON in ${path}: `)).toBe(true);
});

test("a file that holds no JSON object rejects", async () => {
  for (const [name, text] of [
    ["array.json", "[1, 2]"],
    ["null.json", "null"],
    ["number.json", "42"],
  ]) {
    const path = file(name, text);
    await expect(loadConfig(path)).rejects.toThrow(`${path} must contain a JSON object`);
  }
});

test("describeServer resolves to the description", async () => {
  const pending = describeServer(file("c.json", '{"host": "0.0.0.0", "debug": true}'));
  expect(pending).toBeInstanceOf(Promise);
  expect(await pending).toBe("listening on 0.0.0.0:8080 (debug)");
  expect(await describeServer(file("d.json", '{"port": 1234}'))).toBe("listening on 127.0.0.1:1234");
});

test("describeServer rejects with loadConfig's error", async () => {
  const path = join(dir, "nope.json");
  await expect(describeServer(path)).rejects.toThrow(`cannot read ${path}: ENOENT`);
  const bad = file("e.json", "[]");
  await expect(describeServer(bad)).rejects.toThrow(`${bad} must contain a JSON object`);
});
