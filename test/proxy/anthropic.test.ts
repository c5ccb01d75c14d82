// The official Anthropic SDK (a stand-in for Claude Code) through the proxy against the fake gateway.
import { encode } from "gpt-tokenizer";
import { afterEach, describe, expect, test } from "bun:test";
import { HELLO, proxyRig, raw, type ProxyRig, json } from "./setup";

let r: ProxyRig;
afterEach(() => r?.stop());

const msg = { max_tokens: 1000, messages: [{ role: "user" as const, content: "hi" }] };

describe("Anthropic Messages through the proxy", () => {
  test("non-streaming: native Claude id mapped to sonnet-model, answer and usage passed through", async () => {
    r = await proxyRig({ script: [{ text: "hello there", usage: { input: 30, output: 4 } }] });
    const m = await r.anthropic().messages.create({ model: "claude-sonnet-4-6", ...msg });
    expect(m.content).toEqual([{ type: "text", text: "hello there" }] as never);
    expect(m.usage).toMatchObject({ input_tokens: 30, output_tokens: 4 });
    const call = r.gw.calls()[0]!;
    expect(call.path).toBe("/v1/messages");
    expect(call.body.model).toBe("anthropic/claude-sonnet-4.6");
    expect(r.lines[0]).toMatch(
      /^\d\d:\d\d:\d\d POST \/v1\/messages claude-sonnet-4-6 → anthropic\/claude-sonnet-4\.6 200 \d+ms \$0\.0000 in=30 out=4$/,
    );
  });

  test("haiku and opus ids map to their configured models; config overrides the defaults", async () => {
    r = await proxyRig({ script: [{ text: "a" }, { text: "b" }], config: { "haiku-model": "google/gemini-2.5-flash" } });
    await r.anthropic().messages.create({ model: "claude-3-5-haiku-latest", ...msg });
    await r.anthropic().messages.create({ model: "claude-opus-4-1", ...msg });
    expect(r.gw.calls().map((c) => c.body.model)).toEqual(["google/gemini-2.5-flash", "anthropic/claude-opus-4.6"]);
  });

  test("streaming with thinking and tools: every event arrives and the SDK assembles the message", async () => {
    r = await proxyRig({
      script: [{ thinking: "let me think", text: "Reading it.", tools: [{ name: "Read", input: { path: "a.ts" }, id: "toolu_1" }] }],
    });
    const stream = r.anthropic().messages.stream({
      model: "nvidia/qwen3-coder-480b",
      ...msg,
      thinking: { type: "enabled", budget_tokens: 1024 },
      tools: [{ name: "Read", description: "read a file", input_schema: { type: "object", properties: { path: { type: "string" } } } }],
    });
    const kinds: string[] = [];
    stream.on("streamEvent", (e) => kinds.push(e.type));
    const m = await stream.finalMessage();
    expect(m.content).toEqual([
      { type: "thinking", thinking: "let me think", signature: "sig" },
      { type: "text", text: "Reading it." },
      { type: "tool_use", id: "toolu_1", name: "Read", input: { path: "a.ts" } },
    ] as never);
    expect(m.stop_reason).toBe("tool_use");
    expect(kinds).toContain("content_block_delta");
    expect(kinds.at(-1)).toBe("message_stop");
    expect(r.gw.calls()[0]!.body.thinking).toEqual({ type: "enabled", budget_tokens: 1024 });
    expect(r.lines[0]).toContain("in=12 out=7");
  });

  test("the body is forwarded byte for byte when the model needs no mapping", async () => {
    r = await proxyRig({ script: [{ text: "ok" }] });
    const body =
      '{ "max_tokens" : 100,\n "messages":[{"role":"user","content":"hi \\"model\\": x"}], "model": "nvidia/qwen3-coder-480b", "metadata": {"n": 1.50} }';
    const res = await raw(r.url, "/v1/messages", {
      body,
      headers: { "anthropic-version": "2023-06-01", "anthropic-beta": "prompt-caching-2024-07-31" },
    });
    expect(res.status).toBe(200);
    const call = r.gw.calls()[0]!;
    expect(call.raw).toBe(body);
    expect(call.headers["anthropic-version"]).toBe("2023-06-01");
    expect(call.headers["anthropic-beta"]).toBe("prompt-caching-2024-07-31");
  });

  test("mapping changes only the model value; the client's auth never reaches the gateway", async () => {
    r = await proxyRig({ script: [{ text: "ok" }] });
    const body =
      '{"messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":"{\\"model\\":\\"x\\"}"}]}],"model":"claude-sonnet-4-6","max_tokens":100,"extra":1.50}';
    await raw(r.url, "/api/v1/messages", { body, headers: { authorization: "Bearer x402-proxy-handles-auth" } });
    const call = r.gw.calls()[0]!;
    expect(call.raw).toBe(body.replace('"claude-sonnet-4-6"', '"anthropic/claude-sonnet-4.6"'));
    expect(call.headers.authorization).toBeUndefined();
  });

  test("max_tokens above the chosen model's limit is capped (with the output budget off: test/proxy/budget.test.ts)", async () => {
    r = await proxyRig({ script: [{ text: "ok" }], config: { "output-budget": "client" } });
    await raw(r.url, "/v1/messages", {
      body: JSON.stringify({ model: "deepseek/deepseek-chat", max_tokens: 64000, messages: [{ role: "user", content: "hi" }] }),
    });
    expect(r.gw.calls()[0]!.body.max_tokens).toBe(8192);
  });

  test("--model overrides every request; profiles are routed by the router", async () => {
    r = await proxyRig({ script: [{ text: "a" }], opts: { model: "flash" } });
    await r.anthropic().messages.create({ model: "claude-opus-4-1", ...msg });
    expect(r.gw.calls()[0]!.body.model).toBe("google/gemini-2.5-flash");
    await r.stop();
    r = await proxyRig({ script: [{ text: "a" }, { text: "b" }] });
    await r.anthropic().messages.create({ model: "blockrun/free", ...msg });
    await r.anthropic().messages.create({ model: "auto", ...msg });
    const [free, auto] = r.gw.calls().map((c) => c.body.model as string);
    expect(free).toStartWith("nvidia/");
    expect(auto).not.toBe("auto");
    expect(auto).toContain("/");
  });

  test("an unknown model name is a 400 in Anthropic's error shape with a suggestion", async () => {
    r = await proxyRig();
    const res = await raw(r.url, "/v1/messages", {
      body: JSON.stringify({ model: "sonet", max_tokens: 5, messages: [{ role: "user", content: "x" }] }),
    });
    expect(res.status).toBe(400);
    const j = await json(res);
    expect(j.type).toBe("error");
    expect(j.error.type).toBe("invalid_request_error");
    expect(j.error.message).toContain("sonnet");
    expect(r.gw.calls()).toHaveLength(0);
  });

  test("count_tokens is answered locally with the exact o200k count", async () => {
    r = await proxyRig();
    const res = await r.anthropic().messages.countTokens({
      model: "claude-sonnet-4-6",
      system: "x".repeat(400),
      messages: [
        { role: "user", content: "y".repeat(400) },
        { role: "assistant", content: [{ type: "tool_use", id: "t", name: "Read", input: { path: "aaaa" } }] },
      ],
    });
    const plain = { allowedSpecial: new Set<string>(), disallowedSpecial: new Set<string>() };
    const n = (s: string) => encode(s, plain).length;
    // The tokenizer's own counts (a tool_use counts its name and JSON input), plus 4 per message and 8 per tool_use.
    expect(res.input_tokens).toBe(n("x".repeat(400)) + n("y".repeat(400)) + 4 + 4 + 8 + n(`Read ${JSON.stringify({ path: "aaaa" })}`));
    expect(r.gw.requests).toHaveLength(0);
  });

  test("/v1/models lists profiles and the catalog, for both SDKs, with and without /api", async () => {
    r = await proxyRig();
    const a = await r.anthropic().models.list();
    expect(a.data.map((m) => m.id)).toContain("anthropic/claude-sonnet-4.6");
    const o = await r.openai().models.list();
    expect(o.data.map((m) => m.id)).toContain("blockrun/auto");
    expect((await raw(r.url, "/v1/models", { method: "GET" })).status).toBe(200);
  });

  test("/health: status, version, chain, wallet address, uptime; no key material", async () => {
    r = await proxyRig({ paid: true });
    const h = await await json(await raw(r.url, "/health", { method: "GET" }));
    expect(h).toMatchObject({ status: "ok", version: "test", chain: "base", wallet: r.pay!.address, port: r.proxy.port });
    expect(typeof h.uptime).toBe("number");
    const text = JSON.stringify(h).toLowerCase();
    expect(text).not.toContain(r.pay!.secret.toLowerCase().replace(/^0x/, ""));
    expect((await raw(r.url, "/api/health", { method: "GET" })).status).toBe(200);
  });

  test("an unknown path is a 404 in the client's shape", async () => {
    r = await proxyRig();
    const res = await raw(r.url, "/v1/complete", { body: HELLO });
    expect(res.status).toBe(404);
    expect((await json(res)).error.type).toBe("not_found_error");
  });
});
