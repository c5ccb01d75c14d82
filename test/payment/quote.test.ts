// The price recompute behind pre-signed payments (src/money/quote.ts): from the catalog's per-token prices, the
// request's characters and max_tokens, plus the fee learned from one real quote, it must land on what the gateway
// quotes for the next request (the fake gateway's formula is the documented one), never below it.
import { describe, expect, test } from "bun:test";
import { learnedFee, presignedAmount, requestSize, tokenPrice } from "../../src/money/quote";
import { withAmount, parseRequirements, requirementsDoc } from "../../src/money/requirements";
import { FAKE_MODELS, type Recorded } from "../fake-gateway";
import { fakeX402 } from "../fake-x402";

const gateway = fakeX402();
/** What the fake gateway quotes for these bytes. */
const quoteOf = (raw: string): bigint =>
  gateway.quote({ method: "POST", path: "/v1/messages", headers: {}, body: JSON.parse(raw), raw } as Recorded);
const body = (model: string, text: string, max_tokens: number) =>
  JSON.stringify({ model, max_tokens, messages: [{ role: "user", content: text }], stream: true });
const paid = FAKE_MODELS.filter((m) => m.billing_mode === "paid");

describe("requestSize", () => {
  test("characters (not bytes) and max_tokens, from a string or the bytes the proxy forwards", () => {
    const raw = body("m", "héllo ✓ 日本", 700);
    expect(requestSize(raw)).toEqual({ chars: raw.length, maxTokens: 700 });
    expect(requestSize(new TextEncoder().encode(raw))).toEqual({ chars: raw.length, maxTokens: 700 });
  });

  test("a body the gateway would price with a default runcode does not know is not priced", () => {
    for (const raw of ["not json", "null", "[]", '{"model":"m"}', '{"max_tokens":0}', '{"max_tokens":1.5}', '{"max_tokens":"100"}'])
      expect(requestSize(raw)).toBeUndefined();
  });
});

describe("the pre-signed amount is the gateway's quote", () => {
  test("learning the fee from one quote predicts every later quote exactly, for every paid model and size", () => {
    for (const m of paid) {
      const prices = m.pricing;
      const first = body(m.id, "hi", 1000);
      const fee = learnedFee(quoteOf(first), prices, requestSize(first)!);
      expect(fee).toBe(1000n); // the fake's flat fee: the token part is computed exactly as the gateway does
      for (const [text, max] of [
        ["a longer question ".repeat(40), 1000],
        ["x".repeat(12_345), 64_000],
        ["日本語のテキスト".repeat(300), 7],
        ["", 1],
      ] as const) {
        const raw = body(m.id, text, max);
        expect(presignedAmount(prices, requestSize(raw)!, fee)).toBe(quoteOf(raw));
      }
    }
  });

  test("the token part: ceil(ceil(chars / 4) × input + max_tokens × output), prices per 1M tokens = atomic per token", () => {
    expect(tokenPrice({ input: 3, output: 15 }, { chars: 400, maxTokens: 1000 })).toBe(15_300n);
    expect(tokenPrice({ input: 3, output: 15 }, { chars: 401, maxTokens: 0 })).toBe(303n); // 101 tokens
    expect(tokenPrice({ input: 0.28, output: 0.42 }, { chars: 4, maxTokens: 1 })).toBe(1n); // 0.7 → 1
  });

  test("a learned offset may be negative (the gateway counts fewer tokens); an amount that is not positive is not signed", () => {
    const p = { input: 3, output: 15 };
    expect(learnedFee(10_000n, p, { chars: 4000, maxTokens: 100 })).toBe(10_000n - 4500n);
    expect(presignedAmount(p, { chars: 4, maxTokens: 1 }, -100n)).toBeUndefined();
    expect(presignedAmount({ input: 0, output: 0 }, { chars: 4, maxTokens: 1 }, 1000n)).toBeUndefined();
    expect(presignedAmount({ input: Number.NaN, output: 1 }, { chars: 4, maxTokens: 1 }, 1000n)).toBeUndefined();
  });
});

describe("the kept requirement", () => {
  test("is the 402's envelope with the chosen requirement; a new amount goes into the field its version echoes", () => {
    const v2 = parseRequirements(gateway.requirements({ path: "/v1/messages", body: { model: paid[0]!.id }, raw: "{}" } as Recorded));
    const req = v2.accepts[0]!;
    const doc = requirementsDoc(v2, req);
    expect(doc).toEqual({ x402Version: 2, accepts: [req.raw], resource: v2.resource });
    const again = withAmount(parseRequirements(doc).accepts[0]!, 12_345n);
    expect(again.amount).toBe(12_345n);
    expect(again.raw).toEqual({ ...req.raw, amount: "12345" });
    expect(again.payTo).toBe(req.payTo);
    const v1 = fakeX402({ version: 1 });
    const r1 = parseRequirements(v1.requirements({ path: "/v1/messages", body: { model: paid[0]!.id }, raw: "{}" } as Recorded))
      .accepts[0]!;
    expect(withAmount(r1, 7n).raw).toEqual({ ...r1.raw, maxAmountRequired: "7" });
  });
});
