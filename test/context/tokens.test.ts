import { describe, expect, test } from "bun:test";
import { Anchor, countExact, estimate, IMAGE_TOKENS, limitsOf, messageTokens, textTokens } from "../../src/context/tokens";
import type { Message } from "../../src/llm/types";

describe("token estimate", () => {
  test("the original's heuristic: text, tool_use, images, framing", () => {
    expect(textTokens("abcd")).toBe(2); // ceil(4/4 × 1.33)
    expect(textTokens("é".repeat(300))).toBe(Math.ceil((600 / 4) * 1.33)); // UTF-8 bytes, not characters
    const m: Message = { role: "assistant", content: [{ type: "tool_use", id: "t", name: "Read", input: { file_path: "a.ts" } }] };
    expect(messageTokens(m)).toBe(4 + 16 + textTokens("Read") + Math.ceil(JSON.stringify({ file_path: "a.ts" }).length / 2));
    const img: Message = {
      role: "user",
      content: [{ type: "image", source: { type: "base64", media_type: "image/png", data: "x".repeat(100_000) } }],
    };
    expect(messageTokens(img)).toBe(4 + IMAGE_TOKENS);
  });

  test("cached per message object: a recount of the same history reads no message again (speed: bench/context.ts)", () => {
    let reads = 0;
    const counted = (i: number, text: string): Message => ({
      role: i % 2 ? "assistant" : "user",
      get content() {
        reads++;
        return text;
      },
    });
    const ms = Array.from({ length: 2000 }, (_, i) => counted(i, `message ${i} `.repeat(500)));
    const first = estimate(ms);
    expect(reads).toBeGreaterThanOrEqual(2000);
    const afterFirst = reads;
    for (let i = 0; i < 100; i++) expect(estimate(ms)).toBe(first);
    expect(reads).toBe(afterFirst);
    // A new message object (a stage's rewrite) is counted afresh, the same way.
    const copy = ms.map((m, i) => counted(i, m.content as string));
    reads = 0;
    expect(estimate(copy)).toBe(first);
    expect(reads).toBeGreaterThanOrEqual(2000);
  });

  test("anchor follows plausible reports, ignores implausible ones, never falls far below 1", () => {
    const a = new Anchor();
    a.observe(10_000, 12); // a fake or substituted model's report
    expect(a.ratio).toBe(1);
    a.observe(10_000, 15_000);
    expect(a.ratio).toBeCloseTo(1.25);
    for (let i = 0; i < 10; i++) a.observe(10_000, 5000);
    expect(a.ratio).toBe(0.8);
    expect(a.apply(1000)).toBe(800);
  });

  test("limits from the catalog, with defaults", () => {
    expect(limitsOf({ context: 32_000, maxOutput: 8192 })).toEqual({ window: 32_000, maxOutput: 8192 });
    expect(limitsOf()).toEqual({ window: 128_000, maxOutput: 8192 });
    expect(limitsOf({ context: 16_000, maxOutput: 16_000 }).maxOutput).toBe(8000);
  });

  test("exact count with the tokenizer, split by part", async () => {
    const c = await countExact([{ role: "user", content: "hello world" }], "You are a helpful agent.", [
      { name: "Read", description: "read a file", input_schema: { type: "object" } },
    ]);
    expect(c.messages).toBe(4 + 2);
    expect(c.system).toBeGreaterThan(3);
    expect(c.tools).toBeGreaterThan(5);
    expect(c.total).toBe(c.system + c.tools + c.messages);
    // The heuristic over-estimates English prose a little (it is meant to err on the safe side).
    const prose = "The quick brown fox jumps over the lazy dog. ".repeat(200);
    const exact = (await countExact([{ role: "user", content: prose }])).total;
    expect(estimate([{ role: "user", content: prose }])).toBeGreaterThan(exact);
  });
});
