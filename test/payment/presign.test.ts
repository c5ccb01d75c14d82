// Pre-signed payments against the fake gateway (which quotes with the documented formula and verifies the exact
// amount): after one paid 402 for a gateway endpoint, model and network, later requests carry their payment on the
// first and only HTTP request; a fresh quote in answer voids the pre-signed payment and is paid once, through every
// guard; the limits apply to pre-signed amounts; Solana never pre-signs.
import { afterEach, describe, expect, test } from "bun:test";
import { runPayer } from "../../src/agent/payer";
import { Gateway } from "../../src/gateway/client";
import { type PaymentEvent, wasSigned } from "../../src/money";
import { Ledger } from "../../src/money/ledger";
import { cleanup } from "../helpers";
import type { Recorded } from "../fake-gateway";
import { PAY_TO } from "../fake-x402";
import { ledgerRows, rejection, rig, type Rig } from "./setup";

const MODEL = "anthropic/claude-sonnet-4.6";
let r: Rig | undefined;
afterEach(async () => {
  await r?.gw.stop();
  if (r) cleanup(r.home);
  r = undefined;
});

/** A paid request whose size (and so its price) the test chooses. */
async function post(g: Gateway, text = "hi", maxTokens = 1000) {
  const { response, usd } = await g.post(
    "/v1/messages",
    { model: MODEL, max_tokens: maxTokens, messages: [{ role: "user", content: text }] },
    { model: MODEL },
  );
  await response.text();
  return usd;
}
/** Each model call the gateway saw: unpaid, or carrying a payment. */
const shape = (calls: Recorded[]) => calls.map((c) => (c.headers["payment-signature"] || c.headers["x-payment"] ? "paid" : "unpaid"));
const script = (n: number) => Array.from({ length: n }, (_, i) => ({ text: `answer ${i + 1}` }));

