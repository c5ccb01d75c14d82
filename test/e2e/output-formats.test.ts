// Claude Code's formats through the real CLI against the fake gateway: `--output-format stream-json|json` checked
// against the Agent SDK's own types (compiled, and field by field at run time) and read by the SDK's own query();
// `--json-schema` (valid at once, after the one retry, never); `-o FILE`.
import { afterEach, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { conforms, sdkRead, sdkTypes } from "../claude-sdk";
import { startFakeGateway, type FakeGateway, type Script } from "../fake-gateway";
import { fakeX402 } from "../fake-x402";
import { cleanup, cliEnv, jsonLines, ROOT, runCli, tempDir } from "../helpers";
import { walletEnv } from "../wallet";

const FREE = "nvidia/qwen3-coder-480b";
const SCHEMA = {
  type: "object",
  properties: { answer: { type: "number" } },
  required: ["answer"],
  additionalProperties: false,
};
const dirs: string[] = [];
let gw: FakeGateway | undefined;
afterEach(async () => {
  await gw?.stop();
  gw = undefined;
  cleanup(...dirs.splice(0));
});

/** A project with notes.txt and the schema file, and a fake gateway with `script`. */
async function project(script: Script[], o: { paid?: ReturnType<typeof fakeX402> } = {}) {
  const home = tempDir();
  dirs.push(home);
  writeFileSync(join(home, "notes.txt"), "hello from the notes\n");
  writeFileSync(join(home, "schema.json"), JSON.stringify(SCHEMA));
  gw = await startFakeGateway({ script, intercept: o.paid?.intercept });
  const env = { RUNCODE_API_URL: gw.url, ...(o.paid ? walletEnv() : {}) };
  return { home, env, run: (args: string[]) => runCli(["ask", ...args], { home, env }) };
}

const READ_THEN_ANSWER: Script[] = [
  { text: "Let me look.", tools: [{ name: "Read", input: { file_path: "notes.txt" }, id: "toolu_read" }] },
  { text: "It says hello." },
];

/** A line as `type/subtype` or `type:block` (assistant and user messages carry one block each). */
const kind = (l: any) =>
  l.type === "assistant" || l.type === "user"
    ? `${l.type}:${l.message.content.map((b: any) => b.type).join("+")}`
    : `${l.type}/${l.subtype}`;

test("runcode's messages are assignable to the Agent SDK's message types (tsc over test/claude-sdk-types.ts)", () => {
  expect(sdkTypes().errors).toEqual([]);
}, 60_000);

test("stream-json: init first, the tool call and its result as messages, the answer, a result with what the run paid", async () => {
  const x402 = fakeX402();
  const p = await project(READ_THEN_ANSWER, { paid: x402 });
  const r = await p.run(["--output-format", "stream-json", "-m", "anthropic/claude-sonnet-4.6", "what is in notes.txt?"]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  const lines = jsonLines(r.stdout);
  for (const l of lines) expect({ line: kind(l), problems: conforms(l) }).toEqual({ line: kind(l), problems: [] });
  expect(lines.map(kind)).toEqual([
    "system/init",
    "assistant:text",
    "assistant:tool_use",
    "user:tool_result",
    "assistant:text",
    "result/success",
  ]);
  const [init, narration, call, toolResult, answer, result] = lines;
  expect(init).toMatchObject({ cwd: p.home, model: "anthropic/claude-sonnet-4.6", permissionMode: "default", mcp_servers: [] });
  expect(init.tools).toContain("Read");
  expect(init.session_id).toMatch(/^ses_/);
  for (const l of lines) expect(l.session_id).toBe(init.session_id);
  expect(new Set(lines.map((l) => l.uuid)).size).toBe(lines.length);
  expect(narration.message.content).toEqual([{ type: "text", text: "Let me look.", citations: null }]);
  expect(call.message.content).toEqual([{ type: "tool_use", id: "toolu_read", name: "Read", input: { file_path: "notes.txt" } }]);
  expect(call.message.id).toBe(narration.message.id);
  expect(toolResult.message).toEqual({
    role: "user",
    content: [{ type: "tool_result", tool_use_id: "toolu_read", content: expect.stringContaining("hello from the notes") }],
  });
  expect(answer.message.content).toEqual([{ type: "text", text: "It says hello.", citations: null }]);
  expect(answer.message.id).not.toBe(call.message.id);
  const paid = x402.settled.reduce((n, s) => n + Number(s.amount), 0) / 1e6;
  expect(x402.settled).toHaveLength(2);
  expect(paid).toBeGreaterThan(0);
  expect(result).toMatchObject({
    is_error: false,
    num_turns: 2,
    result: "It says hello.",
    stop_reason: "end_turn",
    permission_denials: [],
  });
  expect(result.total_cost_usd).toBeCloseTo(paid, 12);
  expect(result.modelUsage["anthropic/claude-sonnet-4.6"].costUSD).toBeCloseTo(paid, 12);
  expect(result.usage).toMatchObject({ input_tokens: 24, output_tokens: 14, cache_read_input_tokens: 0 });
  expect(result.duration_ms).toBeGreaterThanOrEqual(result.duration_api_ms);
}, 30_000);

test("the Agent SDK's query() reads runcode's stream-json as it reads Claude Code's", async () => {
  const p = await project(READ_THEN_ANSWER);
  const messages = await sdkRead("what is in notes.txt?", ["-m", FREE], { home: p.home, cwd: p.home, env: p.env });
  expect(messages.map(kind)).toEqual([
    "system/init",
    "assistant:text",
    "assistant:tool_use",
    "user:tool_result",
    "assistant:text",
    "result/success",
  ]);
  const result = messages.at(-1)!;
  expect(result.type === "result" && result.subtype === "success" && result.result).toBe("It says hello.");
  // The SDK sent runcode the prompt it was given.
  expect(JSON.stringify(gw!.calls()[0]!.body.messages[0])).toContain("what is in notes.txt?");
}, 60_000);

test("--output-format json: Claude Code's one result object; a run stopped at --max-turns is error_max_turns", async () => {
  const p = await project([...READ_THEN_ANSWER, READ_THEN_ANSWER[0]!]);
  const ok = await p.run(["--output-format", "json", "-m", FREE, "what is in notes.txt?"]);
  expect(ok.code).toBe(0);
  expect(ok.stdout.trim().split("\n")).toHaveLength(1);
  const result = JSON.parse(ok.stdout);
  expect(conforms(result)).toEqual([]);
  expect(result).toMatchObject({ type: "result", subtype: "success", is_error: false, result: "It says hello.", num_turns: 2 });
  expect(result.total_cost_usd).toBe(0);
  expect(result.structured_output).toBeUndefined();

  const stopped = await p.run(["--output-format", "json", "--max-turns", "1", "-m", FREE, "what is in notes.txt?"]);
  expect(stopped.code).toBe(1);
  const failed = JSON.parse(stopped.stdout);
  expect(conforms(failed)).toEqual([]);
  expect(failed).toMatchObject({ subtype: "error_max_turns", is_error: true, num_turns: 1 });
  expect(failed.errors).toHaveLength(1);
  expect(stopped.stderr.trim()).toBe(`error: ${failed.errors[0]}`);
}, 30_000);

test("--output-format refuses another value and --jsonl/--json beside it (exit 2)", async () => {
  const p = await project([]);
  const bad = await p.run(["--output-format", "yaml", "hi"]);
  expect({ code: bad.code, stdout: bad.stdout }).toEqual({ code: 2, stdout: "" });
  expect(bad.stderr).toContain("--output-format must be text, json or stream-json");
  const both = await p.run(["--output-format", "stream-json", "--jsonl", "hi"]);
  expect(both.code).toBe(2);
  expect(both.stderr).toContain("--output-format and --jsonl");
  expect(gw!.calls()).toHaveLength(0);
});

test("--json-schema: an answer valid at once is stdout's JSON; the model was told the schema", async () => {
  const p = await project([{ text: '{ "answer": 42 }' }]);
  const r = await p.run(["--json-schema", "schema.json", "-m", FREE, "the answer?"]);
  expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 0, stdout: '{"answer":42}\n' });
  const calls = gw!.calls();
  expect(calls).toHaveLength(1);
  expect(calls[0]!.body.system).toContain(`JSON Schema`);
  expect(calls[0]!.body.system).toContain(JSON.stringify(SCHEMA, null, 2));
});

