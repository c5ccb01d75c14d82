// The payer is handed its collaborators and reads nothing itself: no home, no config file, no environment. Here it
// gets an in-memory ledger, a signer from a key string, limits as atomic bigints and a frozen clock, while the
// environment says the opposite of each (another chain, another key, another RPC, a missing home); it pays with
// exactly what it was handed.
import { Database } from "bun:sqlite";
import { afterEach, expect, test } from "bun:test";
import { Gateway } from "../../src/gateway/client";
import { createPayer, type PayerDeps, type PaymentEvent } from "../../src/money";
import { Ledger, LEDGER_MIGRATIONS } from "../../src/money/ledger";
import { loadSigner } from "../../src/money/signer";
import { generate } from "../../src/money/wallet/crypto";
import { startFakeGateway, type FakeGateway } from "../fake-gateway";
import { fakeX402 } from "../fake-x402";
import { ask, rejection } from "./setup";

const HOSTILE_ENV = {
  RUNCODE_CHAIN: "solana",
  RUNCODE_HOME: "/nonexistent/runcode-home",
  RUNCODE_SOLANA_RPC_URL: "http://127.0.0.1:9/never",
  BLOCKRUN_WALLET_KEY: generate("base").secret,
};
/** Names runcode would read to decide anything about money. */
const OURS = /^(RUNCODE_|BLOCKRUN_|BASE_CHAIN_|SOLANA_)/;

let gw: FakeGateway | undefined;
const realEnv = process.env;
afterEach(async () => {
  process.env = realEnv;
  await gw?.stop();
  gw = undefined;
});

function deps(over: Partial<PayerDeps> = {}) {
  const db = new Database(":memory:", { strict: true, safeIntegers: true });
  for (const m of LEDGER_MIGRATIONS) db.exec(m.sql);
  const ledger = new Ledger(db);
  const wallet = generate("base");
  const events: PaymentEvent[] = [];
  const T = Date.now();
  const d: PayerDeps = {
    chain: "base",
    ledger: () => ledger,
    signer: () => loadSigner("base", { secret: wallet.secret, source: { kind: "env", name: "TEST_KEY" } }, { now: () => T }),
    limits: () => ({ perRequest: 500_000n, perSession: 5_000_000n, perDay: 20_000_000n }),
    payTo: { configured: () => undefined },
    isFree: () => false,
    session: () => "handed-in",
    emit: (e) => events.push(e),
    now: () => T,
    ...over,
  };
  return { d, ledger, wallet, events, T };
}

/** Runs `fn` with process.env replaced by the hostile values, recording every name read. */
async function withTrappedEnv<T>(fn: () => Promise<T>): Promise<{ value: T; reads: string[] }> {
  const reads: string[] = [];
  process.env = new Proxy(
    { ...realEnv, ...HOSTILE_ENV },
    {
      get: (t, k) => (typeof k === "string" && reads.push(k), Reflect.get(t, k)),
    },
  );
  try {
    return { value: await fn(), reads };
  } finally {
    process.env = realEnv;
  }
}

test("given a ledger, a signer, limits and a clock, the payer pays with those and reads no env or config", async () => {
  const x402 = fakeX402();
  gw = await startFakeGateway({ intercept: x402.intercept, script: [{ text: "paid" }] });
  const { d, ledger, wallet, events, T } = deps();
  const gateway = new Gateway({ baseUrl: gw.url, userAgent: "t", payer: createPayer(d) });
  const { reads } = await withTrappedEnv(async () => (await ask(gateway)).response.text());
  expect(reads.filter((k) => OURS.test(k))).toEqual([]);
  // Base (not RUNCODE_CHAIN's Solana), the handed-in key (not BLOCKRUN_WALLET_KEY's), the handed-in session and clock.
  expect(x402.settled).toHaveLength(1);
  expect(x402.settled[0]!.payer.toLowerCase()).toBe(wallet.address.toLowerCase());
  const rows = ledger.list();
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({ status: "settled", network: "eip155:8453", session: "handed-in", created_at: T, signed_at: T });
  expect(events.map((e) => [e.type, e.amount])).toEqual([["payment.settled", x402.settled[0]!.amount.toString()]]);
});

test("the limits it is handed are the ones enforced (no config consulted): over perRequest, nothing is signed", async () => {
  const x402 = fakeX402({ price: 20_000n });
  gw = await startFakeGateway({ intercept: x402.intercept, script: [{ text: "never" }] });
  const { d, ledger } = deps({ limits: () => ({ perRequest: 10_000n, perSession: 1_000_000n, perDay: 1_000_000n }) });
  const gateway = new Gateway({ baseUrl: gw.url, userAgent: "t", payer: createPayer(d) });
  const { value: err } = await withTrappedEnv(() => rejection(ask(gateway)));
  expect(err.code).toBe("payment_refused");
  expect(err.message).toContain("over max-usd-per-request ($0.01)");
  expect(ledger.list()).toEqual([]);
  expect(x402.settled).toEqual([]);
});

test("the type has no door to config, env or the home: those are not collaborators", () => {
  const { d } = deps();
  // @ts-expect-error a config getter is not a collaborator of the payer
  createPayer({ ...d, config: () => 1 });
  // @ts-expect-error nor is the environment
  createPayer({ ...d, env: {} });
  // @ts-expect-error nor the home's paths
  createPayer({ ...d, paths: { db: "/tmp/x" } });
});
