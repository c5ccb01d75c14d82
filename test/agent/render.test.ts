// What a user sees for an agent run. One scripted run goes through every renderer (snapshots): the human renderer on
// a terminal and on a pipe (stdout and stderr apart), the JSONL renderer, and the REPL's. Then the choices the one
// human renderer made where the ask/edit copy and the REPL copy used to disagree, each pinned.
import { describe, expect, test } from "bun:test";
import pc from "picocolors";
import type { AgentEvent } from "../../src/core/events";
import { jsonlRenderer } from "../../src/render/jsonl";
import { summary, textRenderer, type TextOptions } from "../../src/render/text";
import { TurnRenderer } from "../../src/repl/render";
import { waitFor } from "../helpers";
import { assertEvents } from "../schema";

const usage = { input: 900, output: 40 };
const script: AgentEvent[] = [
  { type: "session.started", session: "ses_1", model: "vendor/a", version: "0.0.0", cwd: "/p", schema: 1, context: ["/p/AGENTS.md"] },
  { type: "turn.started", turn: 1, model: "vendor/a" },
  { type: "model.fallback", from: "vendor/a", to: "vendor/b", reason: "503 Service Unavailable" },
  { type: "payment.settled", network: "base", asset: "USDC", amount: "1200", usd: 0.0012, payTo: "0xPay", tx: "0xabc" },
  { type: "reasoning.delta", text: "The user wants getUser renamed; " },
  { type: "reasoning.delta", text: "find it first." },
  { type: "text.delta", text: "Let me find " },
  { type: "text.delta", text: "`getUser`." },
  { type: "usage", model: "vendor/b", ...usage, usd: 0.0012 },
  { type: "turn.completed", turn: 1, stop: "tool_use", usage },
  { type: "tool.started", call: "c1", tool: "Bash", input: { command: "grep -rn getUser src", description: "find callers" } },
  { type: "tool.output", call: "c1", stream: "stdout", text: "src/a.ts:1:export const getUser = 1;\nsrc/b.ts:3:getUser();" },
  {
    type: "tool.completed",
    call: "c1",
    tool: "Bash",
    ok: true,
    output: "src/a.ts:1:export const getUser = 1;\nsrc/b.ts:3:getUser();",
    ms: 12,
  },
  { type: "tool.denied", call: "c2", tool: "WebFetch", reason: "denied by the rule WebFetch" },
  { type: "turn.started", turn: 2, model: "vendor/b" },
  { type: "warning", code: "context_70", message: "the conversation uses 71% of the model's 128000-token context window" },
  { type: "usage", model: "vendor/b", ...usage, usd: 0.0012 },
  { type: "turn.completed", turn: 2, stop: "tool_use", usage },
  { type: "tool.started", call: "c3", tool: "Edit", input: { file_path: "src/a.ts", old_string: "getUser", new_string: "fetchUser" } },
  { type: "tool.completed", call: "c3", tool: "Edit", ok: true, output: "edited src/a.ts", ms: 2 },
  { type: "turn.started", turn: 3, model: "vendor/b" },
  { type: "text.delta", text: "## Done\nRenamed **getUser** to `fetchUser` in src/a.ts; " },
  { type: "text.delta", text: "src/b.ts still calls the old name.\n" },
  { type: "usage", model: "vendor/b", ...usage, usd: 0.0012 },
  { type: "turn.completed", turn: 3, stop: "end_turn", usage },
  {
    type: "file.changed",
    path: "src/a.ts",
    diff: "--- a/src/a.ts\n+++ b/src/a.ts\n@@ -1 +1 @@\n-export const getUser = 1;\n+export const fetchUser = 1;\n",
    added: 1,
    removed: 1,
  },
  {
    type: "result",
    ok: true,
    text: "## Done\nRenamed …",
    model: "vendor/b",
    usd: 0.0036,
    usage: { input: 2700, output: 120 },
    turns: 3,
    ms: 4200,
  },
];

