// Routing and fallback through the real CLI: the router picks, a failing model hands over to the next one in the
// chain before anything reached the user, and one answer is paid for once.
import { afterEach, describe, expect, test } from "bun:test";
import { type FakeGateway, type Recorded, startFakeGateway } from "../fake-gateway";
import { fakeX402 } from "../fake-x402";
import { jsonLines, runCli, tempDir } from "../helpers";
import { assertEvents } from "../schema";
import { walletEnv } from "../wallet";

let gw: FakeGateway | undefined;
afterEach(async () => {
  await gw?.stop();
  gw = undefined;
});

const unavailable = { fault: { status: 503, body: '{"error":{"type":"overloaded_error","message":"Overloaded"}}' } };

describe("fallback", () => {
  test("the default free model falls back to another free model on 503", async () => {
    gw = await startFakeGateway({ script: [unavailable, { text: "second model here" }] });
    const r = await runCli(["ask", "--jsonl", "hi"], { env: { RUNCODE_API_URL: gw.url, ...walletEnv() } });
    const lines = jsonLines(r.stdout);
    assertEvents(lines);
    expect(r.code).toBe(0);
    const [first, second] = gw.calls().map((c) => c.body.model);
    expect(first).toBe("nvidia/qwen3-coder-480b");
    expect(second).not.toBe(first);
    expect(lines.find((l) => l.type === "model.fallback")).toMatchObject({
      from: first,
      to: second,
      reason: expect.stringContaining("gateway error"),
    });
    expect(lines.at(-1)).toMatchObject({ type: "result", ok: true, text: "second model here", model: second });
  });

  test("an explicit model never silently changes", async () => {
    gw = await startFakeGateway({ script: [unavailable] });
    const r = await runCli(["ask", "-m", "deepseek", "hi"], { env: { RUNCODE_API_URL: gw.url, ...walletEnv() } });
    expect(r.code).toBe(1);
    expect(gw.calls()).toHaveLength(1);
    expect(r.stderr).toContain("Overloaded");
  });

  test("a failure after text reached the user is reported, not retried elsewhere", async () => {
    gw = await startFakeGateway({ script: [{ text: "half an answer that then breaks off", fault: "cut" }] });
    const r = await runCli(["ask", "--jsonl", "hi"], { env: { RUNCODE_API_URL: gw.url, ...walletEnv() } });
    expect(r.code).toBe(1);
    expect(gw.calls()).toHaveLength(1);
    expect(jsonLines(r.stdout).at(-1)).toMatchObject({ ok: false, error: { code: "stream_error" } });
  });

  test("a 429 or 529 with retry-after is waited for and the same model asked once more, before any other", async () => {
    for (const status of [429, 529]) {
      const limited = {
        fault: { status, body: '{"error":{"type":"rate_limit_error","message":"slow down"}}', headers: { "retry-after": "0" } },
      };
      gw = await startFakeGateway({ script: [limited, { text: "answered after the wait" }] });
      const r = await runCli(["ask", "--jsonl", "-m", "deepseek", "hi"], { env: { RUNCODE_API_URL: gw.url, ...walletEnv() } });
      const lines = jsonLines(r.stdout);
      assertEvents(lines);
      expect(r.code).toBe(0);
      expect(gw.calls().map((c) => c.body.model)).toEqual(["deepseek/deepseek-chat", "deepseek/deepseek-chat"]);
      expect(lines.find((l) => l.type === "warning" && l.code === "rate_limited")?.message).toContain(
        "waiting 0 s as the gateway asked, then retrying it",
      );
      expect(lines.filter((l) => l.type === "model.fallback")).toEqual([]);
      expect(lines.at(-1)).toMatchObject({ type: "result", ok: true, text: "answered after the wait" });
      await gw.stop();
    }
    gw = undefined;
  });

  test("a second 429 for the same answer is not waited for again: the run ends (an explicit model)", async () => {
    const limited = { fault: { status: 429, body: '{"error":{"message":"slow down"}}', headers: { "retry-after": "0" } } };
    gw = await startFakeGateway({ script: [limited, limited, { text: "never" }] });
    const r = await runCli(["ask", "--jsonl", "-m", "deepseek", "hi"], { env: { RUNCODE_API_URL: gw.url, ...walletEnv() } });
    expect(r.code).toBe(1);
    expect(gw.calls()).toHaveLength(2);
    expect(jsonLines(r.stdout).at(-1)).toMatchObject({ ok: false, error: { code: "rate_limited" } });
  });

  test("a 400 is the request's fault: no other model is tried", async () => {
    gw = await startFakeGateway({
      script: [{ fault: { status: 400, body: '{"error":{"type":"invalid_request_error","message":"messages: roles must alternate"}}' } }],
    });
    const r = await runCli(["ask", "--jsonl", "hi"], { env: { RUNCODE_API_URL: gw.url, ...walletEnv() } });
    expect(r.code).toBe(1);
    expect(gw.calls()).toHaveLength(1);
    expect(jsonLines(r.stdout).at(-1)).toMatchObject({ ok: false, error: { code: "bad_request" } });
  });

  test("a 'prompt is too long' answer shrinks the history and retries on the same model", async () => {
    gw = await startFakeGateway({
      script: [
        {
          fault: {
            status: 400,
            body: '{"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 210000 tokens > 200000 maximum"}}',
          },
        },
        { text: "fits now" },
      ],
    });
    const r = await runCli(["ask", "--jsonl", "-m", "sonnet", "hi"], { env: { RUNCODE_API_URL: gw.url, ...walletEnv() } });
    const lines = jsonLines(r.stdout);
    assertEvents(lines);
    expect(r.code).toBe(0);
    expect(gw.calls().map((c) => c.body.model)).toEqual(["anthropic/claude-sonnet-4.6", "anthropic/claude-sonnet-4.6"]);
    expect(lines.find((l) => l.type === "warning")).toMatchObject({ code: "context_overflow" });
    expect(lines.at(-1)).toMatchObject({ ok: true, text: "fits now" });
  });

  test("a 4xx whose message says the model is overloaded falls back, as in the proxy (the one policy)", async () => {
    gw = await startFakeGateway({
      script: [
        { fault: { status: 400, body: '{"error":{"type":"overloaded_error","message":"Overloaded"}}' } },
        { text: "second model here" },
      ],
    });
    const r = await runCli(["ask", "--jsonl", "hi"], { env: { RUNCODE_API_URL: gw.url, ...walletEnv() } });
    const lines = jsonLines(r.stdout);
    assertEvents(lines);
    expect(r.code).toBe(0);
    expect(lines.find((l) => l.type === "model.fallback")).toMatchObject({ reason: expect.stringContaining("overloaded") });
    expect(lines.at(-1)).toMatchObject({ ok: true, text: "second model here" });
  });

  test("an empty answer moves to the next free model; the answer is judged by the one policy", async () => {
    gw = await startFakeGateway({ script: [{ text: "" }, { text: "a real answer" }] });
    const r = await runCli(["ask", "--jsonl", "hi"], { env: { RUNCODE_API_URL: gw.url, ...walletEnv() } });
    const lines = jsonLines(r.stdout);
    assertEvents(lines);
    expect(r.code).toBe(0);
    const [first, second] = gw.calls().map((c) => c.body.model);
    expect(lines.find((l) => l.type === "model.fallback")).toMatchObject({ from: first, to: second, reason: `empty answer from ${first}` });
    expect(lines.at(-1)).toMatchObject({ ok: true, text: "a real answer", model: second });
  });

  test("a repetition loop that already streamed to the user is not retried: only unseen answers fall back", async () => {
    const loop = `Sure. ${"I will fix it. ".repeat(40)}`;
    gw = await startFakeGateway({ script: [{ text: loop }, { text: "never used" }] });
    const r = await runCli(["ask", "--jsonl", "hi"], { env: { RUNCODE_API_URL: gw.url, ...walletEnv() } });
    const lines = jsonLines(r.stdout);
    expect(gw.calls()).toHaveLength(1);
    expect(lines.some((l) => l.type === "model.fallback")).toBe(false);
    expect(lines.at(-1)).toMatchObject({ ok: true, text: loop });
  });

  test("at most 5 models are tried for one answer", async () => {
    gw = await startFakeGateway({ script: Array(8).fill(unavailable) });
    const r = await runCli(["ask", "--jsonl", "-m", "premium", "refactor this module to use dependency injection"], {
      env: { RUNCODE_API_URL: gw.url, ...walletEnv() },
    });
    expect(r.code).toBe(1);
    expect(gw.calls().length).toBeLessThanOrEqual(5);
    expect(gw.calls().length).toBeGreaterThan(1);
  });
});

