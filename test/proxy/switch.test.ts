// `use <model>`: answered by the proxy in the client's format, per conversation, nothing sent upstream or paid.
import { afterEach, describe, expect, test } from "bun:test";
import { proxyRig, raw, type ProxyRig, json } from "./setup";

let r: ProxyRig;
afterEach(() => r?.stop());

const convo = (first: string, ...rest: Array<{ role: "user" | "assistant"; content: string }>) => [
  { role: "user" as const, content: first },
  ...rest,
];

describe("in-session model switching", () => {
  test("streamed confirmation as SSE; the next turn of that conversation uses the new model", async () => {
    r = await proxyRig({ script: [{ text: "from gpt" }] });
    const a = r.anthropic();
    const stream = a.messages.stream({
      model: "claude-sonnet-4-6",
      max_tokens: 100,
      messages: convo("fix the bug", { role: "assistant", content: "ok" }, { role: "user", content: "use gpt" }),
    });
    const m = await stream.finalMessage();
    expect((m.content[0] as { text: string }).text).toContain("openai/gpt-5.4");
    expect(r.gw.calls()).toHaveLength(0);
    await a.messages.create({
      model: "claude-sonnet-4-6",
      max_tokens: 100,
      messages: convo(
        "fix the bug",
        { role: "assistant", content: "ok" },
        { role: "user", content: "use gpt" },
        { role: "assistant", content: "switched" },
        { role: "user", content: "go on" },
      ),
    });
    expect(r.gw.calls()[0]!.body.model).toBe("openai/gpt-5.4");
    expect(r.lines[0]).toContain("answered locally");
  });

  test("the switch is per conversation, not global", async () => {
    r = await proxyRig({ script: [{ text: "other" }] });
    await r.anthropic().messages.create({ model: "claude-sonnet-4-6", max_tokens: 100, messages: convo("use flash") });
    await r.anthropic().messages.create({ model: "claude-sonnet-4-6", max_tokens: 100, messages: convo("a different conversation") });
    expect(r.gw.calls()[0]!.body.model).toBe("anthropic/claude-sonnet-4.6");
  });

  test("a session header keys the conversation when the client sends one", async () => {
    r = await proxyRig({ script: [{ text: "a" }, { text: "b" }] });
    const s1 = r.anthropic({ headers: { "x-claude-code-session-id": "s1" } });
    await s1.messages.create({ model: "claude-sonnet-4-6", max_tokens: 100, messages: convo("use deepseek") });
    await s1.messages.create({ model: "claude-sonnet-4-6", max_tokens: 100, messages: convo("unrelated first message") });
    await r
      .anthropic({ headers: { "x-claude-code-session-id": "s2" } })
      .messages.create({ model: "claude-sonnet-4-6", max_tokens: 100, messages: convo("unrelated first message") });
    expect(r.gw.calls().map((c) => c.body.model)).toEqual(["deepseek/deepseek-chat", "anthropic/claude-sonnet-4.6"]);
  });

  test("OpenAI clients get the confirmation as a chat completion, streamed or not", async () => {
    r = await proxyRig();
    const c = await r.openai().chat.completions.create({ model: "gpt", messages: [{ role: "user", content: "use free" }] });
    expect(c.choices[0]!.message.content).toContain("Switched this conversation");
    const stream = await r
      .openai()
      .chat.completions.create({ model: "gpt", messages: [{ role: "user", content: "use opus" }], stream: true });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
    expect(text).toContain("anthropic/claude-opus-4.6");
    expect(r.gw.calls()).toHaveLength(0);
  });

  test("an unknown model is explained locally, nothing switches", async () => {
    r = await proxyRig({ script: [{ text: "x" }] });
    const res = await raw(r.url, "/v1/messages", {
      body: JSON.stringify({ model: "claude-sonnet-4-6", max_tokens: 5, messages: [{ role: "user", content: "use nosuchmodel" }] }),
    });
    expect((await json(res)).content[0]!.text).toContain("Cannot switch");
    expect(r.gw.calls()).toHaveLength(0);
  });

  test("a switch made with the paying proxy pays nothing", async () => {
    r = await proxyRig({ paid: true });
    await r.anthropic().messages.create({ model: "claude-opus-4-1", max_tokens: 100, messages: convo("use opus") });
    expect(r.pay!.x402.settled).toHaveLength(0);
    expect(r.gw.calls()).toHaveLength(0);
  });
});

describe("routing per conversation", () => {
  test("blockrun/auto keeps a conversation's tier: a simple follow-up is not downgraded; another conversation starts afresh", async () => {
    r = await proxyRig({ script: [{ text: "a" }, { text: "b" }, { text: "c" }] });
    const s1 = r.anthropic({ headers: { "x-claude-code-session-id": "pin-1" } });
    await s1.messages.create({
      model: "blockrun/auto",
      max_tokens: 100,
      messages: convo("prove step by step that sqrt(2) is irrational, formally"),
    });
    await s1.messages.create({
      model: "blockrun/auto",
      max_tokens: 100,
      messages: convo(
        "prove step by step that sqrt(2) is irrational, formally",
        { role: "assistant", content: "a" },
        { role: "user", content: "hi" },
      ),
    });
    await r
      .anthropic({ headers: { "x-claude-code-session-id": "pin-2" } })
      .messages.create({ model: "blockrun/auto", max_tokens: 100, messages: convo("hi") });
    const [proof, followUp, other] = r.gw.calls().map((c) => c.body.model);
    expect(followUp).toBe(proof);
    expect(other).not.toBe(proof);
  });
});
