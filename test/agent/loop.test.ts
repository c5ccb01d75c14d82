import { describe, expect, test } from "bun:test";
import { readFileSync, realpathSync, writeFileSync } from "node:fs";
import { alive, tempDir, waitFor } from "../helpers";
import { join } from "node:path";
import { ToolRegistry } from "../../src/tools/registry";
import type { Recorded, Reply } from "../fake-gateway";
import type { AnyTool, Tool } from "../../src/tools/types";
import { lastResults, runScripted, types } from "./harness";

describe("bad tool calls are answered so the model can correct itself", () => {
  test("unknown tool, missing and wrong-typed arguments", async () => {
    const r = await runScripted([
      {
        tools: [
          { name: "Nope", input: {} },
          { name: "Read", input: {} },
          { name: "Read", input: { file_path: 7 } },
        ],
      },
      { text: "ok" },
    ]);
    const res = lastResults(r.gw);
    expect(res[0]!.content).toStartWith('unknown tool "Nope". Available tools: Read, Write, Edit');
    expect(res[1]).toMatchObject({
      content: "invalid input for Read: missing required field file_path (string). Fix the input and call Read again.",
      is_error: true,
    });
    expect(res[2]!.content).toBe("invalid input for Read: file_path must be a string, got integer. Fix the input and call Read again.");
    expect(r.result).toMatchObject({ ok: true, text: "ok", turns: 2 });
    const completed = r.events.filter((e) => e.type === "tool.completed");
    expect(completed.map((e) => e.type === "tool.completed" && e.ok)).toEqual([false, false, false]);
  });
});

test("read-only tools run concurrently and start before the response ends; mutating ones run in order", async () => {
  const log: string[] = [];
  let looking = 0;
  const slow = (name: string, mutating: boolean): AnyTool =>
    ({
      name,
      description: "test tool",
      input_schema: { type: "object", properties: { n: { type: "integer" } } },
      mutating,
      async run(i: { n?: number }) {
        log.push(`start ${name}${i.n ?? ""}`);
        if (name === "Look" && i.n !== 3) {
          // Look1 and Look2 each wait until the other has started: run one after the other, the first never ends.
          looking++;
          await waitFor(() => looking === 2, { timeoutMs: 5000, what: `Look${i.n}'s partner to start while it runs` });
        } else {
          // One turn of the event loop: anything started alongside this call (everything before tool.run is promise
          // chains, no I/O) would log its start before this end.
          await new Promise((resolve) => setImmediate(resolve));
        }
        log.push(`end ${name}${i.n ?? ""}`);
        return { output: `${name} done` };
      },
    }) satisfies Tool<{ n?: number }> as AnyTool;
  const tools = new ToolRegistry([slow("Look", false), slow("Change", true)]);
  const r = await runScripted(
    [
      {
        tools: [
          { name: "Look", input: { n: 1 } },
          { name: "Look", input: { n: 2 } },
          { name: "Change", input: { n: 1 } },
          { name: "Change", input: { n: 2 } },
          { name: "Look", input: { n: 3 } },
        ],
        delayMs: 5,
      },
      { text: "done" },
    ],
    { tools, policy: { mode: "trust" } },
  );
  // Look1 and Look2 overlapped (each saw the other start); then Change1, Change2, Look3 one by one.
  expect(log.slice(0, 2)).toEqual(["start Look1", "start Look2"]);
  expect(log.slice(2, 4).sort()).toEqual(["end Look1", "end Look2"]);
  expect(log.slice(4)).toEqual(["start Change1", "end Change1", "start Change2", "end Change2", "start Look3", "end Look3"]);
  // The first read-only call started while the response was still streaming (before turn.completed); the first
  // mutating one only after the whole response was in.
  const ty = types(r.events);
  expect(ty.indexOf("tool.started")).toBeLessThan(ty.indexOf("turn.completed"));
  expect(r.events.findIndex((e) => e.type === "tool.started" && e.tool === "Change")).toBeGreaterThan(ty.indexOf("turn.completed"));
  expect(lastResults(r.gw).map((b) => b.content)).toEqual(["Look done", "Look done", "Change done", "Change done", "Look done"]);
});

