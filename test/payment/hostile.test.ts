// A hostile gateway: it verifies every signature it is sent (so it could settle each one later) and then answers
// with a fault. Whatever it answers, it must collect no more signatures than the budgets allow, and one answer
// (one `runcode ask`, one proxied request) is signed for at most once.
import { afterEach, describe, expect, test } from "bun:test";
import { writeConfig } from "../../src/core/config";
import { paths } from "../../src/core/home";
import { Ledger } from "../../src/money/ledger";
import { openStore } from "../../src/store/open";
import { generate } from "../../src/money/wallet/crypto";
import { saveChain, saveKey } from "../../src/money/wallet/files";
import { FAKE_MODELS, startFakeGateway, type FakeGateway, type Script } from "../fake-gateway";
import { fakeX402 } from "../fake-x402";
import { cleanup, jsonLines, runCli, tempDir } from "../helpers";
import { walletEnv } from "../wallet";
import { proxyRig, type ProxyRig } from "../proxy/setup";
import { assertEvents } from "../schema";
import { ask, rejection, rig, type Rig } from "./setup";

const dirs: string[] = [];
let r: Rig | undefined;
let gw: FakeGateway | undefined;
let px: ProxyRig | undefined;
afterEach(async () => {
  await r?.gw.stop();
  await gw?.stop();
  await px?.stop();
  if (r) cleanup(r.home);
  r = gw = px = undefined;
  cleanup(...dirs.splice(0));
});

const PRICE = 10_000n; // $0.01 per request
const SONNET = "anthropic/claude-sonnet-4.6";
const free = new Set(FAKE_MODELS.filter((m) => m.billing_mode === "free").map((m) => m.id));
const error = (status: number, type: string, message: string): Script => ({
  fault: { status, body: JSON.stringify({ type: "error", error: { type, message } }) },
});

/** What the gateway answers to a request it was paid for. */
const FAULTS: Array<[string, Script]> = [
  ["500", error(500, "api_error", "Internal server error")],
  ["529", error(529, "overloaded_error", "Overloaded")],
  ["400", error(400, "invalid_request_error", "messages: roles must alternate")],
  [
    "a second 402",
    { fault: { status: 402, body: JSON.stringify({ error: "Payment verification failed", details: "settlement failed" }) } },
  ],
  ["a dropped socket", { fault: "drop" }],
  ["prompt is too long", error(400, "invalid_request_error", "prompt is too long: 210000 tokens > 200000 maximum")],
];

const signedTotal = (x: ReturnType<typeof fakeX402>) => x.valid.reduce((s, v) => s + v.amount, 0n);

/** A CLI home with a Base wallet and this config. */
function walletHome(config: Record<string, unknown> = {}): string {
  const home = tempDir("runcode-hostile-");
  dirs.push(home);
  const p = paths(home);
  saveKey(p, "base", generate("base").secret);
  saveChain(p, "base");
  writeConfig(p.config, config);
  return home;
}

describe("the budgets hold whatever the gateway answers after a payment", () => {
  for (const [name, fault] of FAULTS) {
    test(`${name}: at most max-usd-per-day is signed ($0.03 = 3 × $0.01)`, async () => {
      r = await rig({ x402: { price: PRICE }, config: { "max-usd-per-day": 0.03 }, script: Array(8).fill(fault) });
      const errors = [];
      for (let i = 0; i < 6; i++) errors.push(await rejection(ask(r.gateway)));
      expect(r.x402.valid.length).toBeGreaterThan(0);
      expect(signedTotal(r.x402)).toBeLessThanOrEqual(30_000n);
      expect(errors.at(-1).message).toContain("the last 24 hours have already signed $0.03 of max-usd-per-day ($0.03)");
      // Every signature is in the ledger with its window, and it counts until then.
      const store = openStore({ home: r.home, warn: () => {} });
      const l = new Ledger(store.db);
      const rows = l.list();
      expect(l.spent({ since: 0 })).toBe(30_000n);
      store.close();
      expect(rows).toHaveLength(3);
      for (const row of rows) expect(row.valid_until! - row.signed_at!).toBeGreaterThan(60_000);
    });

    test(`${name}: at most max-usd-per-session is signed in one session`, async () => {
      r = await rig({ x402: { price: PRICE }, config: { "max-usd-per-session": 0.02 }, script: Array(8).fill(fault) });
      for (let i = 0; i < 5; i++) await ask(r.gateway).catch(() => {});
      expect(r.x402.valid).toHaveLength(2);
      expect(signedTotal(r.x402)).toBe(20_000n);
    });
  }

  test("six `runcode ask` runs, one after another, against a gateway that answers 500 after every payment: the day cap holds", async () => {
    const home = walletHome({ "max-usd-per-day": 0.03 });
    const x402 = fakeX402({ price: PRICE });
    gw = await startFakeGateway({ intercept: x402.intercept, script: Array(8).fill(FAULTS[0]![1]) });
    const runs = [];
    for (let i = 0; i < 6; i++) runs.push(await runCli(["ask", "-m", SONNET, "hi"], { home, env: { RUNCODE_API_URL: gw.url } }));
    expect(x402.valid).toHaveLength(3);
    expect(signedTotal(x402)).toBe(30_000n);
    expect(runs.filter((x) => x.code === 3 && x.stderr.includes("max-usd-per-day"))).toHaveLength(3);
  }, 40_000);
});

