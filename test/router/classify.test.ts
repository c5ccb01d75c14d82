// Table-driven tests for each dimension, the tier boundaries, confidence and the overrides.
import { describe, expect, test } from "bun:test";
import { BOUNDARIES, classify } from "../../src/router";
import type { DimensionName } from "../../src/router";

const dim = (prompt: string, name: DimensionName, system = "") => {
  const d = classify(prompt, system).dimensions.find((x) => x.name === name);
  if (!d) throw new Error(`no dimension ${name}`);
  return d;
};

describe("dimensions", () => {
  const cases: Array<[DimensionName, string, number]> = [
    ["tokenCount", "short", -1],
    ["tokenCount", "x".repeat(400), 0],
    ["tokenCount", "x".repeat(2100), 1],
    ["codePresence", "nothing here", 0],
    ["codePresence", "use a class", 0.5],
    ["codePresence", "an async function", 1],
    ["codePresence", "```js\nx\n```", 0.5],
    ["reasoningMarkers", "prove it", 0.7],
    ["reasoningMarkers", "prove the theorem", 1],
    ["technicalTerms", "an algorithm", 0],
    ["technicalTerms", "an algorithm for the database", 0.5],
    ["technicalTerms", "algorithm database kubernetes infrastructure", 1],
    ["creativeMarkers", "a poem", 0.5],
    ["creativeMarkers", "a poem and a story", 0.7],
    ["simpleIndicators", "hello", -1],
    ["simpleIndicators", "hello, what is it", -1],
    ["multiStepPatterns", "first do this, then that", 0.5],
    ["multiStepPatterns", "step 2 is hard", 0.5],
    ["multiStepPatterns", "1. one 2. two", 0.5],
    ["multiStepPatterns", "首先安装，然后运行", 0.5],
    ["multiStepPatterns", "just one thing", 0],
    ["questionComplexity", "a? b? c?", 0],
    ["questionComplexity", "a? b? c? d?", 0.5],
    ["questionComplexity", "甲？乙？丙？丁？", 0.5],
    ["imperativeVerbs", "build it", 0.3],
    ["imperativeVerbs", "build and deploy it", 0.5],
    ["constraintCount", "at most three", 0.3],
    ["constraintCount", "at most three, at least one, within budget", 0.7],
    ["constraintCount", "sorting in O(n log n)", 0.3],
    ["outputFormat", "as json", 0.4],
    ["outputFormat", "a yaml table", 0.7],
    ["referenceComplexity", "see above", 0.3],
    ["referenceComplexity", "see above and below", 0.5],
    ["negationComplexity", "never", 0],
    ["negationComplexity", "never do it without asking", 0.3],
    ["negationComplexity", "never do it without asking, and avoid globals", 0.5],
    ["domainSpecificity", "a quantum circuit", 0.5],
    ["domainSpecificity", "quantum error correction on an fpga", 0.8],
    ["domainSpecificity", "a risc-v core", 0.5],
    ["agenticTask", "fix it", 0.2],
    ["agenticTask", "fix it, debug it", 0.2],
    ["agenticTask", "fix it, debug it, verify it", 0.6],
    ["agenticTask", "read the file, fix it, debug it, verify it", 1],
  ];
  test.each(cases)("%s(%p) = %p", (name, prompt, score) => {
    expect(dim(prompt, name).score).toBe(score);
  });

  test("weights are ClawRouter's, as listed per dimension", () => {
    const w = Object.fromEntries(classify("x").dimensions.map((d) => [d.name, d.weight]));
    expect(w).toEqual({
      tokenCount: 0.08,
      codePresence: 0.15,
      reasoningMarkers: 0.18,
      technicalTerms: 0.1,
      creativeMarkers: 0.05,
      simpleIndicators: 0.02,
      multiStepPatterns: 0.12,
      questionComplexity: 0.05,
      imperativeVerbs: 0.03,
      constraintCount: 0.04,
      outputFormat: 0.03,
      referenceComplexity: 0.02,
      negationComplexity: 0.01,
      domainSpecificity: 0.02,
      agenticTask: 0.04,
    });
    // The reference says "weights sum to 1.00", but its own table sums to 0.94; the table is what is implemented.
    expect(Object.values(w).reduce((a, b) => a + b, 0)).toBeCloseTo(0.94, 10);
  });
});