test("a denied tool is reported as tool.denied and returned to the model", async () => {
  const r = await runScripted([{ tools: [{ name: "Bash", input: { command: "rm -rf /" } }] }, { text: "cannot" }], {
    policy: { deny: ["Bash(rm *)"] },
  });
  expect(r.events.find((e) => e.type === "tool.denied")).toEqual({
    type: "tool.denied",
    call: "toolu_0_0",
    tool: "Bash",
    reason: "denied by the rule Bash(rm *)",
  });
  expect(lastResults(r.gw)[0]).toMatchObject({
    is_error: true,
    content: "Permission denied: denied by the rule Bash(rm *). Do not retry this call; continue without it or explain what you need.",
  });
  expect(r.result.ok).toBe(true);
});

test("without an approve function, what needs asking is denied (non-interactive runs never block); approve answers are honoured", async () => {
  const r = await runScripted([{ tools: [{ name: "Bash", input: { command: "git status" } }] }, { text: "x" }]);
  expect(r.events.find((e) => e.type === "tool.denied")).toMatchObject({
    reason: "Bash needs permission, and this run cannot ask (non-interactive): rerun with --allow 'Bash(git *)' or --trust",
  });
  const asked: string[] = [];
  const a = await runScripted(
    [
      { tools: [{ name: "Bash", input: { command: "echo 1" } }] },
      { tools: [{ name: "Bash", input: { command: "echo 1" }, id: "t2" }] },
      { text: "x" },
    ],
    {
      approve: async (req) => {
        asked.push(`${req.tool}:${req.subject.join(" ")}:${req.reason}`);
        return "always";
      },
    },
  );
  expect(asked).toEqual(["Bash:echo 1:Bash needs permission"]);
  expect(a.events.filter((e) => e.type === "tool.completed" && e.ok)).toHaveLength(2);
});

test("doom-loop guard: the same call with the same input 3 times stops the run", async () => {
  const call = { name: "Grep", input: { pattern: "x" } };
  const r = await runScripted([{ tools: [call] }, { tools: [call] }, { tools: [call] }, { text: "never" }]);
  expect(r.result).toMatchObject({
    ok: false,
    error: {
      code: "doom_loop",
      message: "stopped a loop: Grep was called 3 times with the same input: rephrase the request, or try another model with -m",
    },
  });
  expect(r.gw.calls()).toHaveLength(3);
  // the history stays valid: every tool_use has its tool_result
  expect(r.messages.at(-1)!.role).toBe("user");
});

test("max-turns stops with an actionable error", async () => {
  const r = await runScripted(
    [{ tools: [{ name: "Glob", input: { pattern: "*" } }] }, { tools: [{ name: "Glob", input: { pattern: "**" } }] }, { text: "x" }],
    { maxTurns: 2 },
  );
  expect(r.result.error).toEqual({
    code: "max_turns",
    message: "stopped after 2 model calls without a final answer: raise the limit with --max-turns N (config max-turns)",
  });
});

test("max_tokens stop → the model is asked to continue (up to 3 times)", async () => {
  const r = await runScripted([
    { text: "part one ", stop: "max_tokens" },
    { text: "part two", stop: "end_turn" },
  ]);
  expect(r.result).toMatchObject({ ok: true, text: "part one part two", turns: 2 });
  expect(r.gw.calls()[1]!.body.messages.at(-1).content).toContain("cut off by the output token limit");
  const capped = await runScripted([1, 2, 3, 4, 5].map((n) => ({ text: `p${n} `, stop: "max_tokens" as const })));
  expect(capped.result).toMatchObject({ ok: true, turns: 4, text: "p1 p2 p3 p4 " });
});

test("tool calls written as plain text by weak models are run as real calls", async () => {
  const r = await runScripted([
    { text: 'Let me look.\n<tool_call>\n{"name": "Write", "arguments": {"file_path": "n.txt", "content": "hi"}}\n</tool_call>' },
    { text: '```json\n{"name": "Read", "input": {"file_path": "n.txt"}}\n```' },
    { text: "It says hi." },
  ]);
  expect(readFileSync(join(r.root, "n.txt"), "utf8")).toBe("hi");
  expect(r.events.filter((e) => e.type === "warning").map((e) => e.type === "warning" && e.code)).toEqual([
    "text_tool_call",
    "text_tool_call",
  ]);
  expect(lastResults(r.gw)[0]!.content).toBe("     1\thi\n");
  expect(r.result).toMatchObject({ ok: true, text: "It says hi." });
  // prose that merely mentions JSON is left alone
  const plain = await runScripted([{ text: 'Use {"name": "x"} in config.' }]);
  expect(plain.result).toMatchObject({ ok: true, turns: 1 });
});

