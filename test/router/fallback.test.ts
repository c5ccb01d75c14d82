// The one fallback policy (router/fallback.ts) as tables: how each failure is classified, then which model follows
// it for every failure class × signed or not × routed chain or named model; then the chain proven over real HTTP
// against the fake gateway: first model 503 → second answers, and at most 5 attempts.
import { afterEach, describe, expect, test } from "bun:test";
import {
  failureReason,
  isPaymentError,
  looping,
  nextModel,
  type Failure,
  type FallbackReason,
  type ModelChain,
  type Tried,
} from "../../src/router";
import { startFakeGateway, type FakeGateway } from "../fake-gateway";
import { TEST_MODELS } from "./catalog";

const SONNET = "anthropic/claude-sonnet-4.6";
const GPT = "openai/gpt-5.4";
const OSS = "nvidia/gpt-oss-120b";
/** The free pool's first model for TEST_MODELS (coding + tools, largest). */
const BEST_FREE = "nvidia/qwen3-coder-480b";
const loop = `Sure. ${"I will fix it. ".repeat(40)}`;

describe("failureReason", () => {
  test.each([
    [{ kind: "status", status: 429 }, "rate_limited"],
    [{ kind: "status", status: 500 }, "server_error"],
    [{ kind: "status", status: 503 }, "server_error"],
    [{ kind: "status", status: 529 }, "overloaded"],
    [{ kind: "status", status: 400, body: '{"error":{"message":"Unknown model: foo/bar"}}' }, "unknown_model"],
    [{ kind: "status", status: 404, body: "model xyz not found" }, "unknown_model"],
    // The agent loop's rule (gateway/client.ts maps every 404 to unknown_model), now the proxy's too.
    [{ kind: "status", status: 404, body: "" }, "unknown_model"],
    [{ kind: "status", status: 200, body: '{"type":"error","error":{"type":"overloaded_error"}}' }, "overloaded"],
    [{ kind: "status", status: 400, body: "max_tokens too large" }, null],
    [{ kind: "status", status: 401, body: "bad key" }, null],
    [{ kind: "status", status: 413, body: "too large" }, null],
    // A 402 is always the payment reason; whether it falls back is the chain's freeAfterPayment (below).
    [{ kind: "status", status: 402 }, "payment"],
    // A host that cannot be reached is the same dead host for every model: stop at once (issue: five lines, five tries).
    [{ kind: "error", code: "gateway_unreachable" }, null],
    [{ kind: "error", code: "timeout" }, "timeout"],
    [{ kind: "error", code: "rate_limited" }, "rate_limited"],
    [{ kind: "error", code: "gateway_error" }, "server_error"],
    [{ kind: "error", code: "stream_error" }, "stream_error"],
    [{ kind: "error", code: "unknown_model" }, "unknown_model"],
    [{ kind: "error", code: "empty_answer" }, "empty_answer"],
    [{ kind: "error", code: "bad_request", message: "the gateway rejected the request (messages: roles must alternate)" }, null],
    // The proxy's rule for 4xx bodies, now the agent loop's too (its bad_request message carries the body's text).
    [{ kind: "error", code: "bad_request", message: "the gateway rejected the request (Overloaded)" }, "overloaded"],
    [{ kind: "error", code: "payment_refused" }, "payment"],
    [{ kind: "error", code: "insufficient_funds" }, "payment"],
    [{ kind: "error", code: "secret_refused" }, null],
    [{ kind: "error", code: "internal" }, null],
    [{ kind: "answer", text: "", toolCalls: 0 }, "empty_answer"],
    [{ kind: "answer", text: "  \n", toolCalls: 0 }, "empty_answer"],
    [{ kind: "answer", text: "", toolCalls: 1 }, null],
    [{ kind: "answer", text: "...", toolCalls: 0 }, "placeholder"],
    [{ kind: "answer", text: "[Your response here]", toolCalls: 0 }, "placeholder"],
    [{ kind: "answer", text: "The model is currently overloaded. Please try again.", toolCalls: 0 }, "overloaded"],
    [{ kind: "answer", text: loop, toolCalls: 0 }, "repetition"],
    [{ kind: "answer", text: "Here is the fix: use a Map instead of an object.", toolCalls: 0 }, null],
    [{ kind: "too_long" }, "too_long"],
  ] as Array<[Failure, FallbackReason | null]>)("%j → %p", (failure, reason) => {
    expect(failureReason(failure)).toBe(reason);
  });

  test("one set of payment error codes", () => {
    expect(["payment_required", "payment_refused", "payment_failed", "insufficient_funds"].every(isPaymentError)).toBe(true);
    expect(isPaymentError("bad_request")).toBe(false);
  });

  test("a markdown table or divider is not a loop; a repeated chunk at the end is", () => {
    expect(looping(`| a | b |\n|---|---|\n${"| 1 | 2 |\n".repeat(10)}`)).toBe(false);
    expect(looping("-".repeat(60))).toBe(false);
    expect(looping(`ok ${"na ".repeat(120)}`)).toBe(true);
  });
});

