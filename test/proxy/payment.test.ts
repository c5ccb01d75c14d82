// Paid models through the proxy: the real payer against the fake x402 server, one payment per answer.
import { afterEach, describe, expect, test } from "bun:test";
import { ledgerRows as ledger } from "../payment/setup";
import { proxyRig, raw, type ProxyRig, json } from "./setup";

let r: ProxyRig;
afterEach(() => r?.stop());

const ask = { max_tokens: 1000, messages: [{ role: "user" as const, content: "hi" }] };

describe("payment through the proxy", () => {
  test("a paid Claude model is paid once, streamed and not; usd in the log and a response header", async () => {
    r = await proxyRig({ paid: true, script: [{ text: "paid answer" }, { text: "paid stream" }] });
    const { data, response } = await r
      .anthropic()
      .messages.create({ model: "claude-sonnet-4-6", ...ask })
      .withResponse();
    expect((data.content[0] as { text: string }).text).toBe("paid answer");
    expect(r.pay!.x402.settled).toHaveLength(1);
    const usd = Number(r.pay!.x402.settled[0]!.amount) / 1e6;
    expect(Number(response.headers.get("x-runcode-usd"))).toBeCloseTo(usd, 6);
    const m = await r
      .anthropic()
      .messages.stream({ model: "claude-sonnet-4-6", ...ask })
      .finalMessage();
    expect((m.content[0] as { text: string }).text).toBe("paid stream");
    expect(r.pay!.x402.settled).toHaveLength(2);
    expect(r.lines[0]).toContain(`$${usd.toFixed(4)}`);
    // the 402, then the paid resend with the very same bytes
    const calls = r.gw.calls();
    expect(calls).toHaveLength(4);
    expect(calls[1]!.raw).toBe(calls[0]!.raw);
  });

  test("a paid attempt that fails after signing is not charged, and only a free model may follow it", async () => {
    r = await proxyRig({ paid: true, script: [{ fault: { status: 503 } }, { text: "rescued" }] });
    const m = await r.anthropic().messages.create({ model: "blockrun/premium", ...ask });
    expect((m.content[0] as { text: string }).text).toBe("rescued");
    const rows = ledger(r.pay!.home);
    // The gateway still holds the first signature: a second paid model would be a second signature for one answer.
    expect(rows.map((x) => x.status)).toEqual(["failed"]);
    expect(r.pay!.x402.valid).toHaveLength(1);
    expect(r.gw.calls().at(-1)!.body.model).toStartWith("nvidia/");
    expect(r.lines[0]).toContain("(server_error)");
  });

  test("a stream cut after bytes were sent is not retried, so nothing is paid twice", async () => {
    r = await proxyRig({ paid: true, script: [{ text: "one two three four five six seven", fault: "cut" }, { text: "never" }] });
    await r
      .anthropic()
      .messages.stream({ model: "claude-sonnet-4-6", ...ask })
      .finalMessage()
      .catch(() => undefined);
    expect(r.pay!.x402.settled).toHaveLength(1);
    expect(r.gw.calls()).toHaveLength(2); // the 402 and the paid resend, nothing after
  });

  test("a payment refused by the spending guard is a 402, never a fallback", async () => {
    r = await proxyRig({ paid: true, config: { "max-usd-per-request": 0.000001 }, script: [{ text: "never" }] });
    const res = await raw(r.url, "/v1/messages", { body: JSON.stringify({ model: "anthropic/claude-opus-4.6", ...ask }) });
    expect(res.status).toBe(402);
    const j = await json(res);
    expect(j.error.type).toBe("invalid_request_error");
    expect(j.error.message).toMatch(/max-usd-per-request|limit/);
    expect(r.gw.calls()).toHaveLength(1); // the unpaid 402 only
    expect(r.pay!.x402.settled).toHaveLength(0);
  });

  test("without a wallet a paid model is a clear 402 for OpenAI clients", async () => {
    r = await proxyRig({ script: [] });
    const fake402 = r.gw; // the plain fake gateway answers paid models; emulate a 402 through a script instead
    fake402.push({ fault: { status: 402, body: JSON.stringify({ error: "Payment Required" }) } });
    const err = await r
      .openai()
      .chat.completions.create({ model: "openai/gpt-5.4", messages: [{ role: "user", content: "x" }] })
      .catch((e) => e);
    expect(err.status).toBe(402);
    expect(err.error.message).toContain("runcode setup");
    expect(err.error.code).toBe("payment_required");
  });
});
