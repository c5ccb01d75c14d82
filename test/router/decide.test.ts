// Profiles, tables and overrides, catalog checks, chain filtering, pinning, cost and explanations.
import { describe, expect, test } from "bun:test";
import { decide, filterChain, freePool, resolveId, routerOptions, type RouteRequest, type RouterModel } from "../../src/router";
import { parseValue } from "../../src/settings";
import { TEST_MODELS } from "./catalog";

const req = (prompt: string, extra: Partial<RouteRequest> = {}): RouteRequest => ({ prompt, ...extra });
const route = (prompt: string, profile = "auto", extra: Partial<RouteRequest> = {}, catalog = TEST_MODELS) =>
  decide({ request: req(prompt, extra), profile, catalog });

describe("profiles and tables", () => {
  test.each([
    ["auto", "hello", "google/gemini-2.5-flash"],
    ["auto", "prove the theorem", "xai/grok-4-1-fast-reasoning"],
    ["eco", "hello", "nvidia/gpt-oss-120b"],
    ["eco", "prove the theorem", "xai/grok-4-1-fast-reasoning"],
    ["premium", "hello", "moonshot/kimi-k2.5"],
    ["premium", "prove the theorem", "anthropic/claude-sonnet-4.6"],
    ["blockrun/auto", "hello", "google/gemini-2.5-flash"],
    ["blockrun/premium", "prove the theorem", "anthropic/claude-sonnet-4.6"],
  ])("%s: %p → %s", (profile, prompt, model) => {
    expect(route(prompt, profile).model).toBe(model);
  });

  test("unknown profile is a usage error naming the choices", () => {
    expect(() => route("hi", "cheap")).toThrow(/auto, eco, premium or free/);
  });

  test("free profile uses only the catalog's free models, best coding model first", () => {
    const d = route("Write a function that parses CSV", "free");
    const free = new Set(TEST_MODELS.filter((m) => m.free).map((m) => m.id));
    for (const id of [d.model, ...d.fallbacks]) expect(free.has(id)).toBe(true);
    expect(d.model).toBe("nvidia/qwen3-coder-480b");
    expect(d.estUsd).toBe(0);
    expect(d.savings).toBe(1);
    expect(route("prove the theorem", "free").model).toBe("nvidia/deepseek-v3.2"); // coding + reasoning
  });

  test("agentic table when the request carries tools, or scores agentic ≥ 0.5", () => {
    expect(route("hello", "auto", { tools: true })).toMatchObject({ model: "openai/gpt-4o-mini", agentic: true });
    expect(route("read the file, fix the bug, run it and verify the output").agentic).toBe(true);
    expect(route("hello").agentic).toBe(false);
    expect(route("hello", "eco", { tools: true }).agentic).toBe(false);
  });

  test("the user can turn the agentic table off (tool requests are not forced into it)", () => {
    const d = decide({ request: req("hello", { tools: true }), profile: "auto", catalog: TEST_MODELS, options: { agentic: false } });
    expect(d.agentic).toBe(false);
    expect(d.model).toBe("google/gemini-2.5-flash");
  });
});

