import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadConfig } from "./config.js";
import { describeServer } from "./server.js";

const dir = mkdtempSync(join(import.meta.dir, ".tmp-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name, text) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

test("merges the file over the defaults", (done) => {
  loadConfig(file("a.json", '{"port": 9000}'), (err, config) => {
    expect(err).toBeNull();
    expect(config).toEqual({ host: "127.0.0.1", port: 9000, debug: false });
    done();
  });
});

test("a missing file is an error naming it", (done) => {
  loadConfig(join(dir, "missing.json"), (err) => {
    expect(err.message).toBe(`cannot read ${join(dir, "missing.json")}: ENOENT`);
    done();
  });
});

test("describes the server", (done) => {
  describeServer(file("b.json", '{"host": "0.0.0.0", "debug": true}'), (err, text) => {
    expect(err).toBeNull();
    expect(text).toBe("listening on 0.0.0.0:8080 (debug)");
    done();
  });
});
