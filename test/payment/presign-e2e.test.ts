// Pre-signed payments end to end: the real CLI (`runcode ask` with tools, several paid model calls in one run)
// against the fake gateway. After the first 402 every paid call is one HTTP request; a price change mid-run is paid
// once for that answer (the pre-signed payment recorded as void, not counted as spent); a rotated recipient is
// refused before anything new is signed; max-usd-per-request holds for pre-signed amounts.
import { afterEach, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { AgentEvent } from "../../src/core/events";
import { startFakeGateway, type FakeGateway, type Recorded, type Reply, type Script } from "../fake-gateway";
import { fakeX402, PAY_TO, type X402Options } from "../fake-x402";
import { cleanup, jsonLines, runCli, tempDir } from "../helpers";
import { walletEnv } from "../wallet";
import { ledgerRows } from "./setup";

const MODEL = "anthropic/claude-sonnet-4.6";
const dirs: string[] = [];
const gateways: FakeGateway[] = [];
afterEach(async () => {
  for (const g of gateways.splice(0)) await g.stop();
  cleanup(...dirs.splice(0));
});

const read = (file: string): Reply => ({ tools: [{ name: "Read", input: { file_path: file } }] });
const shape = (calls: Recorded[]) => calls.map((c) => (c.headers["payment-signature"] ? "paid" : "unpaid"));

async function paidRun(script: Script[], x402opts: X402Options = {}, config: Record<string, string> = {}) {
  const home = tempDir("runcode-presign-");
  dirs.push(home);
  writeFileSync(join(home, "notes.txt"), "some notes\n");
  writeFileSync(join(home, "big.txt"), "line of text number xx\n".repeat(20_000));
  const x402 = fakeX402(x402opts);
  const gw = await startFakeGateway({ intercept: x402.intercept, script });
  gateways.push(gw);
  const env = { RUNCODE_API_URL: gw.url, ...walletEnv() };
  for (const [k, v] of Object.entries(config)) await runCli(["config", "set", k, v], { home, env });
  const res = await runCli(["ask", "--jsonl", "-m", MODEL, "read the notes"], { home, env });
  const stats = JSON.parse((await runCli(["stats", "--json"], { home, env })).stdout);
  return { home, x402, gw, res, events: jsonLines(res.stdout) as AgentEvent[], stats };
}

const result = (events: AgentEvent[]) => {
  const r = events.at(-1)!;
  if (r.type !== "result") throw new Error("no result event");
  return r;
};

test("ask with tools: the first paid call is a 402 and a resend, every later paid call exactly one HTTP request", async () => {
  const { res, gw, x402, home, events, stats } = await paidRun([read("notes.txt"), read("notes.txt"), { text: "done" }]);
  expect(res.code).toBe(0);
  expect(shape(gw.calls())).toEqual(["unpaid", "paid", "paid", "paid"]);
  expect(x402.rejected).toEqual([]);
  const paid = x402.settled.reduce((s, x) => s + x.amount, 0n);
  expect(x402.settled).toHaveLength(3);
  expect(ledgerRows(home).map((r) => r.status)).toEqual(["settled", "settled", "settled"]);
  expect(Math.round(result(events).usd * 1e6)).toBe(Number(paid));
  expect(Math.round(stats.total.usd * 1e6)).toBe(Number(paid));
}, 30_000);

test("a price change mid-run: paid once for that answer, the pre-signed payment void and not counted as spent", async () => {
  let surcharge = 0n;
  const { res, gw, x402, home, events, stats } = await paidRun(
    [
      () => {
        surcharge = 700n; // the gateway raises its price while the first answer streams
        return read("notes.txt");
      },
      { text: "the notes say hello" },
    ],
    { accepts: (offered) => offered.map((a) => ({ ...a, amount: String(BigInt(a.amount) + surcharge) })) },
  );
  expect(res.code).toBe(0);
  expect(result(events).text).toBe("the notes say hello");
  expect(shape(gw.calls())).toEqual(["unpaid", "paid", "paid", "paid"]);
  expect(x402.valid).toHaveLength(2); // the void authorization was refused unverified: never submitted
  const rows = ledgerRows(home);
  expect(rows.map((r) => r.status)).toEqual(["settled", "void", "settled"]);
  const paid = x402.settled.reduce((s, x) => s + x.amount, 0n);
  expect(rows[0]!.amount + rows[2]!.amount).toBe(paid);
  // Spent is what settled: result.usd and the stats leave the void one out.
  expect(Math.round(result(events).usd * 1e6)).toBe(Number(paid));
  expect(Math.round(stats.total.usd * 1e6)).toBe(Number(paid));
  const voided = events.filter((e) => e.type === "payment.failed");
  expect(voided).toMatchObject([{ signed: true, usd: Number(rows[1]!.amount) / 1e6 }]);
  expect(voided[0]!.type === "payment.failed" && voided[0]!.reason).toContain("voided, paying the fresh quote");
}, 30_000);

test("a rotated payTo after a kept quote: refused before any new signature, exit 3 with one line", async () => {
  let payTo = PAY_TO.base;
  const { res, x402, home } = await paidRun(
    [
      () => {
        payTo = "0x2222222222222222222222222222222222222222";
        return read("notes.txt");
      },
      { text: "never" },
    ],
    { accepts: (offered) => offered.map((a) => (a.network === "eip155:8453" ? { ...a, payTo } : a)) },
  );
  expect(res.code).toBe(3);
  const errors = res.stderr.split("\n").filter((l) => l.includes("recipient changed"));
  expect(errors).toHaveLength(1);
  expect(errors[0]).toContain("runcode config set gateway-pay-to 0x2222222222222222222222222222222222222222");
  expect(x402.valid).toHaveLength(1);
  expect(ledgerRows(home).map((r) => [r.status, r.pay_to])).toEqual([
    ["settled", PAY_TO.base],
    ["void", PAY_TO.base],
  ]);
}, 30_000);

test("max-usd-per-request holds for pre-signed amounts: one over it is never signed (exit 3)", async () => {
  // The first call costs about $0.067; after reading big.txt the next would cost about $0.093.
  const { res, gw, x402, home } = await paidRun([read("big.txt"), { text: "never" }], {}, { "max-usd-per-request": "0.08" });
  expect(res.code).toBe(3);
  expect(res.stderr).toContain("over max-usd-per-request ($0.08)");
  expect(shape(gw.calls())).toEqual(["unpaid", "paid", "unpaid"]);
  expect(x402.valid).toHaveLength(1);
  expect(ledgerRows(home)).toHaveLength(1);
}, 30_000);
