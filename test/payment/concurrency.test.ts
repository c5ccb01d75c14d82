import { expect, test } from "bun:test";
import { join } from "node:path";
import { writeConfig } from "../../src/core/config";
import { paths } from "../../src/core/home";
import { generate } from "../../src/money/wallet/crypto";
import { saveChain, saveKey } from "../../src/money/wallet/files";
import { startFakeGateway } from "../fake-gateway";
import { fakeX402 } from "../fake-x402";
import { cleanup, tempDir } from "../helpers";
import { ledgerRows } from "./setup";

test("six runcode processes paying at once: the day budget holds across processes", async () => {
  const home = tempDir();
  const p = paths(home);
  saveKey(p, "base", generate("base").secret);
  saveChain(p, "base");
  // $0.10 per request, $0.25 per day: exactly two may be signed, whatever the interleaving.
  writeConfig(p.config, { "max-usd-per-day": 0.25 });
  const x402 = fakeX402({ price: 100_000n });
  const gw = await startFakeGateway({ intercept: x402.intercept, script: Array.from({ length: 6 }, () => ({ text: "ok" })) });
  const procs = Array.from({ length: 6 }, () =>
    Bun.spawn([process.execPath, join(import.meta.dir, "pay-once.ts")], {
      env: { ...process.env, RUNCODE_HOME: home, HOME: home, GW_URL: gw.url },
      stdout: "pipe",
      stderr: "pipe",
    }),
  );
  const results = await Promise.all(procs.map(async (pr) => JSON.parse((await new Response(pr.stdout).text()).trim())));
  await gw.stop();
  const ok = results.filter((r) => r.ok);
  const refused = results.filter((r) => !r.ok);
  expect(ok).toHaveLength(2);
  expect(refused.every((r) => r.code === "payment_refused" && r.message.includes("max-usd-per-day ($0.25)"))).toBe(true);
  expect(x402.settled).toHaveLength(2);
  const rows = ledgerRows(home);
  expect(rows.map((r) => r.status)).toEqual(["settled", "settled"]);
  expect(rows.map((r) => r.nonce).sort()).toEqual(x402.settled.map((s) => s.nonce!).sort());
  cleanup(home);
}, 30_000);
