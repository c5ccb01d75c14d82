// Dollars reach every total through one channel, the payer's payment.settled: a run with several paid calls (its
// own and a sub-agent's) reports as result.usd exactly what settled, and the stats in the store record the same, as
// does the REPL's session total. The `usage` event's `usd` is informational and summed by nobody.
import { afterEach, expect, test } from "bun:test";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { AgentEvent } from "../../src/core/events";
import { paths } from "../../src/core/home";
import { generate } from "../../src/money/wallet/crypto";
import { saveChain, saveKey } from "../../src/money/wallet/files";
import { openReplWorkspace } from "../../src/repl/open";
import { openStore } from "../../src/store/open";
import { startFakeGateway, type FakeGateway, type Script } from "../fake-gateway";
import { fakeX402 } from "../fake-x402";
import { cleanup, jsonLines, runCli, tempDir } from "../helpers";
import { ledgerRows } from "./setup";

const MODEL = "anthropic/claude-sonnet-4.6";
// The agent starts a sub-agent (paid), the sub-agent answers (paid), the agent answers (paid).
const SCRIPT: Script[] = [
  { tools: [{ name: "SubAgent", input: { description: "look around", prompt: "what is here?" } }] },
  { text: "a report" },
  { text: "done" },
];

const dirs: string[] = [];
const gateways: FakeGateway[] = [];
afterEach(async () => {
  for (const g of gateways.splice(0)) await g.stop();
  cleanup(...dirs.splice(0));
});

async function paidHome() {
  const home = tempDir("runcode-totals-");
  dirs.push(home);
  saveKey(paths(home), "base", generate("base").secret);
  saveChain(paths(home), "base");
  const x402 = fakeX402();
  const gw = await startFakeGateway({ intercept: x402.intercept, script: SCRIPT });
  gateways.push(gw);
  return { home, x402, gw };
}

/** Micro-USD the store's stats recorded for a session. */
function recordedCost(home: string, session: string): { cost: bigint; requests: number } {
  const store = openStore({ home, warn: () => {} });
  try {
    const row = store.db
      .query<{ cost: bigint; n: bigint }, [string]>("SELECT COALESCE(SUM(cost), 0) AS cost, COUNT(*) AS n FROM requests WHERE session = ?")
      .get(session)!;
    return { cost: BigInt(row.cost), requests: Number(row.n) };
  } finally {
    store.close();
  }
}

const settledAtomic = (events: AgentEvent[]) =>
  events
    .filter((e): e is Extract<AgentEvent, { type: "payment.settled" }> => e.type === "payment.settled")
    .reduce((s, e) => s + BigInt(e.amount), 0n);

test("ask: result.usd is the sum of payment.settled (a sub-agent's included), and the stats record the same", async () => {
  const { home, x402, gw } = await paidHome();
  const res = await runCli(["ask", "--jsonl", "-m", MODEL, "look around"], { home, env: { RUNCODE_API_URL: gw.url } });
  expect(res.code).toBe(0);
  const events = jsonLines(res.stdout) as AgentEvent[];
  expect(events.filter((e) => e.type === "payment.settled")).toHaveLength(3);
  const paid = settledAtomic(events);
  expect(paid).toBe(x402.settled.reduce((s, x) => s + x.amount, 0n));
  const result = events.at(-1)!;
  if (result.type !== "result") throw new Error("no result");
  expect(Math.round(result.usd * 1e6)).toBe(Number(paid));
  // The store: one row per model call (the sub-agent's is its own), costs summing to what settled; the ledger agrees.
  const session = events.find((e) => e.type === "session.started")!;
  if (session.type !== "session.started") throw new Error("no session");
  expect(recordedCost(home, session.session)).toEqual({ cost: paid, requests: 3 });
  const ledger = ledgerRows(home);
  expect(ledger.map((r) => [r.status, r.session])).toEqual(Array(3).fill(["settled", session.session]));
  expect(ledger.reduce((s, r) => s + r.amount, 0n)).toBe(paid);
}, 30_000);

test("the REPL: the session total is what settled, and the stats for the session record the same", async () => {
  const { home, x402, gw } = await paidHome();
  const cwd = tempDir("runcode-totals-proj-");
  dirs.push(cwd);
  mkdirSync(join(cwd, ".git"));
  const env = { HOME: home, RUNCODE_HOME: home, RUNCODE_API_URL: gw.url, PATH: process.env.PATH, RUNCODE_NO_RIPGREP: "1" };
  const ws = await openReplWorkspace({ env, cwd, model: MODEL }, { interactive: false, confirm: async () => false, warn: () => {} });
  const events: AgentEvent[] = [];
  for await (const e of ws.turn({ text: "look around", signal: new AbortController().signal })) events.push(e);
  await ws.close();
  const paid = x402.settled.reduce((s, x) => s + x.amount, 0n);
  expect(x402.settled).toHaveLength(3);
  expect(settledAtomic(events)).toBe(paid);
  expect(Math.round(ws.totals.usd * 1e6)).toBe(Number(paid));
  expect(recordedCost(home, ws.sessionId).cost).toBe(paid);
}, 30_000);