describe("routing", () => {
  test("-m auto emits a schema-valid route.decided and uses its model", async () => {
    gw = await startFakeGateway({ script: [{ text: "ok" }] });
    const r = await runCli(["ask", "--jsonl", "-m", "auto", "what is the capital of France?"], {
      env: { RUNCODE_API_URL: gw.url, ...walletEnv() },
    });
    const lines = jsonLines(r.stdout);
    assertEvents(lines);
    const route = lines.find((l) => l.type === "route.decided");
    expect(route).toMatchObject({ profile: "auto", tier: "SIMPLE" });
    expect(gw.calls()[0]!.body.model).toBe(route.model);
    expect(lines.indexOf(route)).toBe(1);
  });

  test("-m auto routes a proof to the reasoning tier", async () => {
    gw = await startFakeGateway({ script: [{ text: "qed" }] });
    const r = await runCli(["ask", "--jsonl", "-m", "auto", "prove step by step that sqrt(2) is irrational, formally"], {
      env: { RUNCODE_API_URL: gw.url, ...walletEnv() },
    });
    expect(jsonLines(r.stdout).find((l) => l.type === "route.decided")).toMatchObject({ tier: "REASONING" });
  });

  test("first model 503 before any payment, second answers, exactly one payment (Base)", async () => {
    const home = tempDir();
    expect((await runCli(["wallet", "create", "--chain", "base"], { home })).code).toBe(0);
    const x402 = fakeX402();
    // The first model is down before it ever asks to be paid: nothing was signed, so a paid model may follow.
    let down = true;
    const intercept = (req: Request, rec: Recorded) => {
      if (!down || rec.path !== "/v1/messages") return x402.intercept(req, rec);
      down = false;
      return Response.json({ error: { type: "overloaded_error", message: "Overloaded" } }, { status: 503 });
    };
    gw = await startFakeGateway({ intercept, script: [{ text: "paid answer" }] });
    const r = await runCli(["ask", "--jsonl", "-m", "premium", "refactor this module to use dependency injection"], {
      home,
      env: { RUNCODE_API_URL: gw.url },
    });
    const lines = jsonLines(r.stdout);
    assertEvents(lines);
    expect(r.code).toBe(0);
    const models = [...new Set(gw.calls().map((c) => c.body.model))];
    expect(models.length).toBe(2);
    expect(lines.find((l) => l.type === "model.fallback")).toMatchObject({ from: models[0], to: models[1] });
    expect(x402.valid).toHaveLength(1);
    expect(x402.settled).toHaveLength(1);
    expect(x402.settled[0]!.model).toBe(models[1]);
    const paid = lines.filter((l) => l.type === "payment.settled");
    expect(paid).toHaveLength(1);
    expect(lines.at(-1)).toMatchObject({ type: "result", ok: true, text: "paid answer", usd: paid[0].usd });
  });

  test("first model 503 after it was paid: no second paid model is signed for the same answer (Base)", async () => {
    const home = tempDir();
    expect((await runCli(["wallet", "create", "--chain", "base"], { home })).code).toBe(0);
    const x402 = fakeX402();
    gw = await startFakeGateway({ intercept: x402.intercept, script: [unavailable, { text: "second answer" }] });
    const r = await runCli(["ask", "--jsonl", "-m", "premium", "refactor this module to use dependency injection"], {
      home,
      env: { RUNCODE_API_URL: gw.url },
    });
    const lines = jsonLines(r.stdout);
    assertEvents(lines);
    // The gateway verified the signature and then failed: it still holds it, so only free models may follow.
    expect(x402.valid).toHaveLength(1);
    expect(lines.filter((l) => l.type === "payment.failed")).toMatchObject([{ signed: true }]);
    const after = gw
      .calls()
      .slice(2)
      .map((c) => c.body.model as string);
    expect(after.every((m) => m.startsWith("nvidia/"))).toBe(true);
    // A routed chain continues on the free pool after a signed failure, as the proxy does (the one policy).
    expect(after.length).toBeGreaterThan(0);
    expect(lines.at(-1)).toMatchObject({ type: "result", ok: true, text: "second answer", usd: 0 });
  });
});

