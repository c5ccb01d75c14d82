import { afterEach, expect, test } from "bun:test";
import { paths } from "../../src/core/home";
import { cleanup } from "../helpers";
import { startFakeRpc } from "../fake-rpc";
import { ask, ledgerRows as rows, rejection, rig, type Rig } from "./setup";
import { PAY_TO } from "../fake-x402";

let r: Rig | undefined;
afterEach(async () => {
  await r?.gw.stop();
  if (r) cleanup(r.home);
  r = undefined;
});

const cases: Array<[string, Parameters<typeof rig>[0], string, RegExp]> = [
  ["a 402 without requirements", { x402: { fault: "no-requirements" } }, "payment_failed", /no payment requirements/],
  ["malformed base64 requirements", { x402: { fault: "bad-base64" } }, "payment_failed", /not base64 JSON/],
  ["malformed JSON requirements", { x402: { fault: "bad-json" } }, "payment_failed", /not base64 JSON/],
  ["an unknown network", { x402: { fault: "unknown-network" } }, "payment_refused", /payment on eip155:1, but your wallet pays on base/],
  ["an unknown asset", { x402: { fault: "unknown-asset" } }, "payment_refused", /not USDC/],
  ["a wrong EIP-712 domain name", { x402: { fault: "wrong-extra" } }, "payment_refused", /expected "USD Coin"/],
  [
    "a payTo that is not a Base address",
    { x402: { accepts: (o) => o.map((r) => ({ ...r, payTo: "0xnot-an-address" })) } },
    "payment_refused",
    /recipient "0xnot-an-address" is not a base address; nothing was signed/,
  ],
  [
    "the upto scheme on the wallet's network",
    { x402: { accepts: (o) => o.map((r) => ({ ...r, scheme: "upto" })) } },
    "payment_refused",
    /asks for the x402 scheme "upto" on eip155:8453, and runcode pays only "exact"/,
  ],
  [
    "an amount over max-usd-per-request",
    { config: { "max-usd-per-request": 0.01 } },
    "payment_refused",
    /over max-usd-per-request \(\$0\.01\): raise it with `runcode config set max-usd-per-request/,
  ],
];

for (const [name, opts, code, message] of cases)
  test(`${name} is refused before signing (exit 3)`, async () => {
    r = await rig(opts);
    const err = await rejection(ask(r.gateway));
    expect(err.code).toBe(code);
    expect(err.exit).toBe(3);
    expect(err.message).toMatch(message);
    expect(r.gw.calls()).toHaveLength(1); // nothing was resent
    expect(rows(r.home)).toEqual([]);
    expect(r.x402.settled).toEqual([]);
  });

test("a changed payTo stops payments until accepted (non-interactive: exit 3; config set accepts)", async () => {
  r = await rig({ script: [{ text: "a" }, { text: "b" }, { text: "c" }] });
  await ask(r.gateway);
  // the gateway starts asking to pay someone else
  const other = await rig({
    home: r.home,
    wallet: { secret: r.secret, address: r.address },
    x402: { payTo: { base: "0x2222222222222222222222222222222222222222", solana: PAY_TO.solana } },
  });
  const err = await rejection(ask(other.gateway));
  expect(err.code).toBe("payment_refused");
  expect(err.message).toContain(`changed from ${PAY_TO.base}`);
  expect(err.message).toContain("runcode config set gateway-pay-to 0x2222222222222222222222222222222222222222");
  expect(other.x402.settled).toEqual([]);
  // interactive acceptance
  const asked: string[] = [];
  const yes = await rig({
    home: r.home,
    wallet: { secret: r.secret, address: r.address },
    x402: { payTo: { base: "0x2222222222222222222222222222222222222222", solana: PAY_TO.solana } },
    run: { confirm: async (q) => (asked.push(q), true) },
  });
  await ask(yes.gateway);
  expect(asked[0]).toContain("changed from");
  expect(yes.x402.settled).toHaveLength(1);
  // a configured recipient wins over the first seen one
  const cfg = await rig({
    home: r.home,
    wallet: { secret: r.secret, address: r.address },
    config: { "gateway-pay-to": "0x3333333333333333333333333333333333333333" },
  });
  expect((await rejection(ask(cfg.gateway))).message).toContain("your configured gateway-pay-to");
  for (const x of [other, yes, cfg]) await x.gw.stop();
});

test("a 402 again after paying is a failure, never a loop", async () => {
  r = await rig({ x402: { fault: "again-after-pay" } });
  const err = await rejection(ask(r.gateway));
  expect(err.code).toBe("payment_failed");
  expect(r.gw.calls()).toHaveLength(2);
  expect(rows(r.home)[0]).toMatchObject({ status: "failed" });
  expect(r.events.map((e) => e.type)).toEqual(["payment.failed"]);
});

test("a receipt that says failure marks the payment failed and pays nothing", async () => {
  r = await rig({ x402: { fault: "receipt-failure" } });
  const err = await rejection(ask(r.gateway));
  expect(err.code).toBe("payment_failed");
  expect(err.message).toContain("settlement failed");
  expect(rows(r.home)[0]).toMatchObject({ status: "failed", reason: "settlement failed" });
});

test("insufficient balance names the address, the chain, balance and -m free", async () => {
  r = await rig();
  const poor = await rig({ home: r.home, wallet: { secret: r.secret, address: r.address }, x402: { balances: { [r.address]: 10n } } });
  const err = await rejection(ask(poor.gateway));
  expect(err.code).toBe("insufficient_funds");
  expect(err.exit).toBe(3);
  expect(err.message).toContain(`fund ${r.address} on Base with USDC`);
  expect(err.message).toContain("runcode balance");
  expect(err.message).toContain("-m free");
  await poor.gw.stop();
});

test("the fake gateway rejects a replayed payment and a tampered amount", async () => {
  r = await rig();
  await ask(r.gateway);
  const paid = r.gw.calls()[1]!;
  const replay = await fetch(`${r.gw.url}/v1/messages`, {
    method: "POST",
    body: paid.raw,
    headers: { "content-type": "application/json", "payment-signature": paid.headers["payment-signature"]! },
  });
  expect(replay.status).toBe(402);
  expect(await replay.json()).toMatchObject({ details: "Nonce already used" });
  const doc = JSON.parse(Buffer.from(paid.headers["payment-signature"]!, "base64").toString());
  doc.payload.authorization.value = "1";
  const tampered = await fetch(`${r.gw.url}/v1/messages`, {
    method: "POST",
    body: paid.raw,
    headers: { "payment-signature": Buffer.from(JSON.stringify(doc)).toString("base64") },
  });
  expect(await tampered.json()).toMatchObject({ details: "Invalid amount" });
});

test("session budget holds within a session", async () => {
  r = await rig({ config: { "max-usd-per-session": 0.2 }, script: [{ text: "a" }, { text: "b" }] });
  await ask(r.gateway); // ~$0.016 for sonnet with max_tokens 1000
  const err = await rejection(
    Promise.all([
      ask(r.gateway),
      ask(r.gateway),
      ask(r.gateway),
      ask(r.gateway),
      ask(r.gateway),
      ask(r.gateway),
      ask(r.gateway),
      ask(r.gateway),
      ask(r.gateway),
      ask(r.gateway),
      ask(r.gateway),
      ask(r.gateway),
      ask(r.gateway),
    ]),
  );
  expect(err.message).toContain("this session has already signed");
  expect(err.message).toContain("max-usd-per-session ($0.20)");
  const signed = rows(r.home).reduce((s, x) => s + x.amount, 0n);
  expect(signed <= 200_000n).toBe(true);
});

test("Solana: an RPC that hangs on the blockhash fails after rpc-timeout; nothing is sent", async () => {
  const rpc = await startFakeRpc({ mode: "hang" });
  r = await rig({ chain: "solana", config: { "solana-rpc-url": rpc.url, "rpc-timeout": 1 } });
  const err = await rejection(ask(r.gateway));
  rpc.stop();
  expect(err.message).toContain("did not answer getLatestBlockhash");
  expect(r.gw.calls()).toHaveLength(1);
  expect(rows(r.home)[0]).toMatchObject({ status: "failed", reason: "signing failed" });
});

test("a corrupt key file is a wallet error when paying, and the key is not echoed", async () => {
  r = await rig();
  await Bun.write(paths(r.home).evmKey, "0xnot-a-key-SECRETISH\n");
  const fresh = await rig({ home: r.home, wallet: { secret: "", address: "" } });
  const err = await rejection(ask(fresh.gateway));
  expect(err.code).toBe("wallet");
  expect(err.message).not.toContain("SECRETISH");
  await fresh.gw.stop();
});
