// What a user sees on the terminal for an agent run: the text renderer on a scripted run (snapshot).
import { describe, expect, test } from "bun:test";
import type { AgentEvent } from "../../src/core/events";
import { textRenderer } from "../../src/render/text";

const run: AgentEvent[] = [
  { type: "session.started", session: "s", model: "m", version: "0", cwd: "/p", schema: 1, context: ["/p/AGENTS.md"] },
  { type: "turn.started", turn: 1, model: "m" },
  { type: "text.delta", text: "Looking." },
  { type: "tool.started", call: "1", tool: "Grep", input: { pattern: "getUser" } },
  { type: "tool.completed", call: "1", tool: "Grep", ok: true, output: "a.ts", ms: 3 },
  { type: "tool.started", call: "2", tool: "MultiEdit", input: { edits: [{ file_path: "a.ts" }, { file_path: "b.ts" }, { file_path: "a.ts" }] } },
  { type: "tool.completed", call: "2", tool: "MultiEdit", ok: true, output: "applied", ms: 2 },
  { type: "tool.started", call: "3", tool: "Bash", input: { command: "bun test\n--bail", description: "run tests" } },
  { type: "tool.output", call: "3", stream: "stdout", text: "1 pass\n0 fail" },
  { type: "tool.completed", call: "3", tool: "Bash", ok: false, output: "x\n[exit code 1]", error: "[exit code 1]", ms: 900 },
  { type: "tool.denied", call: "4", tool: "WebFetch", reason: "denied by the rule WebFetch" },
  { type: "file.changed", path: "a.ts", diff: "--- a/a.ts\n+++ b/a.ts\n@@ -1 +1 @@\n-a\n+b\n" },
  { type: "text.delta", text: "Done." },
  { type: "result", ok: true, text: "Done.", model: "m", usd: 0, usage: { input: 10, output: 5 }, turns: 2, ms: 1500 },
];

function render(opts: Parameters<typeof textRenderer>[1]) {
  let out = "";
  let err = "";
  const r = textRenderer({ out: (s) => (out += s), err: (s) => (err += s), dim: (s) => s, red: (s) => s, yellow: (s) => s }, opts);
  for (const e of run) r(e);
  return { out, err };
}

test("text renderer: tool lines and live output on stderr, summary and diff at the end", () => {
  expect(render({})).toMatchSnapshot();
  expect(render({ diffTo: "stdout" }).out).toBe("Looking.\nDone.\n--- a/a.ts\n+++ b/a.ts\n@@ -1 +1 @@\n-a\n+b\n");
  expect(render({ quiet: true }).err).toBe("");
});

/** A renderer to feed event by event. */
function live(opts: Parameters<typeof textRenderer>[1]) {
  let out = "";
  let err = "";
  const r = textRenderer({ out: (s) => (out += s), err: (s) => (err += s), dim: (s) => s, red: (s) => s, yellow: (s) => s }, opts);
  return { r, out: () => out, err: () => err };
}

describe("holdNarration (stdout is a pipe)", () => {
  test("text before a tool call goes to stderr; the final answer alone reaches stdout", () => {
    const { r, out, err } = live({ holdNarration: true });
    r({ type: "text.delta", text: "Let me look." });
    r({ type: "tool.started", call: "t1", tool: "Grep", input: { pattern: "x" } });
    r({ type: "turn.completed", turn: 1, stop: "tool_use", usage: { input: 1, output: 1 } });
    r({ type: "text.delta", text: "Found it" });
    r({ type: "text.delta", text: " in a.ts." });
    r({ type: "turn.completed", turn: 2, stop: "end_turn", usage: { input: 1, output: 1 } });
    r({ type: "result", ok: true, text: "Found it in a.ts.", model: "m", usd: 0, usage: { input: 2, output: 2 }, turns: 2, ms: 5 });
    expect(out()).toBe("Found it in a.ts.\n");
    expect(err()).toContain("Let me look.");
  });

  test("a turn cut short still shows its partial answer", () => {
    const { r, out } = live({ holdNarration: true });
    r({ type: "text.delta", text: "half an ans" });
    r({ type: "result", ok: false, text: "half an ans", model: "m", usd: 0, usage: { input: 0, output: 0 }, turns: 1, ms: 5, error: { code: "stream_error", message: "cut" } });
    expect(out()).toBe("half an ans\n");
  });
});
