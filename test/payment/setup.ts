// Shared wiring for payment tests: a temp home with a wallet, a fake gateway with the x402 server side, and a
// Gateway whose payer is the real one from createPayer.
import { getValue } from "../../src/core/config";
import type { AgentEvent } from "../../src/core/events";
import { paths } from "../../src/core/home";
import type { Chain } from "../../src/gateway/chain";
import { normalize } from "../../src/gateway/catalog";
import { Gateway } from "../../src/gateway/client";
import { createPayer, type PaymentContext } from "../../src/gateway/payment";
import { generate } from "../../src/wallet/crypto";
import { saveChain, saveKey } from "../../src/wallet/files";
import { FAKE_MODELS, startFakeGateway, type FakeGateway, type Script } from "../fake-gateway";
import { fakeX402, type X402Options } from "../fake-x402";
import { tempDir } from "../helpers";

export type Rig = {
  home: string;
  gw: FakeGateway;
  x402: ReturnType<typeof fakeX402>;
  gateway: Gateway;
  events: AgentEvent[];
  address: string;
  secret: string;
  ctx: PaymentContext;
};

export async function rig(o: { chain?: Chain; x402?: X402Options; config?: Record<string, unknown>; script?: Script[]; ctx?: Partial<PaymentContext>; home?: string; wallet?: { secret: string; address: string } } = {}): Promise<Rig> {
  const chain = o.chain ?? "base";
  const home = o.home ?? tempDir("runcode-pay-");
  const p = paths(home);
  const w = o.wallet ?? generate(chain);
  if (!o.wallet && !o.home) {
    saveKey(p, chain, w.secret);
    saveChain(p, chain);
  }
  const x402 = fakeX402(o.x402);
  const gw = await startFakeGateway({ intercept: x402.intercept, script: o.script ?? [{ text: "paid answer" }] });
  const events: AgentEvent[] = [];
  const cfg = o.config ?? {};
  const ctx: PaymentContext = {
    paths: p,
    env: {},
    config: (k) => getValue(cfg, k),
    emit: (e) => events.push(e),
    session: "s1",
    interactive: false,
    confirm: async () => false,
    apiBase: gw.url,
    chain,
    // What the fake gateway's catalog (/v1/models) says, as the CLI reads it.
    isFree: (id) => normalize({ data: FAKE_MODELS }).some((m) => m.id === id && m.free),
    ...o.ctx,
  };
  const payer = createPayer(ctx);
  const gateway = new Gateway({ baseUrl: gw.url, userAgent: "runcode-test", payer, idleTimeoutMs: 10_000 });
  return { home, gw, x402, gateway, events, address: w.address, secret: w.secret, ctx };
}

export const ask = (g: Gateway, model = "anthropic/claude-sonnet-4.6") =>
  g.post("/v1/messages", { model, max_tokens: 1000, messages: [{ role: "user", content: "hi" }] }, { model });

/** The error a promise rejects with (fails the test if it resolves). */
export async function rejection(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error("expected a rejection");
}
