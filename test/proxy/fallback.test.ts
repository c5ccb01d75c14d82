// Fallback only before the first byte reached the client; errors in the client's own error shape.
import { afterEach, describe, expect, test } from "bun:test";
import { proxyRig, raw, type ProxyRig, json } from "./setup";

let r: ProxyRig;
afterEach(() => r?.stop());

const ask = { max_tokens: 1000, messages: [{ role: "user" as const, content: "hi" }] };

describe("fallback", () => {
  test("a 503 moves to the next model and the client sees only the answer", async () => {
    r = await proxyRig({ script: [{ fault: { status: 503, body: "upstream down" } }, { text: "from the fallback" }] });
    const m = await r.anthropic().messages.create({ model: "openai/gpt-5.4", ...ask });
    expect((m.content[0] as { text: string }).text).toBe("from the fallback");
    const models = r.gw.calls().map((c) => c.body.model as string);
    expect(models[0]).toBe("openai/gpt-5.4");
    // an explicit model falls back to the free pool only: a failure never becomes a surprise paid model
    expect(models[1]).toStartWith("nvidia/");
    expect(r.lines[0]).toContain("openai/gpt-5.4 → nvidia/");
  });

  test("429 and 529 on a routed profile fall back along the router's chain, streaming too", async () => {
    r = await proxyRig({
      script: [
        { fault: { status: 429 } },
        { fault: { status: 529, body: JSON.stringify({ type: "error", error: { type: "overloaded_error", message: "Overloaded" } }) } },
        { text: "third time" },
      ],
    });
    const m = await r
      .anthropic()
      .messages.stream({ model: "blockrun/auto", ...ask })
      .finalMessage();
    expect((m.content[0] as { text: string }).text).toBe("third time");
    const models = r.gw.calls().map((c) => c.body.model);
    expect(new Set(models).size).toBe(3);
  });

  test("an empty (degraded) non-streamed answer falls back", async () => {
    r = await proxyRig({ script: [{ text: "" }, { text: "a real answer" }] });
    const m = await r.anthropic().messages.create({ model: "nvidia/gpt-oss-120b", ...ask });
    expect((m.content[0] as { text: string }).text).toBe("a real answer");
    expect(r.gw.calls()).toHaveLength(2);
  });

  test("a non-streamed answer that repeats itself falls back (the one policy's repetition rule)", async () => {
    r = await proxyRig({ script: [{ text: `Sure. ${"I will fix it. ".repeat(40)}` }, { text: "a real answer" }] });
    const m = await r.anthropic().messages.create({ model: "nvidia/gpt-oss-120b", ...ask });
    expect((m.content[0] as { text: string }).text).toBe("a real answer");
    expect(r.gw.calls()).toHaveLength(2);
    expect(r.lines[0]).toContain("(repetition)");
  });

  test("a 404 is an unknown model: the next model is tried, as in ask (the one policy)", async () => {
    r = await proxyRig({
      script: [{ fault: { status: 404, body: JSON.stringify({ error: "not here" }) } }, { text: "from the fallback" }],
    });
    const m = await r.anthropic().messages.create({ model: "openai/gpt-5.4", ...ask });
    expect((m.content[0] as { text: string }).text).toBe("from the fallback");
    expect(r.gw.calls().map((c) => c.body.model as string)[1]).toStartWith("nvidia/");
    expect(r.lines[0]).toContain("(unknown_model)");
  });

  test("an error after bytes were sent is not retried: the stream ends with an error event", async () => {
    r = await proxyRig({
      script: [{ text: "a long answer that will be cut off somewhere in the middle of it", fault: "cut" }, { text: "never used" }],
    });
    const err = await r
      .anthropic()
      .messages.stream({ model: "nvidia/qwen3-coder-480b", ...ask })
      .finalMessage()
      .catch((e) => e);
    expect(err).toBeInstanceOf(Error);
    expect(String(err.message)).toContain("ended before the answer was complete");
    expect(r.gw.calls()).toHaveLength(1);
  });

  test("--no-fallback: the first failure is the answer, in Anthropic's error shape", async () => {
    r = await proxyRig({
      script: [{ fault: { status: 503, body: JSON.stringify({ error: "Service Unavailable", details: "try later" }) } }],
      opts: { fallback: false },
    });
    const res = await raw(r.url, "/v1/messages", { body: JSON.stringify({ model: "openai/gpt-5.4", ...ask }) });
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ type: "error", error: { type: "api_error", message: "Service Unavailable: try later" } });
    expect(r.gw.calls()).toHaveLength(1);
  });

  test("a 400 is the request's own fault: never retried, shown as invalid_request_error", async () => {
    r = await proxyRig({ script: [{ fault: { status: 400, body: JSON.stringify({ error: { message: "messages: too long" } }) } }] });
    const err = await r
      .anthropic()
      .messages.create({ model: "openai/gpt-5.4", ...ask })
      .catch((e) => e);
    expect(err.status).toBe(400);
    expect(err.error).toEqual({ type: "error", error: { type: "invalid_request_error", message: "messages: too long" } });
    expect(r.gw.calls()).toHaveLength(1);
  });

  test("when every model fails the last error is returned (429 → rate_limit_error)", async () => {
    r = await proxyRig({
      script: Array.from({ length: 8 }, () => ({ fault: { status: 429, body: JSON.stringify({ error: { message: "slow down" } }) } })),
    });
    const res = await raw(r.url, "/v1/messages", { body: JSON.stringify({ model: "openai/gpt-5.4", ...ask }) });
    expect(res.status).toBe(429);
    expect((await json(res)).error.type).toBe("rate_limit_error");
    expect(r.gw.calls().length).toBeGreaterThan(1);
    expect(r.gw.calls().length).toBeLessThanOrEqual(5);
  });
});