test("abort: the running command is killed, the partial answer kept, history valid", async () => {
  const ac = new AbortController();
  const r = await runScripted(
    [{ text: "Running it. ", tools: [{ name: "Bash", input: { command: "echo $$ > shell.pid; echo started; sleep 30" } }] }, { text: "x" }],
    {
      signal: ac.signal,
      policy: { allow: ["Bash"] },
      onEvent: (e) => e.type === "tool.output" && ac.abort(new DOMException("interrupted", "AbortError")),
    },
  );
  expect(r.result).toMatchObject({ ok: false, error: { code: "interrupted" } });
  // killed, not left to finish its 30 s sleep
  const pid = Number(readFileSync(join(r.root, "shell.pid"), "utf8"));
  await waitFor(() => !alive(pid), { timeoutMs: 5000, what: `the interrupted command (pid ${pid}) to be gone` });
  expect(r.events.find((e) => e.type === "tool.completed")).toMatchObject({ ok: false, output: "started\n\n[interrupted by the user]" });
  expect(r.messages.at(-1)!.role).toBe("user");
});

test("abort mid-stream keeps the partial text", async () => {
  const ac = new AbortController();
  const r = await runScripted([{ text: "one two three four five six", delayMs: 30 }], {
    signal: ac.signal,
    onEvent: (e) => e.type === "text.delta" && e.text.startsWith("two") && ac.abort(),
  });
  expect(r.result.ok).toBe(false);
  expect(r.result.text).toStartWith("one two");
  expect(r.messages.at(-1)).toMatchObject({ role: "assistant" });
});

test("SubAgent: children run in parallel with read-only tools; their answer and cost come back", async () => {
  // The two children share the script, so a child's reply follows from what it asks, never from arrival order.
  const asked = new Set<string>();
  const child = async (rec: Recorded): Promise<Reply> => {
    const msgs = rec.body.messages;
    if (msgs.length > 1) return { text: `found ${JSON.stringify(msgs.at(-1).content[0].content)}` };
    const letter = String(msgs[0].content).slice(-2, -1);
    // Each child's first call is answered only once the other's has arrived: children run one after the other
    // would leave the first one waiting here until the deadline.
    asked.add(letter);
    await waitFor(() => asked.size === 2, { timeoutMs: 5000, what: `the other child to call the model while "${letter}" waits` });
    return { tools: [{ name: "Grep", input: { pattern: letter } }] };
  };
  const r = await runScripted(
    [
      {
        tools: [
          { name: "SubAgent", input: { description: "find a", prompt: "where is a?" } },
          { name: "SubAgent", input: { description: "find b", prompt: "where is b?" } },
        ],
      },
      child,
      child,
      child,
      child,
      { text: "both found" },
    ],
    { subagents: true, setup: (root) => (writeFileSync(join(root, "a.txt"), "a"), writeFileSync(join(root, "b.txt"), "b")) },
  );
  const subCalls = r.gw.calls().slice(1, 5);
  expect(subCalls.every((c) => c.body.tools.map((t: { name: string }) => t.name).join() === "Read,Glob,Grep,WebFetch,WebSearch")).toBe(
    true,
  );
  expect(
    lastResults(r.gw)
      .map((b) => b.content)
      .sort(),
  ).toEqual(['found "a.txt"', 'found "b.txt"']);
  expect(r.events.filter((e) => e.type === "usage")).toHaveLength(6);
  expect(r.result).toMatchObject({ ok: true, text: "both found" });
});

test("interactive approval: 'no' is returned to the model; an approved path outside the project can be read", async () => {
  const outsideDir = realpathSync(tempDir());
  writeFileSync(join(outsideDir, "notes.txt"), "outside");
  const asked: string[] = [];
  const r = await runScripted(
    [
      {
        tools: [
          { name: "Bash", input: { command: "ls" } },
          { name: "Read", input: { file_path: join(outsideDir, "notes.txt") } },
        ],
      },
      { text: "ok" },
    ],
    {
      approve: async (req) => {
        asked.push(`${req.tool}: ${req.reason}`);
        return req.tool === "Bash" ? "no" : "yes";
      },
    },
  );
  expect(asked.sort()).toEqual(["Bash: Bash needs permission", `Read: ${join(outsideDir, "notes.txt")} is outside the project`]);
  expect(lastResults(r.gw).map((b) => b.content)).toEqual([
    "Permission denied: the user declined. Do not retry this call; continue without it or explain what you need.",
    "     1\toutside\n",
  ]);
});