describe("overrides from config are honoured", () => {
  const config = {
    "routing.tiers.auto.SIMPLE.primary": "anthropic/claude-haiku-4.5",
    "routing.tiers.auto.simple.fallbacks": "openai/gpt-5-mini, deepseek/deepseek-chat",
    "routing.exclude": "google/gemini-3.1-pro",
    "routing.agentic": "false",
  };
  const options = routerOptions(config);

  test("options parsed from the flat config file", () => {
    expect(options.overrides?.auto?.SIMPLE).toEqual({
      primary: "anthropic/claude-haiku-4.5",
      fallbacks: ["openai/gpt-5-mini", "deepseek/deepseek-chat"],
    });
    expect(options.exclude).toEqual(["google/gemini-3.1-pro"]);
    expect(options.agentic).toBe(false);
  });

  test("a table override changes the decision", () => {
    const d = decide({ request: req("hello"), profile: "auto", catalog: TEST_MODELS, options });
    expect([d.model, ...d.fallbacks]).toEqual(["anthropic/claude-haiku-4.5", "openai/gpt-5-mini", "deepseek/deepseek-chat"]);
  });

  test("excluded models are never picked", () => {
    const d = decide({ request: req("hello", { contextChars: 450_000 }), profile: "auto", catalog: TEST_MODELS, options });
    expect(d.tier).toBe("COMPLEX");
    expect([d.model, ...d.fallbacks]).not.toContain("google/gemini-3.1-pro");
    expect(d.model).toBe("google/gemini-3-pro-preview");
  });

  test("config set validates routing keys", () => {
    expect(parseValue("routing.tiers.premium.COMPLEX.primary", "openai/gpt-5.4")).toBe("openai/gpt-5.4");
    expect(parseValue("routing.agentic", "off")).toBe(false);
    expect(() => parseValue("routing.tiers.luxury.COMPLEX.primary", "x")).toThrow();
  });

  test("a free-table override cannot add a paid model", () => {
    const o = routerOptions({ "routing.tiers.free.SIMPLE.primary": "anthropic/claude-opus-4.6" });
    const d = decide({ request: req("hello"), profile: "free", catalog: TEST_MODELS, options: o });
    expect(d.model).toBe("nvidia/qwen3-coder-480b");
  });
});

describe("catalog checks", () => {
  test("ids missing from the catalog are dropped; drifted spellings and providers resolve", () => {
    expect(resolveId("nvidia/kimi-k2.5", TEST_MODELS)).toBe("moonshot/kimi-k2.5");
    expect(resolveId("anthropic/claude-opus-4-6", TEST_MODELS)).toBe("anthropic/claude-opus-4.6");
    expect(resolveId("google/gemini-9-ultra", TEST_MODELS)).toBeUndefined();
    const small = TEST_MODELS.filter((m) => m.id !== "google/gemini-2.5-flash" && m.id !== "google/gemini-3-flash-preview");
    const d = route("hello", "auto", {}, small);
    expect(d.model).toBe("deepseek/deepseek-chat");
    expect(d.fallbacks).not.toContain("google/gemini-3-flash-preview");
  });

  test("when no table id exists, the free pool answers instead of an unknown id", () => {
    const onlyFree = TEST_MODELS.filter((m) => m.free);
    const d = route("prove the theorem", "premium", {}, onlyFree);
    expect(onlyFree.map((m) => m.id)).toContain(d.model);
    expect(d.signals.join(" ")).toContain("free pool");
  });

  test("an empty catalog is an actionable error", () => {
    expect(() => route("hello", "auto", {}, [])).toThrow(/catalog/);
  });
});

