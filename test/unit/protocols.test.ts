// Both wire protocols over real HTTP against the fake gateway: text, thinking, tool calls, usage, stop reasons.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ActionableError } from "../../src/core/errors";
import { Gateway } from "../../src/gateway/client";
import { chat, type Protocol } from "../../src/llm/chat";
import type { StreamEvent } from "../../src/llm/types";
import { type FakeGateway, startFakeGateway } from "../fake-gateway";

let gw: FakeGateway;
beforeAll(async () => {
  gw = await startFakeGateway();
});
afterAll(() => gw.stop());

const client = (fetchImpl?: (r: Request) => Promise<Response>) =>
  new Gateway({ baseUrl: gw.url, userAgent: "runcode/test", fetch: fetchImpl });
async function collect(protocol: Protocol, tools = false) {
  const out: StreamEvent[] = [];
  const req = {
    model: "anthropic/claude-sonnet-4.6",
    system: "sys",
    messages: [{ role: "user" as const, content: "hi" }],
    maxTokens: 100,
    ...(tools ? { tools: [{ name: "Read", description: "read", input_schema: { type: "object" } }] } : {}),
  };
  for await (const e of chat(client(), protocol, req)) out.push(e);
  return out;
}

describe.each(["messages", "chat-completions"] as const)("%s protocol", (protocol) => {
  test("text, reasoning, usage and stop reason", async () => {
    gw.push({ text: "Hello world", thinking: "let me think", usage: { input: 30, output: 4 } });
    const events = await collect(protocol);
    expect(
      events
        .filter((e) => e.type === "text")
        .map((e) => (e as { text: string }).text)
        .join(""),
    ).toBe("Hello world");
    expect(events.some((e) => e.type === "thinking")).toBe(true);
    const done = events.at(-1) as Extract<StreamEvent, { type: "done" }>;
    expect(done).toMatchObject({ type: "done", stop: "end_turn", usage: { input: 30, output: 4 }, model: "anthropic/claude-sonnet-4.6" });
    expect(done.content.find((b) => b.type === "text")).toEqual({ type: "text", text: "Hello world" });
  });

  test("tool calls arrive whole, with their JSON input reassembled", async () => {
    gw.push({
      tools: [
        { name: "Read", input: { file_path: "a.ts", limit: 5 }, id: "t1" },
        { name: "Grep", input: { pattern: "x" }, id: "t2" },
      ],
    });
    const events = await collect(protocol, true);
    const done = events.at(-1) as Extract<StreamEvent, { type: "done" }>;
    expect(done.stop).toBe("tool_use");
    expect(done.content.filter((b) => b.type === "tool_use")).toEqual([
      { type: "tool_use", id: "t1", name: "Read", input: { file_path: "a.ts", limit: 5 } },
      { type: "tool_use", id: "t2", name: "Grep", input: { pattern: "x" } },
    ]);
    expect(events.filter((e) => e.type === "tool_use.done")).toHaveLength(2);
    const body = gw.calls().at(-1)!.body;
    if (protocol === "messages") expect(body.tools[0]).toMatchObject({ name: "Read", input_schema: { type: "object" } });
    else
      expect(body.tools[0]).toEqual({ type: "function", function: { name: "Read", description: "read", parameters: { type: "object" } } });
  });

  test("max_tokens stop is reported", async () => {
    gw.push({ text: "partial", stop: "max_tokens" });
    const done = (await collect(protocol)).at(-1) as Extract<StreamEvent, { type: "done" }>;
    expect(done.stop).toBe("max_tokens");
  });
});

describe("messages protocol details", () => {
  test("anthropic models get prompt-caching headers and marks; others do not", async () => {
    gw.push({ text: "a" }, { text: "b" });
    await collect("messages");
    const cached = gw.calls().at(-1)!;
    expect(cached.headers["anthropic-beta"]).toBe("prompt-caching-2024-07-31");
    expect(cached.headers["anthropic-version"]).toBe("2023-06-01");
    expect(cached.body.system[0].cache_control).toEqual({ type: "ephemeral" });
    for await (const _ of chat(client(), "messages", {
      model: "nvidia/gpt-oss-120b",
      system: "s",
      messages: [{ role: "user", content: "hi" }],
      maxTokens: 10,
    }));
    const plain = gw.calls().at(-1)!;
    expect(plain.headers["anthropic-beta"]).toBeUndefined();
    expect(plain.body.system).toBe("s");
  });

  test("an error event mid-stream becomes a one-line stream error", async () => {
    const g = await startFakeGateway({
      intercept: () =>
        new Response(
          'event: message_start\ndata: {"type":"message_start","message":{"model":"m","usage":{}}}\n\nevent: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n',
          { headers: { "content-type": "text/event-stream" } },
        ),
    });
    const gwc = new Gateway({ baseUrl: g.url, userAgent: "t" });
    const run = async () => {
      for await (const _ of chat(gwc, "messages", { model: "m", messages: [{ role: "user", content: "x" }], maxTokens: 5 }));
    };
    await expect(run()).rejects.toThrow(/Overloaded.*overloaded/);
    await g.stop();
  });
});

describe("gateway errors", () => {
  test("a DNS failure says so and names the fix", async () => {
    const gwc = client(async () => {
      throw Object.assign(new Error("getaddrinfo ENOTFOUND blockrun.example"), { code: "ENOTFOUND" });
    });
    const err = await gwc.post("/v1/messages", {}).catch((e) => e);
    expect(err).toBeInstanceOf(ActionableError);
    expect(err.message).toMatch(/cannot reach the gateway .*\(DNS lookup failed\).*RUNCODE_API_URL/);
    expect(err.code).toBe("gateway_unreachable");
  });

  test("a 4xx with a plain-text body keeps the text", async () => {
    const g = await startFakeGateway({ script: [{ fault: { status: 403, body: "forbidden by policy", contentType: "text/plain" } }] });
    const err = await new Gateway({ baseUrl: g.url, userAgent: "t" }).post("/v1/messages", {}).catch((e) => e);
    expect(err.message).toContain("gateway answered 403 Forbidden: forbidden by policy");
    await g.stop();
  });

  test("a 402 with no payer is the setup hint with exit 3", async () => {
    const g = await startFakeGateway({ script: [{ fault: { status: 402, body: "{}" } }] });
    const err = await new Gateway({ baseUrl: g.url, userAgent: "t" })
      .post("/v1/messages", {}, { model: "anthropic/claude-opus-4.6" })
      .catch((e) => e);
    expect(err.exit).toBe(3);
    expect(err.message).toContain("anthropic/claude-opus-4.6 is a paid model");
    await g.stop();
  });
});
