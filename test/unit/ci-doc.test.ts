// docs/ci.md's workflow uses only what exists: every `runcode config set` key is a setting, and every flag of its
// `runcode ask` line is one of ask's (the same check the CLI runs on a command line).
import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { checkFlags } from "../../src/cli/args";
import { COMMANDS } from "../../src/commands";
import { parseValue } from "../../src/settings";
import { ROOT } from "../helpers";

const doc = readFileSync(join(ROOT, "docs", "ci.md"), "utf8");

test("every `runcode config set` in docs/ci.md is a key with a valid value", () => {
  const sets = [...doc.matchAll(/runcode config set (\S+) (\S+)/g)];
  expect(sets.length).toBeGreaterThanOrEqual(3);
  for (const [, key, value] of sets) expect(() => parseValue(key!, value)).not.toThrow();
});

test("the `runcode ask` line of docs/ci.md uses only ask's flags", async () => {
  const line = doc.match(/runcode ask (.+?) \\\n\s+"([^"]+)"/);
  expect(line).not.toBeNull();
  const argv = [...line![1]!.split(" "), line![2]!];
  const ask = await COMMANDS.ask.load();
  const args = typeof ask.args === "function" ? await ask.args() : await ask.args;
  expect(() => checkFlags(argv, args ?? {}, "ask")).not.toThrow();
  for (const f of ["--jsonl", "--mode", "-o"]) expect(argv).toContain(f);
});
