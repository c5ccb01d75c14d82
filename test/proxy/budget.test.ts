// Output budgets through the proxy: the client's max_tokens is an upper bound; an answer that stops at the lowered
// budget is continued upstream and reaches the client as one answer, equal to what its own budget would have given.
import { afterEach, expect, test } from "bun:test";
import { proxyRig, type ProxyRig } from "./setup";

let r: ProxyRig;
afterEach(() => r?.stop());

const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`).join(" ");
const LONG = words(4000); // about 5,600 fake tokens
const write = {
  name: "Write",
  description: "write a file",
  input_schema: { type: "object" as const, properties: { content: { type: "string" } } },
};
const read = {
  name: "Read",
  description: "read a file",
  input_schema: { type: "object" as const, properties: { path: { type: "string" } } },
};
const ask = { model: "claude-opus-4-6", max_tokens: 32000, messages: [{ role: "user" as const, content: "hi" }] };

const budgets = () => r.gw.calls().map((c) => c.body.max_tokens);

for (const stream of [false, true])
  test(`${stream ? "streamed" : "not streamed"}: a long answer is continued until whole and arrives as one message`, async () => {
    r = await proxyRig({ script: [{ text: LONG }] });
    const m = stream
      ? await r.anthropic().messages.stream(ask).finalMessage()
      : await r.anthropic().messages.create(ask, { timeout: 60_000 });
    expect(m.content).toEqual([{ type: "text", text: LONG }] as never);
    expect(m.stop_reason).toBe("end_turn");
    expect(budgets()).toEqual([1024, 2048, 4096]);
    // Each continuation carries the text so far as the assistant's prefill (without trailing whitespace).
    const last = r.gw.calls()[2]!.body.messages.at(-1);
    expect(last.role).toBe("assistant");
    expect(LONG.startsWith(last.content[0].text)).toBe(true);
    expect(last.content[0].text).toBe(last.content[0].text.trimEnd());
    expect(m.usage.output_tokens).toBe(1024 + 2048 + Math.ceil((LONG.length - 3072 * 4) / 4));
  });

for (const stream of [false, true])
  test(`${stream ? "streamed" : "not streamed"}: a tool call cut mid-JSON is never sent; the continuation writes it whole`, async () => {
    const content = "y".repeat(12_000); // 3,000 fake tokens of JSON
    r = await proxyRig({ script: [{ text: "Writing it.", tools: [{ name: "Write", input: { content }, id: "toolu_w" }] }] });
    const body = { ...ask, messages: [{ role: "user" as const, content: "hi" }], tools: [write] };
    const m = stream
      ? await r.anthropic().messages.stream(body).finalMessage()
      : await r.anthropic().messages.create(body, { timeout: 60_000 });
    expect(m.content).toEqual([
      { type: "text", text: "Writing it." },
      { type: "tool_use", id: "toolu_w", name: "Write", input: { content } },
    ] as never);
    expect(m.stop_reason).toBe("tool_use");
    expect(budgets()).toEqual([1024, 2048, 4096]);
  });

test("complete calls before a cut one: the answer ends with them (the model sends the rest next time)", async () => {
  r = await proxyRig({
    script: [
      {
        tools: [
          { name: "Read", input: { path: "a.ts" }, id: "toolu_r" },
          { name: "Write", input: { content: "z".repeat(8000) } },
        ],
      },
    ],
  });
  const m = await r
    .anthropic()
    .messages.stream({ ...ask, tools: [read, write] })
    .finalMessage();
  expect(m.content).toEqual([{ type: "tool_use", id: "toolu_r", name: "Read", input: { path: "a.ts" } }] as never);
  expect(m.stop_reason).toBe("tool_use");
  expect(budgets()).toEqual([1024]);
});

test("the client's own budget goes upstream with extended thinking, with output-budget client, and over Chat Completions", async () => {
  r = await proxyRig({ script: [{ thinking: "hmm", text: "pong" }] });
  await r.anthropic().messages.create({ ...ask, thinking: { type: "enabled", budget_tokens: 2048 } }, { timeout: 60_000 });
  expect(budgets()).toEqual([32000]);
  await r.stop();
  r = await proxyRig({ script: [{ text: "pong" }], config: { "output-budget": "client" } });
  await r.anthropic().messages.create(ask, { timeout: 60_000 });
  expect(budgets()).toEqual([32000]);
  await r.stop();
  r = await proxyRig({ script: [{ text: "pong" }] });
  await r
    .openai()
    .chat.completions.create({ model: "anthropic/claude-opus-4.6", max_tokens: 32000, messages: [{ role: "user", content: "hi" }] });
  expect(budgets()).toEqual([32000]);
});

test("adaptive thinking (Claude Code's default) is lowered too; an answer cut there is asked for again whole with the client's budget", async () => {
  r = await proxyRig({ script: [{ text: "pong" }, { thinking: "long", text: LONG }] });
  const adaptive = { ...ask, thinking: { type: "adaptive" } } as never;
  const short = await r.anthropic().messages.stream(adaptive).finalMessage();
  expect(short.content).toEqual([{ type: "text", text: "pong" }] as never);
  const long = await r.anthropic().messages.stream(adaptive).finalMessage();
  expect(long.content.filter((b) => b.type === "text")).toEqual([{ type: "text", text: LONG }] as never);
  expect(long.stop_reason).toBe("end_turn");
  expect(budgets()).toEqual([4096, 4096, 32000]);
});