describe("pre-signed payments on Base", () => {
  test("after the first 402, every later paid request is one HTTP request, signed for the gateway's exact quote", async () => {
    r = await rig({ catalog: true, script: script(3) });
    const usd = [await post(r.gateway), await post(r.gateway, "a longer question ".repeat(50)), await post(r.gateway, "x", 4000)];
    expect(shape(r.gw.calls())).toEqual(["unpaid", "paid", "paid", "paid"]);
    const calls = r.gw.calls();
    // What was signed is what the gateway quotes for those very bytes (it verifies the exact amount).
    expect(r.x402.settled.map((s) => s.amount)).toEqual([calls[1]!, calls[2]!, calls[3]!].map((c) => r!.x402.quote(c)));
    expect(r.x402.rejected).toEqual([]);
    expect(usd).toEqual(r.x402.settled.map((s) => Number(s.amount) / 1e6));
    expect(ledgerRows(r.home).map((x) => [x.status, x.amount])).toEqual(r.x402.settled.map((s) => ["settled", s.amount]));
    expect(r.events.map((e) => e.type)).toEqual(["payment.settled", "payment.settled", "payment.settled"]);
  });

  test("the proxy's path: forwarded bytes are priced from their characters and signed up front too", async () => {
    r = await rig({ catalog: true, script: script(2) });
    const bytes = new TextEncoder().encode(
      JSON.stringify({ model: MODEL, max_tokens: 300, messages: [{ role: "user", content: "héllo ✓" }] }),
    );
    for (let i = 0; i < 2; i++) {
      const { response, usd } = await r.gateway.forward("/v1/messages", bytes, { model: MODEL });
      await response.text();
      expect(usd).toBeGreaterThan(0);
    }
    expect(shape(r.gw.calls())).toEqual(["unpaid", "paid", "paid"]);
    expect(r.x402.rejected).toEqual([]);
  });

  test("the kept quote outlives the process: a new payer on the same home signs its first request up front", async () => {
    r = await rig({ catalog: true, script: script(2) });
    await post(r.gateway);
    const next = new Gateway({ baseUrl: r.gw.url, userAgent: "t", payer: runPayer(r.ctx, r.run), idleTimeoutMs: 10_000 });
    await post(next);
    expect(shape(r.gw.calls())).toEqual(["unpaid", "paid", "paid"]);
    expect(r.x402.settled).toHaveLength(2);
  });

  test("a price change: the pre-signed payment is void (never submitted), the new quote is paid once, the answer arrives", async () => {
    let surcharge = 0n;
    r = await rig({
      catalog: true,
      script: script(3),
      x402: { accepts: (offered) => offered.map((a) => ({ ...a, amount: String(BigInt(a.amount) + surcharge) })) },
    });
    await post(r.gateway);
    surcharge = 500n; // the gateway raises its price between two requests
    const usd = await post(r.gateway);
    expect(shape(r.gw.calls())).toEqual(["unpaid", "paid", "paid", "paid"]);
    expect(r.x402.rejected).toEqual(["Requirement mismatch"]);
    // One signature verified (and settled) per answer: the void one was refused before it was ever verified.
    expect(r.x402.valid).toHaveLength(2);
    expect(r.x402.settled).toHaveLength(2);
    expect(usd).toBe(Number(r.x402.settled[1]!.amount) / 1e6);
    const rows = ledgerRows(r.home);
    expect(rows.map((x) => x.status)).toEqual(["settled", "void", "settled"]);
    expect(rows[2]!.amount - rows[1]!.amount).toBe(500n);
    expect(rows[1]!.reason).toContain("superseded by a fresh quote");
    expect((r.events as PaymentEvent[]).map((e) => [e.type, e.usd > 0, "signed" in e ? e.signed : undefined])).toEqual([
      ["payment.settled", true, undefined],
      ["payment.failed", true, true],
      ["payment.settled", true, undefined],
    ]);
    // The void one counts toward the budgets (a hostile gateway could still hold it), so both are in the day's total.
    const l = new Ledger(r.store.db);
    expect(l.spent({ session: "s1" })).toBe(rows[0]!.amount + rows[1]!.amount + rows[2]!.amount);
    // The new price is learned: the next request is pre-signed again, and taken.
    await post(r.gateway);
    expect(shape(r.gw.calls()).slice(4)).toEqual(["paid"]);
    expect(r.x402.settled).toHaveLength(3);
  });

  test("x402 v1: a refusal without requirements voids the pre-signed payment, and the quote is asked for again unpaid", async () => {
    let surcharge = 0n;
    r = await rig({
      catalog: true,
      script: script(2),
      x402: {
        version: 1,
        accepts: (offered) => offered.map((a) => ({ ...a, maxAmountRequired: String(BigInt(a.maxAmountRequired) + surcharge) })),
      },
    });
    await post(r.gateway);
    surcharge = 300n;
    await post(r.gateway);
    expect(shape(r.gw.calls())).toEqual(["unpaid", "paid", "paid", "unpaid", "paid"]);
    expect(r.x402.rejected).toEqual(["Invalid amount"]);
    expect(ledgerRows(r.home).map((x) => x.status)).toEqual(["settled", "void", "settled"]);
    expect(r.x402.settled).toHaveLength(2);
  });

  test("a rotated payTo in the 402 after a kept quote is refused before any new signature (exit 3, one line)", async () => {
    let payTo = PAY_TO.base;
    r = await rig({
      catalog: true,
      script: script(2),
      x402: { accepts: (offered) => offered.map((a) => ({ ...a, payTo: a.network === "eip155:8453" ? payTo : a.payTo })) },
    });
    await post(r.gateway);
    payTo = "0x2222222222222222222222222222222222222222";
    const err = await rejection(post(r.gateway));
    expect(err.code).toBe("payment_refused");
    expect(err.exit).toBe(3);
    expect(err.message).toContain(`recipient changed from ${PAY_TO.base}`);
    expect(err.message).not.toContain("\n");
    expect(wasSigned(err)).toBe(true); // the pre-signed one was made for this answer: only free models may follow
    expect(ledgerRows(r.home).map((x) => [x.status, x.pay_to])).toEqual([
      ["settled", PAY_TO.base],
      ["void", PAY_TO.base],
    ]);
    expect(r.x402.valid).toHaveLength(1); // nothing signed to the new recipient
  });

  test("a pre-signed amount over max-usd-per-request is never signed; the gateway's own quote meets the same limit", async () => {
    r = await rig({ catalog: true, config: { "max-usd-per-request": 0.02 }, script: script(2) });
    await post(r.gateway, "hi", 1000); // about $0.016
    const err = await rejection(post(r.gateway, "hi", 2000)); // about $0.031
    expect(err.message).toContain("over max-usd-per-request ($0.02)");
    expect(err.exit).toBe(3);
    expect(shape(r.gw.calls())).toEqual(["unpaid", "paid", "unpaid"]);
    expect(ledgerRows(r.home)).toHaveLength(1);
  });

  test("a pre-signed amount over the session budget is never signed either", async () => {
    r = await rig({ catalog: true, config: { "max-usd-per-session": 0.02 }, script: script(2) });
    await post(r.gateway);
    const err = await rejection(post(r.gateway));
    expect(err.message).toContain("max-usd-per-session");
    expect(shape(r.gw.calls())).toEqual(["unpaid", "paid", "unpaid"]);
    expect(ledgerRows(r.home)).toHaveLength(1);
  });

  test("the gateway refusing the pre-signed payment itself (insufficient balance) is not signed again", async () => {
    const balances: Record<string, bigint> = {};
    r = await rig({ catalog: true, script: script(2), x402: { balances } });
    await post(r.gateway, "hi", 1000);
    // From now on the wallet holds less than the next, larger request costs.
    balances[r.address] = r.x402.settled[0]!.amount + 1n;
    const err = await rejection(post(r.gateway, "hi", 1200));
    expect(err.code).toBe("insufficient_funds");
    expect(err.exit).toBe(3);
    expect(shape(r.gw.calls())).toEqual(["unpaid", "paid", "paid"]);
    expect(ledgerRows(r.home).map((x) => x.status)).toEqual(["settled", "failed"]);
  });

  test("two voids within an hour for one key stop pre-signing it: the 402 flow, not a void before every call", async () => {
    // A gateway whose price moves with every new request body (a formula runcode cannot predict): 100 more each.
    const bodies: string[] = [];
    const surcharge = () => {
      const raw = r!.gw.requests.at(-1)!.raw;
      if (!bodies.includes(raw)) bodies.push(raw);
      return BigInt(bodies.indexOf(raw) * 100);
    };
    r = await rig({
      catalog: true,
      script: script(4),
      x402: { accepts: (offered) => offered.map((a) => ({ ...a, amount: String(BigInt(a.amount) + surcharge()) })) },
    });
    for (const text of ["one", "two", "three", "four"]) await post(r.gateway, text);
    expect(shape(r.gw.calls())).toEqual(["unpaid", "paid", "paid", "paid", "paid", "paid", "unpaid", "paid"]);
    expect(ledgerRows(r.home).map((x) => x.status)).toEqual(["settled", "void", "settled", "void", "settled", "settled"]);
    expect(r.x402.settled).toHaveLength(4);
  });
});

describe("never pre-signed", () => {
  test("on Solana: every paid request is a 402 and a paid resend, and no quote is kept", async () => {
    r = await rig({ chain: "solana", catalog: true, script: script(2) });
    await post(r.gateway);
    await post(r.gateway);
    expect(shape(r.gw.calls())).toEqual(["unpaid", "paid", "unpaid", "paid"]);
    expect(r.x402.settled).toHaveLength(2);
    expect(r.store.db.query("SELECT count(*) AS n FROM quotes").get()).toEqual({ n: 0n });
  });

  test("without the catalog's prices (no catalog cache: the built-in list) nothing is signed ahead", async () => {
    r = await rig({ script: script(2) });
    await post(r.gateway);
    await post(r.gateway);
    expect(shape(r.gw.calls())).toEqual(["unpaid", "paid", "unpaid", "paid"]);
  });
});
