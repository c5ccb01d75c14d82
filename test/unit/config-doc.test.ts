import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { render, schema } from "../../scripts/gen-config-doc";
import { ROOT } from "../helpers";

test("docs/configuration.md documents every config key (regenerate with bun scripts/gen-config-doc.ts)", () => {
  expect(readFileSync(join(ROOT, "docs", "configuration.md"), "utf8")).toBe(render());
});

test("docs/runcode-config.schema.json describes every config key (regenerate with bun scripts/gen-config-doc.ts)", () => {
  expect(readFileSync(join(ROOT, "docs", "runcode-config.schema.json"), "utf8")).toBe(schema());
});