test("--json-schema: an invalid answer is sent back once with the errors; the second is structured_output", async () => {
  const p = await project([{ text: '{"answer": "forty-two"}' }, { text: '```json\n{"answer": 42}\n```' }]);
  const r = await p.run(["--output-format", "json", "--json-schema", "schema.json", "-m", FREE, "the answer?"]);
  expect(r.code).toBe(0);
  const result = JSON.parse(r.stdout);
  expect(conforms(result)).toEqual([]);
  expect(result).toMatchObject({ subtype: "success", structured_output: { answer: 42 }, result: '{"answer":42}', num_turns: 2 });
  expect(result.usage).toMatchObject({ input_tokens: 24, output_tokens: 14 });
  const calls = gw!.calls();
  expect(calls).toHaveLength(2);
  const retry = JSON.stringify(calls[1]!.body.messages.at(-1));
  expect(retry).toContain("does not match the JSON Schema");
  expect(retry).toContain("at /answer: must be number");
  // The retry is the same conversation: the model sees its own answer.
  expect(JSON.stringify(calls[1]!.body.messages)).toContain("forty-two");
});

test("--json-schema: an answer invalid twice ends the run (exit 1) with one line naming the first error", async () => {
  const p = await project([{ text: '{"answer": "x"}' }, { text: '{"answer": "still not"}' }]);
  const r = await p.run(["--json-schema", "schema.json", "-m", FREE, "the answer?"]);
  expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 1, stdout: "" });
  expect(r.stderr.trim().split("\n")).toEqual([
    "error: the answer does not match the JSON Schema (after one retry): at /answer: must be number",
  ]);
  expect(gw!.calls()).toHaveLength(2);

  gw!.push({ text: "no JSON here" }, { text: "[1, 2]" });
  const s = await p.run(["--output-format", "stream-json", "--json-schema", "schema.json", "-m", FREE, "the answer?"]);
  expect(s.code).toBe(1);
  const result = jsonLines(s.stdout).at(-1);
  expect(conforms(result)).toEqual([]);
  expect(result).toMatchObject({ subtype: "error_max_structured_output_retries", is_error: true, num_turns: 2 });
  expect(result.errors).toEqual(["the answer does not match the JSON Schema (after one retry): at /: must be object"]);
});

