// runcode-config.json names its JSON Schema (docs/runcode-config.schema.json, generated from the settings table) in
// `$schema`: a file written by `runcode config set` validates against it, and reading ignores the key.
import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv from "ajv";
import schema from "../../docs/runcode-config.schema.json";
import { runCli, tempDir } from "../helpers";

const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);

test("a config written by `config set` names the schema and validates against it; `$schema` is not a setting", async () => {
  const home = tempDir();
  const sets = [
    ["max-usd-per-request", "0.05"],
    ["smart-routing", "off"],
    ["max-turns", "20"],
    ["permission-mode", "plan"],
    ["default-model", "free"],
    ["routing.tiers.auto.simple.primary", "google/gemini-2.5-flash"],
  ];
  for (const [k, v] of sets) expect((await runCli(["config", "set", k!, v!], { home })).code).toBe(0);
  const file = JSON.parse(readFileSync(join(home, "runcode-config.json"), "utf8"));
  expect(file.$schema).toBe(schema.$id);
  expect({ valid: validate(file), errors: validate.errors }).toEqual({ valid: true, errors: null });

  const list = await runCli(["config", "list", "--json"], { home });
  expect((JSON.parse(list.stdout) as Array<{ key: string }>).map((r) => r.key)).not.toContain("$schema");
  const doctor = await runCli(["doctor", "--json", "--timeout", "1"], { home });
  const row = (JSON.parse(doctor.stdout).checks as Array<{ id: string; detail: string }>).find((c) => c.id === "config");
  expect(row?.detail).toContain(`(${sets.length} setting(s))`);
});

test("the schema refuses what `config set` refuses: an unknown key, a bad enum value, a negative amount", () => {
  for (const bad of [{ "no-such-key": 1 }, { "permission-mode": "yolo" }, { "max-usd-per-request": -1 }])
    expect({ bad, valid: validate(bad) }).toEqual({ bad, valid: false });
});
