// The "done when" of issue 8: a long scripted session through the real CLI (or the compiled binary, with
// RUNCODE_TEST_BIN) against a fake model with a 32k window. Every request the gateway receives fits the window, and
// every instruction the user planted is still in what the model receives at the end.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { COMPACT_SYSTEM, countExact, estimate } from "../../src/context";
import type { Message } from "../../src/llm/types";
import { startFakeGateway, type FakeGateway, type Recorded } from "../fake-gateway";
import { cleanup, jsonLines, runCli, tempDir } from "../helpers";
import { assertEvents } from "../schema";
import { fact, filler } from "./history";

export const SMALL = {
  id: "test/small-32k",
  owned_by: "test",
  billing_mode: "free",
  pricing: { input: 0, output: 0 },
  context_window: 32_000,
  max_output: 4096,
  categories: ["coding", "tools"],
  available: true,
};
export const SUMMARY = SECTIONS_TEXT();
function SECTIONS_TEXT() {
  return ["Goal", "Progress", "Decisions", "Files Modified", "Tool Results Still Relevant", "User Preferences & Corrections", "Next Steps"]
    .map((s) => `## ${s}\n(scripted summary: ${s.toLowerCase()})`)
    .join("\n");
}

export const INSTRUCTIONS = [
  "Always answer in British English.",
  "Never modify files under migrations/.",
  "Use tabs for indentation in every file you write.",
  "Remember: the release branch is called stable-7.",
  "Prefer bun test over npm test.",
];

/** A prompt with the planted instructions spread through a large pasted log. */
export function plantedPrompt(logBytes: number): string {
  const log = filler(logBytes, 999).split("\n");
  const at = (i: number) => Math.floor((log.length * i) / INSTRUCTIONS.length);
  const parts: string[] = ["Go through every data file and report the knob values."];
  INSTRUCTIONS.forEach((ins, i) => parts.push(ins, ...log.slice(at(i), at(i + 1))));
  return parts.join("\n");
}

/** The scripted model: Read data/f<n>.txt for `turns` turns, then answer; summaries when asked to compact. */
export function script(turns: number) {
  let n = 0;
  return (req: Recorded) => {
    if (String(req.body?.system ?? "").startsWith(COMPACT_SYSTEM)) return { text: SUMMARY };
    n++;
    return n <= turns ? { tools: [{ name: "Read", input: { file_path: `data/f${n}.txt` } }] } : { text: "All knobs reported." };
  };
}

export function dataFiles(dir: string, count: number, bytes: number) {
  mkdirSync(join(dir, "data"), { recursive: true });
  for (let i = 1; i <= count; i++) writeFileSync(join(dir, "data", `f${i}.txt`), `${fact(i)}\n${filler(bytes, i)}\n`);
}

const TURNS = Number(process.env.CONTEXT_TURNS ?? 500);
let gw: FakeGateway;
let dir: string;

beforeAll(async () => {
  dir = tempDir("runcode-context-");
  dataFiles(dir, TURNS, 6000);
  gw = await startFakeGateway({ models: [SMALL], script: new Array(TURNS * 2).fill(script(TURNS)) });
});
afterAll(async () => {
  await gw.stop();
  cleanup(dir);
});

test(`${TURNS}-turn session with large tool outputs stays under a 32k window and keeps every instruction`, async () => {
  const r = await runCli(["ask", "--jsonl", "-m", SMALL.id, "--max-turns", String(TURNS + 10), plantedPrompt(40_000)], {
    cwd: dir,
    home: dir,
    env: { RUNCODE_API_URL: gw.url },
    timeoutMs: 90_000,
  });
  const events = jsonLines(r.stdout);
  assertEvents(events);
  const result = events.at(-1);
  expect(result).toMatchObject({ type: "result", ok: true, text: "All knobs reported." });
  const calls = gw.calls().filter((c) => !String(c.body.system ?? "").startsWith(COMPACT_SYSTEM));
  expect(calls.length).toBe(TURNS + 1);
  for (const c of calls)
    expect(estimate(c.body.messages as Message[], c.body.system, c.body.tools) + c.body.max_tokens).toBeLessThanOrEqual(
      SMALL.context_window,
    );
  // The exact tokenizer agrees (sampled: it is slower).
  for (const c of calls.filter((_, i) => i % 50 === 0 || i === calls.length - 1)) {
    const exact = await countExact(c.body.messages as Message[], c.body.system, c.body.tools);
    expect(exact.total + c.body.max_tokens).toBeLessThanOrEqual(SMALL.context_window);
  }
  const last = JSON.stringify(calls.at(-1)!.body.messages);
  // Asserted as lists of what is missing: a failure should not print a 100 KB request.
  expect(INSTRUCTIONS.filter((i) => !last.includes(i))).toEqual([]);
  expect([0, 1, 2, 3, 4].map((d) => fact(TURNS - d)).filter((f) => !last.includes(f))).toEqual([]);
  const boundaries = events.filter((e) => e.type === "compact.boundary");
  expect(boundaries.length).toBeGreaterThan(0);
  for (const b of boundaries) expect(b.after).toBeLessThan(b.before);
  expect(events.filter((e) => e.type === "warning" && e.code === "context_70").length).toBeLessThanOrEqual(1);
}, 120_000);