test("--json-schema refuses a file that is not a schema before anything is sent (exit 2)", async () => {
  const p = await project([]);
  writeFileSync(join(p.home, "bad.json"), '{"type": "nonsense"}');
  const bad = await p.run(["--json-schema", "bad.json", "-m", FREE, "hi"]);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain("--json-schema bad.json is not a valid JSON Schema");
  const missing = await p.run(["--output-format", "stream-json", "--json-schema", "nope.json", "-m", FREE, "hi"]);
  expect(missing.code).toBe(2);
  expect(jsonLines(missing.stdout).map(kind)).toEqual(["system/init", "result/error_during_execution"]);
  expect(gw!.calls()).toHaveLength(0);
});

test("-o FILE gets the final answer, beside the normal output; with --json-schema, the JSON", async () => {
  const p = await project([...READ_THEN_ANSWER, { text: '{"answer": 7}' }]);
  const r = await p.run(["-o", "out/last.txt", "-m", FREE, "what is in notes.txt?"]);
  expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 0, stdout: "It says hello.\n" });
  expect(readFileSync(join(p.home, "out", "last.txt"), "utf8")).toBe("It says hello.");
  const s = await p.run([
    "--output-last-message",
    "out/last.txt",
    "--output-format",
    "stream-json",
    "--json-schema",
    "schema.json",
    "-m",
    FREE,
    "n?",
  ]);
  expect(s.code).toBe(0);
  expect(jsonLines(s.stdout).at(-1)).toMatchObject({ structured_output: { answer: 7 } });
  expect(readFileSync(join(p.home, "out", "last.txt"), "utf8")).toBe('{"answer":7}');
});

test("ajv is loaded only by a run given --json-schema", async () => {
  const p = await project([{ text: "plain" }, { text: '{"answer": 1}' }]);
  const probe = join(p.home, "loaded.ts");
  writeFileSync(probe, `process.on("exit", () => process.stderr.write(JSON.stringify(Object.keys(require.cache))));`);
  const loaded = async (args: string[]) => {
    const proc = Bun.spawn([process.execPath, "--preload", probe, join(ROOT, "src", "main.ts"), "ask", "-q", "-m", FREE, ...args, "hi"], {
      cwd: p.home,
      env: cliEnv(p.home, p.env),
      stdout: "pipe",
      stderr: "pipe",
    });
    const [stderr, code] = await Promise.all([new Response(proc.stderr).text(), proc.exited]);
    expect(code).toBe(0);
    // The module list is the last thing on stderr.
    return (JSON.parse(stderr.slice(stderr.lastIndexOf('["'))) as string[])
      .map((f) => relative(ROOT, f))
      .filter((f) => f.startsWith("node_modules/ajv/"));
  };
  expect(await loaded([])).toEqual([]);
  expect((await loaded(["--json-schema", "schema.json"])).length).toBeGreaterThan(0);
});