describe("payment fallback", () => {
  test("a refused payment ends ask with exit 3, or continues on a free model with --fallback-free", async () => {
    const home = tempDir();
    expect((await runCli(["wallet", "create", "--chain", "base"], { home })).code).toBe(0);
    expect((await runCli(["config", "set", "max-usd-per-request", "0.000001"], { home })).code).toBe(0);
    const x402 = fakeX402();
    gw = await startFakeGateway({ intercept: x402.intercept, script: [{ text: "free answer" }] });
    const env = { RUNCODE_API_URL: gw.url };

    const refused = await runCli(["ask", "-m", "sonnet", "hi"], { home, env });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain("max-usd-per-request");

    const r = await runCli(["ask", "--jsonl", "-m", "sonnet", "--fallback-free", "hi"], { home, env });
    const lines = jsonLines(r.stdout);
    assertEvents(lines);
    expect(r.code).toBe(0);
    const fb = lines.find((l) => l.type === "model.fallback");
    expect(fb).toMatchObject({ from: "anthropic/claude-sonnet-4.6", reason: expect.stringContaining("payment") });
    expect(gw.calls().at(-1)!.body.model).toBe(fb.to);
    expect(lines.at(-1)).toMatchObject({ ok: true, text: "free answer", usd: 0 });
    expect(x402.settled).toHaveLength(0);
  });
});