const chainOf = (models: string[], o: Partial<ModelChain> = {}): ModelChain => ({
  models,
  routed: true,
  freeAfterPayment: false,
  catalog: TEST_MODELS,
  ...o,
});

describe("nextModel: every failure class × signed or not × routed or named", () => {
  // A routed chain (the router's models, a free one among them) and a named model (the user's own, nothing behind it).
  const routed = chainOf([SONNET, GPT, OSS]);
  const named = chainOf([SONNET], { routed: false });
  type Row = [
    name: string,
    failure: Failure,
    o: { reached?: boolean; freeAfterPayment?: boolean },
    expected: { routed: [string | null, string | null]; named: [string | null, string | null] },
  ];
  // expected: [unsigned, signed] next model for the routed chain and for the named model, after one attempt on SONNET.
  const retried = { routed: [GPT, OSS], named: [null, null] } as Row[3];
  const never = { routed: [null, null], named: [null, null] } as Row[3];
  const rows: Row[] = [
    ["429", { kind: "status", status: 429 }, {}, retried],
    ["529", { kind: "status", status: 529 }, {}, retried],
    ["5xx", { kind: "status", status: 503 }, {}, retried],
    ["host down", { kind: "error", code: "gateway_unreachable" }, {}, never],
    ["connection dropped before an answer", { kind: "error", code: "gateway_error" }, {}, retried],
    ["timeout", { kind: "error", code: "timeout" }, {}, retried],
    ["4xx status", { kind: "status", status: 400, body: "messages: roles must alternate" }, {}, never],
    [
      "bad_request",
      { kind: "error", code: "bad_request", message: "the gateway rejected the request (messages: roles must alternate)" },
      {},
      never,
    ],
    ["repetition loop", { kind: "answer", text: loop, toolCalls: 0 }, {}, retried],
    ["empty answer", { kind: "answer", text: "", toolCalls: 0 }, {}, retried],
    ["repetition loop that reached the user", { kind: "answer", text: loop, toolCalls: 0 }, { reached: true }, never],
    ["5xx after a byte reached the client", { kind: "status", status: 503 }, { reached: true }, never],
    ["payment refused, free fallback off", { kind: "error", code: "payment_refused" }, {}, never],
    [
      "payment refused, free fallback on",
      { kind: "error", code: "payment_refused" },
      { freeAfterPayment: true },
      { routed: [OSS, OSS], named: [BEST_FREE, BEST_FREE] },
    ],
    [
      "402, free fallback on",
      { kind: "status", status: 402 },
      { freeAfterPayment: true },
      { routed: [OSS, OSS], named: [BEST_FREE, BEST_FREE] },
    ],
    [
      "5xx, free fallback on",
      { kind: "status", status: 503 },
      { freeAfterPayment: true },
      { routed: [GPT, OSS], named: [null, BEST_FREE] },
    ],
    ["prompt too long (compacted)", { kind: "too_long" }, {}, { routed: [SONNET, OSS], named: [SONNET, null] }],
  ];
  for (const [name, failure, o, expected] of rows)
    for (const [shape, chain] of [
      ["routed", routed],
      ["named", named],
    ] as const)
      for (const signed of [false, true])
        test(`${name}, ${shape}, ${signed ? "signed" : "unsigned"}`, () => {
          const next = nextModel({
            failure,
            reached: o.reached ?? false,
            tried: [{ id: SONNET, signed }],
            chain: { ...chain, freeAfterPayment: o.freeAfterPayment ?? false },
          });
          expect(next?.model ?? null).toBe(expected[shape][signed ? 1 : 0]);
          if (next) expect(next.reason).toBe(failureReason(failure)!);
        });
});