const TTY = { out: true, err: true };
const PIPE = { out: false, err: false };
const OFF = { out: false, err: false };

/** The human renderer fed `events`; `screen` is both streams as one terminal shows them. */
function human(events: AgentEvent[], o: Omit<TextOptions, "color"> & { color?: TextOptions["color"] }) {
  let out = "";
  let err = "";
  let screen = "";
  const r = textRenderer({ out: (s) => ((out += s), (screen += s)), err: (s) => ((err += s), (screen += s)) }, { color: OFF, ...o });
  for (const e of events) r(e);
  return { out, err, screen };
}

/** The REPL's renderer fed `events` (it drops session.started: the REPL announced the session at start). */
function repl(events: AgentEvent[], tty: boolean, thinking = true) {
  let out = "";
  let err = "";
  const r = new TurnRenderer(
    { out: (s) => (out += s), err: tty ? (s) => (out += s) : (s) => (err += s), color: false, width: () => 80 },
    { markdown: tty, thinking, tty },
  );
  for (const e of events) if (e.type !== "session.started") r.handle(e);
  r.flush();
  return { out, err, r };
}

describe("one scripted run through every renderer", () => {
  test("human renderer on a terminal (ask/edit, stdout and stderr on one screen)", () => {
    expect(human(script, { tty: TTY, thinking: true }).screen).toMatchSnapshot();
  });

  test("human renderer on a pipe: stdout holds the answer alone", () => {
    const r = human(script, { tty: PIPE, thinking: true });
    expect({ stdout: r.out, stderr: r.err }).toMatchSnapshot();
    expect(r.out).toBe("## Done\nRenamed **getUser** to `fetchUser` in src/a.ts; src/b.ts still calls the old name.\n");
  });

  test("JSONL renderer: one schema-valid line per event", () => {
    let text = "";
    const r = jsonlRenderer(
      (s) => (text += s),
      () => 1_700_000_000_000,
    );
    for (const e of script) r(e);
    const lines = text
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    assertEvents(lines);
    expect(lines).toHaveLength(script.length);
    expect(text).toMatchSnapshot();
  });

  test("REPL on a terminal: Markdown, the /compact hint, no cost line (its status line follows)", () => {
    expect(repl(script, true).out).toMatchSnapshot();
  });

  test("REPL in a pipe", () => {
    const r = repl(script, false);
    expect({ stdout: r.out, stderr: r.err }).toMatchSnapshot();
  });
});

