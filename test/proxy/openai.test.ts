// The official OpenAI SDK (Cursor, Continue, aider, codex speak this) through the proxy.
import { afterEach, describe, expect, test } from "bun:test";
import { proxyRig, type ProxyRig } from "./setup";

let r: ProxyRig;
afterEach(() => r?.stop());

const tools = [
  {
    type: "function" as const,
    function: { name: "Read", description: "read a file", parameters: { type: "object", properties: { path: { type: "string" } } } },
  },
];

describe("OpenAI Chat Completions through the proxy", () => {
  test("non-streaming with tools", async () => {
    r = await proxyRig({ script: [{ tools: [{ name: "Read", input: { path: "a.ts" }, id: "call_1" }] }] });
    const c = await r
      .openai()
      .chat.completions.create({ model: "openai/gpt-5.4", messages: [{ role: "user", content: "read a.ts" }], tools });
    expect(c.choices[0]!.finish_reason).toBe("tool_calls");
    expect(c.choices[0]!.message.tool_calls).toEqual([
      { id: "call_1", type: "function", function: { name: "Read", arguments: '{"path":"a.ts"}' } },
    ]);
    const call = r.gw.calls()[0]!;
    expect(call.path).toBe("/v1/chat/completions");
    expect(call.body.tools).toEqual(tools);
  });

  test("streaming text arrives in pieces and usage is logged", async () => {
    r = await proxyRig({ script: [{ text: "one two three", usage: { input: 9, output: 3 } }] });
    const stream = await r
      .openai()
      .chat.completions.create({ model: "nvidia/gpt-oss-120b", messages: [{ role: "user", content: "count" }], stream: true });
    const parts: string[] = [];
    for await (const chunk of stream) parts.push(chunk.choices[0]?.delta?.content ?? "");
    expect(parts.join("")).toBe("one two three");
    expect(parts.filter(Boolean).length).toBeGreaterThan(1);
    expect(r.lines[0]).toContain("in=9 out=3");
  });

  test("streaming tool calls and reasoning pass through", async () => {
    r = await proxyRig({ script: [{ thinking: "hmm", tools: [{ name: "Read", input: { path: "b.ts" } }] }] });
    const stream = await r
      .openai()
      .chat.completions.create({ model: "sonnet", messages: [{ role: "user", content: "read b.ts" }], tools, stream: true });
    let args = "";
    let reasoning = "";
    for await (const chunk of stream) {
      const d = chunk.choices[0]?.delta as
        | { reasoning_content?: string; tool_calls?: Array<{ function?: { arguments?: string } }> }
        | undefined;
      reasoning += d?.reasoning_content ?? "";
      args += d?.tool_calls?.[0]?.function?.arguments ?? "";
    }
    expect(JSON.parse(args)).toEqual({ path: "b.ts" });
    expect(reasoning).toBe("hmm");
    expect(r.gw.calls()[0]!.body.model).toBe("anthropic/claude-sonnet-4.6");
  });

  test("errors reach OpenAI clients in OpenAI's shape", async () => {
    r = await proxyRig({ script: [{ fault: { status: 400, body: JSON.stringify({ error: { message: "bad things" } }) } }] });
    const err = await r
      .openai()
      .chat.completions.create({ model: "openai/gpt-5.4", messages: [{ role: "user", content: "x" }] })
      .catch((e) => e);
    expect(err.status).toBe(400);
    expect(err.error).toEqual({ message: "bad things", type: "invalid_request_error", code: null });
  });
});
