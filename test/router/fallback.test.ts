// shouldFallBack / nextModel as tables, then the chain proven over real HTTP against the fake gateway:
// first model 503 → second answers, and a paid answer is never paid for twice.
import { afterEach, describe, expect, test } from "bun:test";
import { looping, nextModel, shouldFallBack, type Attempt } from "../../src/router";
import { startFakeGateway, type FakeGateway } from "../fake-gateway";
import { TEST_MODELS } from "./catalog";

describe("shouldFallBack", () => {
  test.each([
    [{ status: 429 }, "rate_limited"],
    [{ status: 500 }, "server_error"],
    [{ status: 503 }, "server_error"],
    [{ status: 529 }, "overloaded"],
    [{ status: 400, body: '{"error":{"message":"Unknown model: foo/bar"}}' }, "unknown_model"],
    [{ status: 404, body: "model xyz not found" }, "unknown_model"],
    [{ status: 200, body: '{"type":"error","error":{"type":"overloaded_error"}}' }, "overloaded"],
    [{ networkError: true }, "network"],
    [{ status: 200, answerText: "" }, "empty_answer"],
    [{ status: 200, answerText: "  \n" }, "empty_answer"],
    [{ status: 200, answerText: "", toolCalls: 1 }, null],
    [{ status: 200, answerText: "..." }, "placeholder"],
    [{ status: 200, answerText: "[Your response here]" }, "placeholder"],
    [{ status: 200, answerText: "The model is currently overloaded. Please try again." }, "overloaded"],
    [{ status: 200, answerText: `Sure. ${"I will fix it. ".repeat(40)}` }, "repetition"],
    [{ status: 200, answerText: "Here is the fix: use a Map instead of an object." }, null],
    [{ status: 400, body: "max_tokens too large" }, null],
    [{ status: 402 }, null],
  ] as Array<[Attempt, string | null]>)("%j → %p", (attempt, reason) => {
    expect(shouldFallBack(attempt)).toBe(reason as never);
  });

  test("402 falls back only when free fallback is allowed", () => {
    expect(shouldFallBack({ status: 402 }, { freeOnPaymentFailure: true })).toBe("payment");
    expect(shouldFallBack({ status: 402 }, { freeOnPaymentFailure: false })).toBeNull();
  });

  test("a markdown table or divider is not a loop; a repeated chunk at the end is", () => {
    expect(looping(`| a | b |\n|---|---|\n${"| 1 | 2 |\n".repeat(10)}`)).toBe(false);
    expect(looping("-".repeat(60))).toBe(false);
    expect(looping(`ok ${"na ".repeat(120)}`)).toBe(true);
  });
});

describe("nextModel", () => {
  const chain = ["anthropic/claude-sonnet-4.6", "openai/gpt-5.4", "nvidia/gpt-oss-120b"];
  test("walks the chain in order, skipping tried models", () => {
    expect(nextModel({ chain, tried: [chain[0]!], reason: "server_error", catalog: TEST_MODELS })).toBe("openai/gpt-5.4");
    expect(nextModel({ chain, tried: chain, reason: "server_error", catalog: TEST_MODELS })).toBeNull();
  });
  test("after a payment failure, or once paid, only free models qualify", () => {
    expect(nextModel({ chain, tried: [chain[0]!], reason: "payment", catalog: TEST_MODELS })).toBe("nvidia/gpt-oss-120b");
    expect(nextModel({ chain, tried: [chain[0]!], reason: "repetition", paid: true, catalog: TEST_MODELS })).toBe("nvidia/gpt-oss-120b");
    const paidOnly = ["anthropic/claude-sonnet-4.6", "openai/gpt-5.4"];
    expect(nextModel({ chain: paidOnly, tried: [paidOnly[0]!], reason: "payment", catalog: TEST_MODELS })).toBe("nvidia/qwen3-coder-480b");
  });
  test("at most 5 attempts", () => {
    const many = ["a", "b", "c", "d", "e", "f"];
    expect(nextModel({ chain: many, tried: many.slice(0, 5), reason: "rate_limited", catalog: TEST_MODELS })).toBeNull();
  });
});

describe("fallback over HTTP (fake gateway)", () => {
  let gw: FakeGateway | undefined;
  afterEach(async () => {
    await gw?.stop();
    gw = undefined;
  });

  /** A minimal caller: one non-streaming request per model, following shouldFallBack/nextModel. */
  async function answer(url: string, chain: string[]) {
    const tried: string[] = [];
    const events: Array<{ from: string; to: string; reason: string }> = [];
    let model: string | null = chain[0]!;
    while (model) {
      tried.push(model);
      const res = await fetch(`${url}/v1/messages`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model, max_tokens: 100, messages: [{ role: "user", content: "hi" }] }),
      });
      const raw = await res.text();
      const text = res.ok ? (JSON.parse(raw) as { content: Array<{ type: string; text?: string }> }).content.map((b) => b.text ?? "").join("") : undefined;
      const reason = shouldFallBack({ status: res.status, body: res.ok ? undefined : raw, answerText: text });
      if (!reason) return { model, text, tried, events };
      const next = nextModel({ chain, tried, reason, catalog: TEST_MODELS });
      if (next) events.push({ from: model, to: next, reason });
      model = next;
    }
    return { model: null, text: undefined, tried, events };
  }

  test("503 → the second model answers", async () => {
    gw = await startFakeGateway({ script: [{ fault: { status: 503, body: '{"error":"upstream"}' } }, { text: "hello from two" }] });
    const r = await answer(gw.url, ["google/gemini-2.5-flash", "deepseek/deepseek-chat", "nvidia/gpt-oss-120b"]);
    expect(r.model).toBe("deepseek/deepseek-chat");
    expect(r.text).toBe("hello from two");
    expect(r.events).toEqual([{ from: "google/gemini-2.5-flash", to: "deepseek/deepseek-chat", reason: "server_error" }]);
    expect(gw.calls().map((c) => c.body.model)).toEqual(["google/gemini-2.5-flash", "deepseek/deepseek-chat"]);
  });

  test("429, then an overloaded body, then an empty answer, then a real one", async () => {
    gw = await startFakeGateway({
      script: [
        { fault: { status: 429, body: '{"error":"rate limited"}' } },
        { fault: { status: 400, body: '{"error":{"type":"overloaded_error","message":"Overloaded"}}' } },
        { text: "" },
        { text: "finally" },
      ],
    });
    const chain = ["a/1", "b/2", "c/3", "d/4", "e/5"];
    const r = await answer(gw.url, chain);
    expect(r.text).toBe("finally");
    expect(r.events.map((e) => e.reason)).toEqual(["rate_limited", "overloaded", "empty_answer"]);
    expect(gw.calls()).toHaveLength(4);
  });

  test("the chain stops after 5 attempts", async () => {
    gw = await startFakeGateway({ script: Array.from({ length: 7 }, () => ({ fault: { status: 503 } })) });
    const r = await answer(gw.url, ["a/1", "b/2", "c/3", "d/4", "e/5", "f/6"]);
    expect(r.model).toBeNull();
    expect(gw.calls()).toHaveLength(5);
  });
});
