// Captures in each provider's documented wire format (not produced by the fake gateway's encoder), read by the
// protocol parsers the agent uses and by the proxy's meter, whole and cut into small chunks at arbitrary bytes.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as anthropic from "../../src/llm/anthropic";
import * as openai from "../../src/llm/openai";
import type { StreamEvent } from "../../src/llm/types";
import { meter, type Outcome } from "../../src/proxy/meter";

const fixture = (name: string) => readFileSync(join(import.meta.dir, "..", "fixtures", "sse", name));

function body(bytes: Uint8Array, size: number): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(c) {
      for (let i = 0; i < bytes.length; i += size) c.enqueue(bytes.slice(i, i + size));
      c.close();
    },
  });
}

async function parse(proto: typeof anthropic | typeof openai, name: string, size: number): Promise<StreamEvent[]> {
  const out: StreamEvent[] = [];
  for await (const e of proto.stream(
    new Response(body(fixture(name), size), { headers: { "content-type": "text/event-stream; charset=utf-8" } }),
    "requested-model",
  ))
    out.push(e);
  return out;
}

async function metered(name: string, flavor: "anthropic" | "openai", size: number): Promise<{ text: string; outcome: Outcome }> {
  let outcome: Outcome | undefined;
  const text = await new Response(meter(body(fixture(name), size), flavor, (o) => (outcome = o))).text();
  return { text, outcome: outcome! };
}

const SIZES = [1, 7, 64, 1 << 20];

describe("Anthropic Messages captures", () => {
  test.each(SIZES)("text then a tool call whose JSON arrives in pieces (%i-byte chunks)", async (size) => {
    const ev = await parse(anthropic, "anthropic-tool-use.sse", size);
    expect(ev[0]).toEqual({ type: "start", model: "claude-sonnet-4-6", id: "msg_01RcTool7Fixture0000000001" });
    expect(
      ev
        .filter((e) => e.type === "text")
        .map((e) => (e as { text: string }).text)
        .join(""),
    ).toBe("I will look at the config first.");
    expect(ev.find((e) => e.type === "tool_use.start")).toEqual({
      type: "tool_use.start",
      index: 1,
      id: "toolu_01Fixture8ReadConfig00001",
      name: "Read",
    });
    const done = ev.at(-1) as Extract<StreamEvent, { type: "done" }>;
    expect(done).toMatchObject({ type: "done", stop: "tool_use", model: "claude-sonnet-4-6", usage: { input: 1210, output: 61 } });
    expect(done.content).toEqual([
      { type: "text", text: "I will look at the config first." },
      { type: "tool_use", id: "toolu_01Fixture8ReadConfig00001", name: "Read", input: { file_path: "src/config.ts", limit: 40 } },
    ]);
  });

  test.each(SIZES)("extended thinking with its signature, then the answer (%i-byte chunks)", async (size) => {
    const ev = await parse(anthropic, "anthropic-thinking.sse", size);
    expect(
      ev
        .filter((e) => e.type === "thinking")
        .map((e) => (e as { text: string }).text)
        .join(""),
    ).toBe("The user asks which file defines the retry policy.\n\n1. It is imported in loop.ts\n2. so it lives in fallback.ts");
    const done = ev.at(-1) as Extract<StreamEvent, { type: "done" }>;
    expect(done.stop).toBe("end_turn");
    expect(done.usage).toMatchObject({ input: 88, output: 41 });
    expect(done.content[0]).toMatchObject({ type: "thinking", signature: "RnVmaXh0dXJlU2lnbmF0dXJlT2ZUaGlzVGhpbmtpbmdCbG9jaw==" });
    expect(done.content[1]).toEqual({ type: "text", text: "The retry policy is in `src/agent/fallback.ts`." });
  });

  test("an error event mid-answer is a stream error that says the model is overloaded", async () => {
    const err = await parse(anthropic, "anthropic-overloaded.sse", 5).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: "stream_error", summary: "the model failed mid-answer (Overloaded)" });
  });

  test.each(SIZES)("the proxy's meter passes the bytes through unchanged and reads the usage (%i-byte chunks)", async (size) => {
    const m = await metered("anthropic-tool-use.sse", "anthropic", size);
    expect(m.text).toBe(fixture("anthropic-tool-use.sse").toString("utf8"));
    expect(m.outcome.usage).toEqual({ input: 1210, output: 61 });
  });
});

describe("OpenAI Chat Completions captures", () => {
  test.each(SIZES)("streamed text with multibyte characters and a usage-only last chunk (%i-byte chunks)", async (size) => {
    const ev = await parse(openai, "openai-text.sse", size);
    expect(
      ev
        .filter((e) => e.type === "text")
        .map((e) => (e as { text: string }).text)
        .join(""),
    ).toBe("Hello there, 世界!");
    expect(ev.at(-1)).toMatchObject({
      type: "done",
      stop: "end_turn",
      model: "gpt-4o-mini-2024-07-18",
      usage: { input: 19, output: 10 },
      content: [{ type: "text", text: "Hello there, 世界!" }],
    });
  });

  test.each(SIZES)(
    "two tool calls, the first one's arguments in pieces, `usage: null` then a usage chunk (%i-byte chunks)",
    async (size) => {
      const done = (await parse(openai, "openai-tool-calls.sse", size)).at(-1) as Extract<StreamEvent, { type: "done" }>;
      expect(done.stop).toBe("tool_use");
      expect(done.usage).toMatchObject({ input: 82, output: 18 });
      expect(done.content).toEqual([
        { type: "tool_use", id: "call_Fixture0ReadConfig0001", name: "Read", input: { file_path: "src/config.ts" } },
        { type: "tool_use", id: "call_2nd", name: "Glob", input: { pattern: "**/*.ts" } },
      ]);
    },
  );

  test.each(SIZES)("the proxy's meter reads the usage chunk (%i-byte chunks)", async (size) => {
    const m = await metered("openai-text.sse", "openai", size);
    expect(m.text).toBe(fixture("openai-text.sse").toString("utf8"));
    expect(m.outcome.usage).toEqual({ input: 19, output: 10 });
  });
});