describe("where the two copies disagreed", () => {
  test("a changed file reads `path +added -removed` in both front ends (the REPL said `changed a.ts`)", () => {
    const want = "changed 1 file(s):\n  src/a.ts +1 -1\n";
    expect(human(script, { tty: TTY }).err).toContain(want);
    expect(repl(script, true).out).toContain(want);
    // The REPL shows no diff after the turn; ask/edit print it (stdout for --dry-run, where it is the product).
    expect(repl(script, true).out).not.toContain("+++ b/src/a.ts");
    expect(human(script, { tty: PIPE, diff: "stdout" }).out).toEndWith("+export const fetchUser = 1;\n");
  });

  test("Ctrl-C reads `interrupted`, never `error: interrupted` (ask said the latter)", () => {
    const cut: AgentEvent[] = [
      { type: "text.delta", text: "half an ans" },
      {
        type: "result",
        ok: false,
        text: "half an ans",
        model: "m",
        usd: 0,
        usage: { input: 0, output: 0 },
        turns: 1,
        ms: 5,
        error: { code: "interrupted", message: "interrupted" },
      },
    ];
    expect(human(cut, { tty: TTY }).screen).toBe("half an ans\ninterrupted\n");
    expect(human(cut, { tty: TTY, quiet: true }).err).toBe("interrupted\n");
    expect(repl(cut, true).out).toBe("half an ans\ninterrupted\n");
  });

  test("a denied call's line stands alone, since it never started (the REPL indented it under nothing)", () => {
    const denied: AgentEvent[] = [{ type: "tool.denied", call: "1", tool: "WebFetch", reason: "no" }];
    expect(human(denied, { tty: TTY }).err).toBe("✗ WebFetch denied: no\n");
    expect(repl(denied, true).out).toBe("✗ WebFetch denied: no\n");
  });

  test("the REPL in a pipe holds narration like ask does: stdout gets the answer alone (it streamed both)", () => {
    const r = repl(script, false);
    expect(r.out).toBe("## Done\nRenamed **getUser** to `fetchUser` in src/a.ts; src/b.ts still calls the old name.\n");
    expect(r.err).toContain("Let me find `getUser`.");
  });

  test("one summary per call: Bash's command line, MultiEdit's files, Grep's pattern before its path", () => {
    expect(summary("Bash", { command: "bun test\n--bail", description: "run tests" })).toBe("bun test");
    expect(summary("MultiEdit", { edits: [{ file_path: "a.ts" }, { file_path: "b.ts" }, { file_path: "a.ts" }] })).toBe("a.ts, b.ts");
    expect(summary("Grep", { pattern: "getUser", path: "src" })).toBe("getUser");
    expect(summary("mcp__fs__list", { path: "src" })).toBe("src");
    expect(human([{ type: "tool.started", call: "1", tool: "Task", input: {} }], { tty: TTY }).err).toBe("● Task\n");
  });

  test("live output: a trailing newline adds no empty `│` line (ask printed one)", () => {
    expect(human([{ type: "tool.output", call: "1", stream: "stdout", text: "one\ntwo\n" }], { tty: TTY }).err).toBe("  │ one\n  │ two\n");
  });

  test("the spinner is erased before any line, a note too (ask's spinner was left under it)", async () => {
    let err = "";
    const r = textRenderer({ out: () => {}, err: (s) => (err += s) }, { tty: TTY, color: OFF });
    r({ type: "turn.started", turn: 1, model: "m" });
    await waitFor(() => err.includes("⠋ m"), { what: "a spinner frame" });
    r({ type: "model.fallback", from: "m", to: "n", reason: "503" });
    expect(err).toMatch(/^(\r\x1b\[K[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] m)+\r\x1b\[Km failed \(503\); trying n\n$/);
  });

  test("the spinner never draws over an open answer line (a continued answer would be erased)", async () => {
    let screen = "";
    const r = textRenderer({ out: (s) => (screen += s), err: (s) => (screen += s) }, { tty: TTY, color: OFF });
    r({ type: "text.delta", text: "a line still open" });
    r({ type: "turn.started", turn: 2, model: "m" });
    // A control renderer whose spinner may draw: once its first frame is there, ours would have drawn too.
    let control = "";
    const c = textRenderer({ out: () => {}, err: (s) => (control += s) }, { tty: TTY, color: OFF });
    c({ type: "turn.started", turn: 1, model: "m" });
    await waitFor(() => control.includes("⠋ m"), { what: "the control spinner's first frame" });
    c({ type: "text.delta", text: "stops it" });
    r({ type: "text.delta", text: " goes on.\n" });
    expect(screen).toBe("a line still open goes on.\n");
  });

  test("colours are picocolors' and only where asked", () => {
    const p = pc.createColors(true);
    const on = human(script, { tty: TTY, color: { out: false, err: true } });
    expect(on.err).toContain(`${p.cyan("●")} Bash ${p.dim("grep -rn getUser src")}`);
    expect(on.err).toContain(`${p.yellow("warning:")} the conversation`);
    expect(on.out).not.toContain("\x1b[");
    expect(human(script, { tty: TTY }).screen).not.toContain("\x1b[");
  });

  test("the REPL keeps its own fact about the turn: that the context warned", () => {
    const { r } = repl(script, true);
    expect(r.contextWarned).toBe(true);
  });
});

// The earlier run of this file: stdout a terminal, stderr captured (`runcode edit 2>log`). Its snapshot is unchanged.
const run: AgentEvent[] = [
  { type: "session.started", session: "s", model: "m", version: "0", cwd: "/p", schema: 1, context: ["/p/AGENTS.md"] },
  { type: "turn.started", turn: 1, model: "m" },
  { type: "text.delta", text: "Looking." },
  { type: "tool.started", call: "1", tool: "Grep", input: { pattern: "getUser" } },
  { type: "tool.completed", call: "1", tool: "Grep", ok: true, output: "a.ts", ms: 3 },
  {
    type: "tool.started",
    call: "2",
    tool: "MultiEdit",
    input: { edits: [{ file_path: "a.ts" }, { file_path: "b.ts" }, { file_path: "a.ts" }] },
  },
  { type: "tool.completed", call: "2", tool: "MultiEdit", ok: true, output: "applied", ms: 2 },
  { type: "tool.started", call: "3", tool: "Bash", input: { command: "bun test\n--bail", description: "run tests" } },
  { type: "tool.output", call: "3", stream: "stdout", text: "1 pass\n0 fail" },
  { type: "tool.completed", call: "3", tool: "Bash", ok: false, output: "x\n[exit code 1]", error: "[exit code 1]", ms: 900 },
  { type: "tool.denied", call: "4", tool: "WebFetch", reason: "denied by the rule WebFetch" },
  { type: "file.changed", path: "a.ts", diff: "--- a/a.ts\n+++ b/a.ts\n@@ -1 +1 @@\n-a\n+b\n", added: 1, removed: 1 },
  { type: "text.delta", text: "Done." },
  { type: "result", ok: true, text: "Done.", model: "m", usd: 0, usage: { input: 10, output: 5 }, turns: 2, ms: 1500 },
];

const STDOUT_TTY = { out: true, err: false };

test("text renderer: tool lines and live output on stderr, summary and diff at the end", () => {
  const { out, err } = human(run, { tty: STDOUT_TTY });
  expect({ err, out }).toMatchSnapshot();
  expect(human(run, { tty: STDOUT_TTY, diff: "stdout" }).out).toBe("Looking.\nDone.\n--- a/a.ts\n+++ b/a.ts\n@@ -1 +1 @@\n-a\n+b\n");
  expect(human(run, { tty: STDOUT_TTY, quiet: true }).err).toBe("");
});

describe("stdout is a pipe: narration is held", () => {
  test("text before a tool call goes to stderr; the final answer alone reaches stdout", () => {
    const { out, err } = human(
      [
        { type: "text.delta", text: "Let me look." },
        { type: "tool.started", call: "t1", tool: "Grep", input: { pattern: "x" } },
        { type: "turn.completed", turn: 1, stop: "tool_use", usage: { input: 1, output: 1 } },
        { type: "text.delta", text: "Found it" },
        { type: "text.delta", text: " in a.ts." },
        { type: "turn.completed", turn: 2, stop: "end_turn", usage: { input: 1, output: 1 } },
        { type: "result", ok: true, text: "Found it in a.ts.", model: "m", usd: 0, usage: { input: 2, output: 2 }, turns: 2, ms: 5 },
      ],
      { tty: PIPE },
    );
    expect(out).toBe("Found it in a.ts.\n");
    expect(err).toContain("Let me look.");
  });

  test("a turn cut short still shows its partial answer", () => {
    const { out } = human(
      [
        { type: "text.delta", text: "half an ans" },
        {
          type: "result",
          ok: false,
          text: "half an ans",
          model: "m",
          usd: 0,
          usage: { input: 0, output: 0 },
          turns: 1,
          ms: 5,
          error: { code: "stream_error", message: "cut" },
        },
      ],
      { tty: PIPE },
    );
    expect(out).toBe("half an ans\n");
  });
});
