// End to end: the real CLI, a temp RUNCODE_HOME, no network. Every stdout line must be a JSON object with the
// documented fields (docs/router.md), one per input, in order.
import { afterAll, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { cleanup, jsonLines as parseLines, runCli, tempDir } from "../helpers";
import { assertRoute } from "../schema";

/** Every line `runcode route` prints must match docs/route.schema.json. */
const jsonLines = (stdout: string) => {
  const lines = parseLines(stdout);
  assertRoute(lines);
  return lines;
};

const homes: string[] = [];
const home = () => {
  const h = tempDir();
  homes.push(h);
  return h;
};
afterAll(() => cleanup(...homes));

const TIERS = ["SIMPLE", "MEDIUM", "COMPLEX", "REASONING"];
function valid(o: Record<string, unknown>) {
  expect(["auto", "eco", "premium", "free"]).toContain(o.profile as string);
  expect(TIERS).toContain(o.tier as string);
  expect(typeof o.model).toBe("string");
  expect(Array.isArray(o.fallbacks) && (o.fallbacks as unknown[]).every((x) => typeof x === "string")).toBe(true);
  expect((o.fallbacks as unknown[]).length).toBeLessThanOrEqual(4);
  for (const k of ["confidence", "score", "estUsd", "savings", "tokens"]) expect(typeof o[k]).toBe("number");
  expect(Array.isArray(o.signals)).toBe(true);
  expect(typeof o.agentic).toBe("boolean");
  expect(typeof o.pinned).toBe("boolean");
}

test("a prompt from arguments gives one JSON line", async () => {
  const r = await runCli(["route", "prove", "the", "theorem", "step", "by", "step"], { home: home() });
  expect(r.code).toBe(0);
  const lines = jsonLines(r.stdout);
  expect(lines).toHaveLength(1);
  valid(lines[0]);
  expect(lines[0].tier).toBe("REASONING");
});

test("stdin lines (plain and JSONL) give one JSON line each, in order", async () => {
  const input = [
    "what is the capital of France?",
    JSON.stringify({ prompt: "refactor the auth module", tools: [{ name: "Edit" }] }),
    JSON.stringify({ prompt: "hello", system: "Reply in JSON" }),
    "请证明根号2是无理数，并逐步推导",
    "",
  ].join("\n");
  const r = await runCli(["route", "--profile", "eco"], { home: home(), stdin: input });
  expect(r.code).toBe(0);
  const lines = jsonLines(r.stdout);
  expect(lines).toHaveLength(4);
  lines.forEach(valid);
  expect(lines.map((l) => l.tier)).toEqual(["SIMPLE", "SIMPLE", "MEDIUM", "REASONING"]);
  expect(lines.every((l) => l.profile === "eco")).toBe(true);
});

test("a bad input line gives an error object in its place and exit 1", async () => {
  const r = await runCli(["route"], { home: home(), stdin: 'hello\n{"nope": 1}\nbye\n' });
  expect(r.code).toBe(1);
  const lines = jsonLines(r.stdout);
  expect(lines).toHaveLength(3);
  expect(lines[1].error.code).toBe("usage");
  valid(lines[2]);
});

test("--pin keeps the session tier (upgrade only)", async () => {
  const r = await runCli(["route", "--pin"], { home: home(), stdin: "hello\nprove the theorem\nthanks\n" });
  expect(jsonLines(r.stdout).map((l) => [l.tier, l.pinned])).toEqual([
    ["SIMPLE", false],
    ["REASONING", false],
    ["REASONING", true],
  ]);
});

test("config overrides are honoured by the CLI", async () => {
  const h = home();
  writeFileSync(join(h, "runcode-config.json"), JSON.stringify({ "routing.tiers.auto.SIMPLE.primary": "anthropic/claude-haiku-4.5" }));
  const r = await runCli(["route", "hello"], { home: h });
  expect(jsonLines(r.stdout)[0].model).toBe("anthropic/claude-haiku-4.5");
});

test("--explain prints the 15 dimensions for humans", async () => {
  const r = await runCli(["route", "--explain", "Design a distributed database"], { home: home() });
  expect(r.code).toBe(0);
  for (const d of ["tokenCount", "technicalTerms", "agenticTask"]) expect(r.stdout).toContain(d);
  expect(r.stdout).toMatch(/tier\s+MEDIUM/);
});

test("a bad profile is a usage error on stderr, nothing on stdout", async () => {
  const r = await runCli(["route", "--profile", "cheap", "hi"], { home: home() });
  expect(r.code).toBe(2);
  expect(r.stdout).toBe("");
  expect(r.stderr).toContain("auto, eco, premium or free");
});

test("empty stdin gives empty output", async () => {
  const r = await runCli(["route"], { home: home(), stdin: "" });
  expect([r.code, r.stdout]).toEqual([0, ""]);
});
