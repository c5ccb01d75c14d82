import { afterEach, describe, expect, test } from "bun:test";
import { runPayer } from "../../src/agent/payer";
import { cleanup } from "../helpers";
import { Gateway } from "../../src/gateway/client";
import { ask, ledgerRows, rig, type Rig } from "./setup";

let r: Rig | undefined;
afterEach(async () => {
  await r?.gw.stop();
  if (r) cleanup(r.home);
  r = undefined;
});

describe("paying on Base", () => {
  test("a paid request settles with a signature the gateway verified, and the ledger matches", async () => {
    r = await rig();
    const { response, usd } = await ask(r.gateway);
    const body = (await response.json()) as { content: Array<{ text: string }> };
    expect(body.content[0]!.text).toBe("paid answer");
    expect(r.x402.settled).toHaveLength(1);
    const s = r.x402.settled[0]!;
    expect(s.payer.toLowerCase()).toBe(r.address.toLowerCase());
    expect(usd).toBe(Number(s.amount) / 1e6);
    const rows = ledgerRows(r.home);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      status: "settled",
      amount: s.amount,
      nonce: s.nonce,
      tx: s.tx,
      pay_to: s.payTo,
      network: "eip155:8453",
      model: "anthropic/claude-sonnet-4.6",
      session: "s1",
    });
    expect(r.events).toEqual([
      {
        type: "payment.settled",
        network: "eip155:8453",
        asset: "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913",
        amount: s.amount.toString(),
        usd,
        payTo: s.payTo,
        tx: s.tx,
      },
    ]);
    // one 402, one paid resend: never more
    expect(r.gw.calls()).toHaveLength(2);
    expect(r.gw.calls()[1]!.headers["payment-signature"]).toBeTruthy();
    expect(r.gw.calls()[1]!.raw).toBe(r.gw.calls()[0]!.raw);
  });

  test("two requests use two fresh nonces", async () => {
    r = await rig({ script: [{ text: "a" }, { text: "b" }] });
    await (await ask(r.gateway)).response.text();
    await (await ask(r.gateway)).response.text();
    expect(r.x402.settled).toHaveLength(2);
    expect(r.x402.settled[0]!.nonce).not.toBe(r.x402.settled[1]!.nonce);
  });

  test("x402 v1 body requirements are paid with X-PAYMENT", async () => {
    r = await rig({ x402: { version: 1 } });
    const { usd } = await ask(r.gateway);
    expect(usd).toBeGreaterThan(0);
    expect(r.gw.calls()[1]!.headers["x-payment"]).toBeTruthy();
    expect(r.x402.settled).toHaveLength(1);
    expect(ledgerRows(r.home)[0]!.status).toBe("settled");
  });

  test("requirements in x-payment-required or only in the body are read", async () => {
    for (const carrier of ["x-header", "body"] as const) {
      r = await rig({ x402: { carrier } });
      await ask(r.gateway);
      expect(r.x402.settled).toHaveLength(1);
      await r.gw.stop();
      cleanup(r.home);
      r = undefined;
    }
  });

  test("a free model never reaches the payer", async () => {
    r = await rig();
    const { usd } = await ask(r.gateway, "nvidia/qwen3-coder-480b");
    expect(usd).toBe(0);
    expect(r.events).toEqual([]);
    expect(ledgerRows(r.home)).toEqual([]);
  });
});

describe("paying on Solana", () => {
  test("a partially signed v0 transaction is verified by the gateway; blockhash from <api>/v1/solana/rpc", async () => {
    r = await rig({ chain: "solana" });
    const { usd } = await ask(r.gateway);
    expect(r.x402.rejected).toEqual([]);
    expect(r.x402.settled).toHaveLength(1);
    const s = r.x402.settled[0]!;
    expect(s.payer).toBe(r.address);
    expect(usd).toBe(Number(s.amount) / 1e6);
    expect(r.gw.requests.some((q) => q.path === "/v1/solana/rpc" && q.body.method === "getLatestBlockhash")).toBe(true);
    const rows = ledgerRows(r.home);
    expect(rows[0]).toMatchObject({ status: "settled", amount: s.amount, tx: s.tx, network: s.network, pay_to: s.payTo });
  });
});

test("the session budget follows a session getter: a new conversation starts a new budget", async () => {
  const r = await rig({ config: { "max-usd-per-session": "5" }, script: [{ text: "one" }, { text: "two" }] });
  let session = "conv-1";
  const gateway = new Gateway({
    baseUrl: r.gw.url,
    userAgent: "runcode-test",
    payer: runPayer(r.ctx, { ...r.run, session: () => session }),
    idleTimeoutMs: 10_000,
  });
  await (await ask(gateway)).response.text();
  session = "conv-2";
  await (await ask(gateway)).response.text();
  expect(ledgerRows(r.home).map((x) => x.session)).toEqual(["conv-1", "conv-2"]);
  await r.gw.stop();
});