describe("keyword matching", () => {
  test.each([
    ["codePresence", "write a letter to my landlord", 0],
    ["codePresence", "a classic novel", 0],
    ["codePresence", "declassify the report", 0],
    ["codePresence", "two functions", 0.5],
    ["codePresence", "it returned classes", 1],
    ["agenticTask", "the fixture is ready", 0],
    ["agenticTask", "I fixed nothing", 0.2],
    ["agenticTask", "debugging", 0.2],
    ["constraintCount", "the foo(x) call", 0],
    ["reasoningMarkers", "approve the deposit", 0],
    ["reasoningMarkers", "step-by-step", 0.7],
    ["negationComplexity", "don’t and never", 0.3],
    ["simpleIndicators", "whatever is fine", 0],
  ] as Array<[DimensionName, string, number]>)("%s on %p = %p (whole words only)", (name, prompt, score) => {
    expect(dim(prompt, name).score).toBe(score);
  });

  test("CJK keywords match inside running text, English words inside CJK text too", () => {
    expect(dim("请帮我写一个函数", "codePresence").hits).toEqual(["函数"]);
    expect(dim("输出json格式", "outputFormat").hits).toEqual(["json"]);
    expect(dim("この関数を修正して", "codePresence").score).toBe(0.5);
  });

  test("only the prompt is scored, never the system prompt", () => {
    expect(dim("hi", "codePresence", "You write async functions and classes").score).toBe(0);
  });
});

describe("tiers, confidence and overrides", () => {
  test("tier boundaries", () => {
    expect(BOUNDARIES).toEqual({ simpleMedium: 0, mediumComplex: 0.3, complexReasoning: 0.5 });
    expect(classify("hello").tier).toBe("SIMPLE"); // -0.10
    expect(classify("a".repeat(400)).rawTier).toBe("MEDIUM"); // 0.00 sits on the boundary: MEDIUM
  });

  test("confidence is the sigmoid of the distance to the nearest boundary", () => {
    const c = classify("what is the capital of France?"); // score -0.10
    expect(c.score).toBeCloseTo(-0.1, 6);
    expect(c.confidence).toBeCloseTo(1 / (1 + Math.exp(-12 * 0.1)), 5);
  });

  test("ambiguous scores default to MEDIUM with confidence 0.5", () => {
    const c = classify("prove that sqrt(2) is irrational"); // 0.046: too close to 0
    expect(c.rawTier).toBe("MEDIUM");
    expect(c.ambiguous).toBe(true);
    expect(c.confidence).toBe(0.5);
    const near = classify("Design a distributed database architecture for kubernetes"); // 0.029
    expect([near.tier, near.ambiguous]).toEqual(["MEDIUM", true]);
  });

  test("two reasoning markers force REASONING with confidence ≥ 0.85", () => {
    const c = classify("prove the theorem");
    expect(c.tier).toBe("REASONING");
    expect(c.confidence).toBeGreaterThanOrEqual(0.85);
    expect(c.overrides).toContain("reasoning-override");
    expect(classify("证明这个定理").tier).toBe("REASONING");
  });

  test("more than 100k tokens is at least COMPLEX", () => {
    const c = classify("hello", "x".repeat(400_004));
    expect(c.tokens).toBeGreaterThan(100_000);
    expect(c.tier).toBe("COMPLEX");
    expect(c.overrides).toContain("large-context");
  });

  test("a system prompt asking for structured output is at least MEDIUM", () => {
    expect(classify("hello").tier).toBe("SIMPLE");
    const c = classify("hello", "Answer in JSON.");
    expect(c.tier).toBe("MEDIUM");
    expect(c.overrides).toEqual(["structured-output"]);
  });

  test("token estimate counts system + prompt", () => {
    expect(classify("abcd", "efgh").tokens).toBe(Math.ceil("efgh abcd".length / 4));
  });

  test("deterministic", () => {
    const p = "Implement a distributed cache; first design it, then build it. Return JSON.";
    expect(classify(p)).toEqual(classify(p));
  });
});