describe("one answer is signed for at most once", () => {
  for (const [name, fault] of FAULTS)
    for (const mode of ["auto", SONNET])
      test(`${name}, -m ${mode}`, async () => {
        const home = walletHome();
        const x402 = fakeX402({ price: PRICE });
        gw = await startFakeGateway({ intercept: x402.intercept, script: Array(10).fill(fault) });
        const res = await runCli(["ask", "--jsonl", "-m", mode, "hi"], { home, env: { RUNCODE_API_URL: gw.url } });
        const lines = jsonLines(res.stdout);
        assertEvents(lines);
        expect(x402.valid).toHaveLength(1);
        // After the signed attempt only free models were asked.
        const calls = gw.calls().map((c) => c.body.model as string);
        const paidAt = gw.calls().findIndex((c) => c.headers["payment-signature"]);
        expect(calls.slice(paidAt + 1).every((m) => free.has(m))).toBe(true);
        // The failure says what was signed.
        const failed = lines.filter((l) => l.type === "payment.failed");
        expect(failed).toHaveLength(1);
        expect(failed[0]).toMatchObject({ signed: true, usd: 0.01, amount: "10000" });
        expect(lines.at(-1)).toMatchObject({ type: "result", usd: 0 });
      });

  test("the failure line on stderr shows the amount signed", async () => {
    const home = walletHome();
    const x402 = fakeX402({ price: PRICE });
    gw = await startFakeGateway({ intercept: x402.intercept, script: [FAULTS[0]![1]] });
    const res = await runCli(["ask", "-m", SONNET, "hi"], { home, env: { RUNCODE_API_URL: gw.url } });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain("payment of $0.0100 (signed) failed: gateway answered 500");
    expect(res.stderr).not.toContain("$0.0000");
  });

  test("a 'prompt is too long' answer on an unsigned attempt is still compacted and retried on the same model", async () => {
    // The fake gateway without the x402 side answers paid models directly: nothing is signed, so the retry may go.
    // (A wallet exists, or a paid model is refused before anything is sent.)
    gw = await startFakeGateway({ script: [FAULTS[5]![1], { text: "fits now" }] });
    const res = await runCli(["ask", "--jsonl", "-m", SONNET, "hi"], { env: { RUNCODE_API_URL: gw.url, ...walletEnv() } });
    expect(res.code).toBe(0);
    expect(gw.calls().map((c) => c.body.model)).toEqual([SONNET, SONNET]);
  });

  test("the proxy: a paid attempt that failed after signing is followed by free models only", async () => {
    for (const [, fault] of FAULTS.filter(([n]) => n === "500" || n === "529" || n === "a dropped socket")) {
      px = await proxyRig({ paid: true, script: Array(6).fill(fault) });
      const res = await fetch(`${px.url}/v1/messages`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: "blockrun/premium", max_tokens: 1000, messages: [{ role: "user", content: "hi" }] }),
      });
      await res.text();
      expect(px.pay!.x402.valid).toHaveLength(1);
      const calls = px.gw.calls();
      const paidAt = calls.findIndex((c) => c.headers["payment-signature"]);
      expect(calls.slice(paidAt + 1).every((c) => free.has(c.body.model))).toBe(true);
      await px.stop();
      px = undefined;
    }
  });
});

describe("what the gateway asks for is checked before signing", () => {
  test("a free catalog model that answers 402 is refused: exit 3, payment_refused, nothing signed", async () => {
    const home = walletHome();
    // The gateway's catalog says free; its x402 side charges every model anyway.
    const x402 = fakeX402({ models: FAKE_MODELS.map((m) => ({ ...m, billing_mode: "paid" })) });
    gw = await startFakeGateway({ intercept: x402.intercept });
    const res = await runCli(["ask", "--jsonl", "-m", "nvidia/qwen3-coder-480b", "hi"], { home, env: { RUNCODE_API_URL: gw.url } });
    expect(res.code).toBe(3);
    expect(jsonLines(res.stdout).at(-1)).toMatchObject({
      ok: false,
      error: {
        code: "payment_refused",
        message: expect.stringContaining("asked to be paid for nvidia/qwen3-coder-480b, which its catalog lists as free"),
      },
    });
    expect(x402.valid).toEqual([]);
    expect(gw.calls()).toHaveLength(1);
    const text = await runCli(["ask", "hi"], { home, env: { RUNCODE_API_URL: gw.url } });
    expect(text.code).toBe(3);
    expect(text.stderr).toContain("which its catalog lists as free; nothing was signed");
    expect(x402.valid).toEqual([]);
  });

  for (const [what, version] of [
    ["3", 3],
    ['the string "2"', "2"],
    ["missing", undefined],
  ] as const)
    test(`x402Version ${what} is refused, nothing signed`, async () => {
      r = await rig({ x402: { x402Version: version } });
      const err = await rejection(ask(r.gateway));
      expect(err.code).toBe("payment_refused");
      expect(err.exit).toBe(3);
      expect(err.message).toMatch(
        version === undefined
          ? /has no x402Version, and runcode pays x402 versions 1 and 2 only; nothing was signed/
          : /has x402Version .*, and runcode pays x402 versions 1 and 2 only/,
      );
      expect(r.gw.calls()).toHaveLength(1);
      expect(r.x402.valid).toEqual([]);
    });

  test("two acceptable USDC requirements: the cheapest is signed", async () => {
    r = await rig({ x402: { price: PRICE, accepts: (a) => [{ ...a[0], amount: "400000" }, ...a] } });
    const { usd } = await ask(r.gateway);
    expect(usd).toBe(0.01);
    expect(r.x402.valid.map((v) => v.amount)).toEqual([PRICE]);
    expect(r.x402.settled.map((v) => v.amount)).toEqual([PRICE]);
  });
});