describe("fallback chain filtering", () => {
  const model = (id: string, o: Partial<RouterModel>): RouterModel => ({
    id,
    free: false,
    input: 1,
    output: 1,
    context: 200_000,
    maxOutput: 8000,
    tools: true,
    vision: false,
    reasoning: false,
    categories: [],
    ...o,
  });
  const cat = [
    model("a/small", { context: 10_000 }),
    model("b/notools", { tools: false }),
    model("c/vision", { vision: true }),
    model("d/plain", {}),
  ];
  const ids = cat.map((m) => m.id);

  test("context window needs tokens × 1.1", () => {
    expect(filterChain(ids, cat, { tokens: 9_000 }).chain).toContain("a/small");
    expect(filterChain(ids, cat, { tokens: 9_200 }).chain).not.toContain("a/small");
  });
  test("tools and vision", () => {
    expect(filterChain(ids, cat, { tokens: 1, tools: true }).chain).toEqual(["a/small", "c/vision", "d/plain"]);
    expect(filterChain(ids, cat, { tokens: 1, images: true }).chain).toEqual(["c/vision"]);
  });
  test("exclusions", () => {
    expect(filterChain(ids, cat, { tokens: 1, exclude: ["d/plain"] }).chain).toEqual(["a/small", "b/notools", "c/vision"]);
  });
  test("a filter that would empty the chain is skipped", () => {
    const r = filterChain(["b/notools"], cat, { tokens: 1, tools: true });
    expect(r.chain).toEqual(["b/notools"]);
    expect(filterChain(["a/small", "b/notools"], cat, { tokens: 1, images: true }).chain).toEqual(["a/small", "b/notools"]);
  });
  test("at most 5 models", () => {
    const many = Array.from({ length: 8 }, (_, i) => model(`m/${i}`, {}));
    expect(
      filterChain(
        many.map((m) => m.id),
        many,
        { tokens: 1 },
      ).chain,
    ).toHaveLength(5);
  });
  test("decide applies the filters: a huge request skips small-context models", () => {
    const d = route("hello", "auto", { contextChars: 600_000 }); // 150k tokens + 4096 output
    expect(d.tier).toBe("COMPLEX");
    for (const id of [d.model, ...d.fallbacks]) expect(TEST_MODELS.find((m) => m.id === id)!.context).toBeGreaterThanOrEqual(154_096 * 1.1);
  });
  test("vision requests keep vision models", () => {
    const d = route("hello", "auto", { images: true });
    for (const id of [d.model, ...d.fallbacks]) expect(TEST_MODELS.find((m) => m.id === id)!.vision).toBe(true);
  });
});

describe("session pinning: upgrade only", () => {
  const at = (prompt: string, pinned?: "SIMPLE" | "MEDIUM" | "COMPLEX" | "REASONING", pin = true) =>
    decide({ request: req(prompt), profile: "auto", catalog: TEST_MODELS, pinned, options: { pin } });
  test("a simpler later message keeps the pinned tier", () => {
    const d = at("thanks", "REASONING");
    expect(d).toMatchObject({ tier: "REASONING", pinned: true });
    expect(d.signals.join(" ")).toContain("pinned");
  });
  test("a harder later message upgrades", () => {
    expect(at("prove the theorem", "SIMPLE")).toMatchObject({ tier: "REASONING", pinned: false });
  });
  test("pinning can be turned off", () => {
    expect(at("thanks", "REASONING", false).tier).toBe("SIMPLE");
  });
});

describe("cost, savings and signals", () => {
  test("estimate = input × input price + max output × output price; savings vs Opus 4.6", () => {
    const d = route("hello", "auto", { maxOutput: 1000 }); // gemini-2.5-flash at $0.3/$2.5
    const tokens = Math.ceil(" hello".length / 4);
    const cost = (tokens * 0.3 + 1000 * 2.5) / 1e6;
    expect(d.estUsd).toBeCloseTo(cost, 6);
    expect(d.savings).toBeCloseTo(1 - cost / ((tokens * 5 + 1000 * 25) / 1e6), 3);
    expect(route("hello", "premium", {}).savings).toBeGreaterThan(0);
  });
  test("signals explain the tier with the strongest dimensions first", () => {
    const d = route("Prove the theorem step by step");
    expect(d.signals[0]).toBe("2+ reasoning markers → REASONING");
    expect(d.signals[1]).toMatch(/^reasoningMarkers \+0\.180: prove, theorem, step by step$/);
  });
  test("every field route.decided needs is present", () => {
    const d = route("hello");
    for (const k of ["profile", "tier", "model", "confidence", "score", "signals", "fallbacks", "estUsd", "savings"])
      expect(d).toHaveProperty(k);
  });
  test("free pool ranking is deterministic", () => {
    expect(freePool(TEST_MODELS, { tier: "SIMPLE" })).toEqual(freePool([...TEST_MODELS].reverse(), { tier: "SIMPLE" }));
  });
});
