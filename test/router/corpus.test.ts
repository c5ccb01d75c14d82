// The labelled corpus: every prompt must land in its expected tier. Labels follow ClawRouter's calibration:
// short single-step requests ("Implement binary search in Go") are SIMPLE, its narrow COMPLEX band needs
// many signals at once, and two reasoning markers always mean REASONING.
import { expect, test } from "bun:test";
import { classify, type Tier } from "../../src/router";

type Row = { tier: Tier; category: string; prompt: string };
const rows: Row[] = (await Bun.file(new URL("./corpus.jsonl", import.meta.url)).text())
  .trim()
  .split("\n")
  .map((l) => JSON.parse(l) as Row);

test("corpus is large and varied enough", () => {
  expect(rows.length).toBeGreaterThanOrEqual(60);
  const tiers = new Set(rows.map((r) => r.tier));
  expect([...tiers].sort()).toEqual(["COMPLEX", "MEDIUM", "REASONING", "SIMPLE"]);
  expect(rows.filter((r) => /[\u4e00-\u9fff]/.test(r.prompt)).length).toBeGreaterThanOrEqual(5);
});

test.each(rows.map((r) => [r.tier, r.category, r.prompt] as const))("%s (%s): %s", (tier, _category, prompt) => {
  expect(classify(prompt).tier).toBe(tier);
});