describe("nextModel", () => {
  const chain = chainOf([SONNET, GPT, OSS]);
  const tried = (...ids: string[]): Tried[] => ids.map((id) => ({ id, signed: false }));
  const s503: Failure = { kind: "status", status: 503 };
  test("walks the chain in order, skipping tried models", () => {
    expect(nextModel({ failure: s503, reached: false, tried: tried(SONNET), chain })?.model).toBe(GPT);
    expect(nextModel({ failure: s503, reached: false, tried: tried(SONNET, GPT, OSS), chain })).toBeNull();
  });
  test("after a payment failure, or once signed, only free models qualify: the chain's, then the free pool", () => {
    const payment: Failure = { kind: "error", code: "payment_failed" };
    expect(nextModel({ failure: payment, reached: false, tried: tried(SONNET), chain: { ...chain, freeAfterPayment: true } })?.model).toBe(
      OSS,
    );
    expect(
      nextModel({ failure: { kind: "answer", text: loop, toolCalls: 0 }, reached: false, tried: [{ id: SONNET, signed: true }], chain })
        ?.model,
    ).toBe(OSS);
    const paidOnly = chainOf([SONNET, GPT]);
    expect(
      nextModel({ failure: payment, reached: false, tried: tried(SONNET), chain: { ...paidOnly, freeAfterPayment: true } })?.model,
    ).toBe(BEST_FREE);
    // A routed chain with no free model left extends to the pool after a signed failure (proxy: blockrun/premium).
    expect(nextModel({ failure: s503, reached: false, tried: [{ id: SONNET, signed: true }], chain: paidOnly })?.model).toBe(BEST_FREE);
  });
  test("a signature anywhere in the answer counts, not only on the last attempt", () => {
    const t: Tried[] = [
      { id: SONNET, signed: true },
      { id: OSS, signed: false },
    ];
    expect(nextModel({ failure: s503, reached: false, tried: t, chain: chainOf([SONNET, OSS, GPT]) })?.model).toBe(BEST_FREE);
  });
  test("the free pool honours vision and the tier", () => {
    const vision = nextModel({
      failure: s503,
      reached: false,
      tried: [{ id: SONNET, signed: true }],
      chain: chainOf([SONNET], { vision: true }),
    });
    expect(vision?.model).toBe("nvidia/llama-4-maverick");
    const reasoning = nextModel({
      failure: s503,
      reached: false,
      tried: [{ id: SONNET, signed: true }],
      chain: chainOf([SONNET], { tier: "REASONING" }),
    });
    expect(TEST_MODELS.find((m) => m.id === reasoning?.model)?.reasoning).toBe(true);
  });
  test("at most 5 attempts", () => {
    const many = ["a", "b", "c", "d", "e", "f"];
    expect(
      nextModel({ failure: { kind: "status", status: 429 }, reached: false, tried: tried(...many.slice(0, 5)), chain: chainOf(many) }),
    ).toBeNull();
    expect(
      nextModel({ failure: { kind: "too_long" }, reached: false, tried: tried(...many.slice(0, 5)), chain: chainOf(many) }),
    ).toBeNull();
  });
});

describe("fallback over HTTP (fake gateway)", () => {
  let gw: FakeGateway | undefined;
  afterEach(async () => {
    await gw?.stop();
    gw = undefined;
  });

  /** A minimal caller: one non-streaming request per model, describing each outcome to the one policy. */
  async function answer(url: string, models: string[]) {
    const chain = chainOf(models);
    const tried: Tried[] = [];
    const events: Array<{ from: string; to: string; reason: string }> = [];
    let model: string | undefined = models[0]!;
    while (model) {
      const res = await fetch(`${url}/v1/messages`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model, max_tokens: 100, messages: [{ role: "user", content: "hi" }] }),
      });
      const raw = await res.text();
      const text = res.ok
        ? (JSON.parse(raw) as { content: Array<{ type: string; text?: string }> }).content.map((b) => b.text ?? "").join("")
        : undefined;
      const failure: Failure =
        text === undefined ? { kind: "status", status: res.status, body: raw } : { kind: "answer", text, toolCalls: 0 };
      tried.push({ id: model, signed: false });
      if (!failureReason(failure)) return { model, text, tried, events };
      const next = nextModel({ failure, reached: false, tried, chain });
      if (next) events.push({ from: model, to: next.model, reason: next.reason });
      model = next?.model;
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
    const r = await answer(gw.url, ["a/1", "b/2", "c/3", "d/4", "e/5"]);
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
