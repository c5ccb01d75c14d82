import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { Gateway } from "../../src/gateway/client";
import { loadCatalog, normalize } from "../../src/gateway/catalog";
import { resolveModel } from "../../src/gateway/models";
import { bestFree } from "../../src/router/chain";
import { FAKE_MODELS, startFakeGateway } from "../fake-gateway";
import { tempDir } from "../helpers";

const gw = (url: string) => new Gateway({ baseUrl: url, userAgent: "runcode/test" });

describe("catalog", () => {
  test("both documented shapes normalise to the same models", () => {
    const a = normalize({
      data: [
        { id: "x/a", billing_mode: "paid", pricing: { input: 1, output: 2 }, context_window: 1000, max_output: 10, categories: ["tools"] },
      ],
    });
    const b = normalize({
      models: [{ id: "x/a", inputPrice: 1, outputPrice: 2, contextWindow: 1000, maxOutput: 10, categories: ["tools"] }],
    });
    expect(a).toEqual(b);
    expect(a[0]).toMatchObject({ id: "x/a", free: false, input: 1, output: 2, context: 1000, tools: true });
  });
  test("unavailable models are dropped", () => {
    expect(normalize({ data: [{ id: "a", available: false }, { id: "b" }] }).map((m) => m.id)).toEqual(["b"]);
  });

  test("fetches once, then answers from the cache while fresh", async () => {
    const g = await startFakeGateway({ modelsShape: "models" });
    const cacheFile = join(tempDir(), "cache", "models.json");
    const first = await loadCatalog({ gateway: gw(g.url), cacheFile, ttlMs: 60_000 });
    const second = await loadCatalog({ gateway: gw(g.url), cacheFile, ttlMs: 60_000 });
    expect(first.catalog.source).toBe("live");
    expect(second.catalog.source).toBe("cache");
    expect(second.catalog.models.length).toBe(FAKE_MODELS.length);
    expect(g.requests.filter((r) => r.path === "/v1/models").length).toBe(1);
    await g.stop();
  });

  test("a stale cache answers at once and refreshes in the background", async () => {
    const g = await startFakeGateway();
    const cacheFile = join(tempDir(), "cache", "models.json");
    mkdirSync(join(cacheFile, ".."), { recursive: true });
    writeFileSync(cacheFile, JSON.stringify({ fetchedAt: 1, baseUrl: g.url, models: [] }));
    const { catalog, pending } = await loadCatalog({ gateway: gw(g.url), cacheFile, ttlMs: 1000 });
    expect(catalog.source).toBe("cache");
    await pending;
    expect(JSON.parse(readFileSync(cacheFile, "utf8")).models.length).toBe(FAKE_MODELS.length);
    await g.stop();
  });

  test("a corrupt cache is reported and replaced", async () => {
    const g = await startFakeGateway();
    const cacheFile = join(tempDir(), "models.json");
    writeFileSync(cacheFile, "{{{");
    const warnings: string[] = [];
    const { catalog } = await loadCatalog({ gateway: gw(g.url), cacheFile, ttlMs: 1000, warn: (m) => warnings.push(m) });
    expect(catalog.source).toBe("live");
    expect(warnings.join()).toContain("corrupt");
    expect(existsSync(cacheFile)).toBe(true);
    await g.stop();
  });

  test("an unreachable gateway falls back to the built-in list", async () => {
    const warnings: string[] = [];
    const { catalog } = await loadCatalog({
      gateway: gw("http://127.0.0.1:9"),
      cacheFile: join(tempDir(), "m.json"),
      ttlMs: 1,
      warn: (m) => warnings.push(m),
    });
    expect(catalog.source).toBe("builtin");
    expect(catalog.models.some((m) => m.free)).toBe(true);
    expect(warnings.length).toBe(1);
  });
});

describe("model names", () => {
  const models = normalize({ data: FAKE_MODELS });
  test("shortcuts, ids, drift and free", () => {
    const id = (n: string) => {
      const r = resolveModel(n, models);
      return "model" in r ? r.model.id : r.profile;
    };
    expect(id("sonnet")).toBe("anthropic/claude-sonnet-4.6");
    expect(id("openai/gpt-5.4")).toBe("openai/gpt-5.4");
    expect(id("claude-opus-4-6")).toBe("anthropic/claude-opus-4.6");
    expect(id("gpt5.4")).toBe("openai/gpt-5.4");
    expect(id("GPT 5.4")).toBe("openai/gpt-5.4");
    expect(id("claude-opus4.6")).toBe("anthropic/claude-opus-4.6");
    expect(id("free")).toBe("nvidia/qwen3-coder-480b");
    expect(id("blockrun/auto")).toBe("auto");
  });
  test("unknown names get a did-you-mean list", () => {
    expect(() => resolveModel("sonet", models)).toThrow(/did you mean sonnet/);
  });
  test("the best free model prefers coding models", () => {
    expect(bestFree(models)?.id).toBe("nvidia/qwen3-coder-480b");
    expect(bestFree(models, { vision: true })?.id).toBe("nvidia/llama-4-maverick");
  });
});
