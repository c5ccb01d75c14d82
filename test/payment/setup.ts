// Shared wiring for payment tests: a temp home with a wallet, a fake gateway with the x402 server side, and a
// Gateway whose payer is the real one, assembled from a CLI-shaped context by src/agent/payer.ts as every run does,
// with its ledger on the home's store.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { getValue } from "../../src/settings";
import type { AgentEvent } from "../../src/core/events";
import { paths } from "../../src/core/home";
import { runPayer, type RunPayment } from "../../src/agent/payer";
import type { Chain } from "../../src/money/chain";
import { normalize } from "../../src/gateway/catalog";
import { Gateway } from "../../src/gateway/client";
import { Ledger, type PaymentRow } from "../../src/money/ledger";
import { generate } from "../../src/money/wallet/crypto";
import { saveChain, saveKey } from "../../src/money/wallet/files";
import { openStore } from "../../src/store/open";
import type { Store } from "../../src/store/store";
import { FAKE_MODELS, startFakeGateway, type FakeGateway, type Script } from "../fake-gateway";
import { fakeX402, type X402Options } from "../fake-x402";
import { tempDir } from "../helpers";

/** What src/agent/payer.ts reads from the CLI context. */
export type PayContext = Parameters<typeof runPayer>[0];

export type Rig = {
  home: string;
  gw: FakeGateway;
  x402: ReturnType<typeof fakeX402>;
  gateway: Gateway;
  events: AgentEvent[];
  address: string;
  secret: string;
  /** The context and run options the payer was built from: rebuild with changes via runPayer. */
  ctx: PayContext;
  run: RunPayment;
  /** The store the ledger writes to (the run's one open store). */
  store: Store;
};

export async function rig(
  o: {
    chain?: Chain;
    x402?: X402Options;
    config?: Record<string, unknown>;
    script?: Script[];
    run?: Partial<RunPayment>;
    home?: string;
    wallet?: { secret: string; address: string };
    /** Keep the fake catalog in the home's catalog cache, as a CLI run does: its prices let payments be pre-signed. */
    catalog?: boolean;
  } = {},
): Promise<Rig> {
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
  if (o.catalog) {
    mkdirSync(dirname(p.catalogCache), { recursive: true });
    writeFileSync(p.catalogCache, JSON.stringify({ fetchedAt: Date.now(), baseUrl: gw.url, models: normalize({ data: FAKE_MODELS }) }));
  }
  const events: AgentEvent[] = [];
  const cfg = o.config ?? {};
  const store = openStore({ home, warn: () => {}, importOriginal: false });
  const ctx: PayContext = { paths: p, env: {}, get: (k) => getValue(cfg, k), chain, baseUrl: gw.url };
  const run: RunPayment = {
    store: () => store,
    emit: (e) => events.push(e),
    session: () => "s1",
    // What the fake gateway's catalog (/v1/models) says, as the CLI reads it.
    isFree: (id) => normalize({ data: FAKE_MODELS }).some((m) => m.id === id && m.free),
    ...o.run,
  };
  const payer = runPayer(ctx, run);
  const gateway = new Gateway({ baseUrl: gw.url, userAgent: "runcode-test", payer, idleTimeoutMs: 10_000 });
  return { home, gw, x402, gateway, events, address: w.address, secret: w.secret, ctx, run, store };
}

/** The ledger's rows in a home, read through the store as runcode does. */
export function ledgerRows(home: string): PaymentRow[] {
  const store = openStore({ home, warn: () => {}, importOriginal: false });
  try {
    return new Ledger(store.db).list();
  } finally {
    store.close();
  }
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
