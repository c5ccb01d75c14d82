// The secret registry on its own: spellings that are caught, commands that name the secret files (and ordinary
// ones that must not be taken for them), children's environments.
import { afterEach, expect, test } from "bun:test";
import { linkSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  addSecret,
  addSecretEnv,
  addSecretFile,
  childEnv,
  containsSecret,
  isSecretFile,
  mentionsSecretFile,
  redact,
  redactValue,
  resetSecrets,
} from "../../src/core/secrets";
import { tempDir } from "../helpers";

afterEach(resetSecrets);
const KEY = `0x${"ab12".repeat(16)}`;

test("a key is caught as written, without 0x, in either case and as base64; short values are not secrets", () => {
  addSecret(KEY);
  addSecret("short");
  for (const s of [KEY, KEY.slice(2), KEY.slice(2).toUpperCase(), Buffer.from(`${KEY}\n`).toString("base64")])
    expect(containsSecret(`x ${s} y`)).toBe(true);
  expect(containsSecret(new TextEncoder().encode(`{"k":"${KEY}"}`))).toBe(true);
  expect(containsSecret("short and sweet")).toBe(false);
  expect(redact(`key=${KEY}.`)).toBe("key=[redacted].");
  expect(redactValue({ a: [`${KEY.slice(2)}`], b: 1 })).toEqual({ a: ["[redacted]"], b: 1 });
  const same = { a: "nothing here" };
  expect(redactValue(same)).toBe(same);
});

test("children get no secret variable, nor any variable whose value carries a secret", () => {
  addSecretEnv("BLOCKRUN_WALLET_KEY", KEY);
  expect(childEnv({ PATH: "/bin", BLOCKRUN_WALLET_KEY: KEY, COPY: `prefix ${KEY}`, EMPTY: undefined })).toEqual({ PATH: "/bin" });
});

test("secret files are found by path, symlink and hard link; commands that name them are told from ordinary ones", () => {
  const user = tempDir("runcode-reg-");
  const home = join(user, ".blockrun");
  mkdirSync(home);
  const key = join(home, ".session");
  writeFileSync(key, KEY);
  addSecretFile(key);
  addSecretFile(join(home, "mcp.json"));
  symlinkSync(key, join(user, "sym"));
  linkSync(key, join(user, "hard"));
  writeFileSync(join(user, "other"), "x");
  for (const p of [key, join(user, "sym"), join(user, "hard")]) expect(isSecretFile(p)).toBe(true);
  expect(isSecretFile(join(user, "other"))).toBe(false);
  expect(isSecretFile(join(user, "missing"))).toBe(false);
  const named: Array<[string, string | undefined]> = [
    ["cat ~/.blockrun/.session", ".session"],
    [`cat ${key}`, key],
    ["cd .blockrun; ls", ".blockrun"],
    ["tar czf x.tgz ~/.blockrun", ".blockrun"],
    ['cat "$HOME/.session"', ".session"],
    ["cp .sess* /tmp", undefined], // a glob hides the name: output redaction is the defence there
    ["grep -r req.session src", undefined],
    ["cat .mcp.json mcp.json", undefined],
    ["git log --oneline", undefined],
  ];
  for (const [cmd, want] of named) expect({ cmd, got: mentionsSecretFile(cmd) }).toEqual({ cmd, got: want });
});
