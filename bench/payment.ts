#!/usr/bin/env bun
// Payment figures for docs/performance.md: local work per paid request on Base (EIP-3009 sign + x402 header
// encode, the part that adds to every paid request), the one-time cost of loading viem on the first 402, a full
// 402 → sign → resend round trip through Gateway against the fake gateway, and whether a free request loads viem.
//   bun bench/payment.ts [--runs 200]
import { parseArgs } from "node:util";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dir, "..");
const { values: opt } = parseArgs({ options: { runs: { type: "string", default: "200" } } });
const runs = Math.max(10, Number(opt.runs) || 200);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)]!;
const viemLoaded = () => Object.keys(require.cache).some((k) => k.includes("/node_modules/viem/"));

// 1. The free path: a wallet exists, a free request goes through a Gateway with the payer attached.
const { startFakeGateway } = await import("../test/fake-gateway");
const { tempDir } = await import("../test/helpers");
const { paths } = await import("../src/core/home");
const { getValue } = await import("../src/settings");
const { Gateway } = await import("../src/gateway/client");
const { runPayer } = await import("../src/agent/payer");
const home = tempDir("runcode-bench-pay-");
const p = paths(home);
// A key file written without viem (the bench must not load it before measuring): a fixed test key.
await Bun.write(p.evmKey, `0x${"11".repeat(32)}\n`);
(await import("node:fs")).chmodSync(p.evmKey, 0o600);
const fakeLoadsViem = viemLoaded(); // must be false: nothing above imports viem
const free = Bun.spawnSync([
  process.execPath,
  "-e",
  `
  const { runPayer } = await import(${JSON.stringify(join(ROOT, "src/agent/payer.ts"))});
  const { paths } = await import(${JSON.stringify(join(ROOT, "src/core/home.ts"))});
  const { Gateway } = await import(${JSON.stringify(join(ROOT, "src/gateway/client.ts"))});
  const gw = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => Response.json({ ok: 1 }) });
  const ctx = { paths: paths(${JSON.stringify(home)}), env: {}, get: () => undefined, chain: "base", baseUrl: "x" };
  const payer = runPayer(ctx, { emit() {}, session: () => "b", isFree: () => false });
  const g = new Gateway({ baseUrl: "http://127.0.0.1:" + gw.port, userAgent: "b", payer });
  await (await g.post("/v1/messages", { model: "nvidia/x" })).response.text();
  console.log(JSON.stringify({ payer: !!payer, viem: Object.keys(require.cache).some((k) => k.includes("/node_modules/viem/")), solana: Object.keys(require.cache).some((k) => k.includes("@solana")) }));
  gw.stop(true);
`,
]);
const freeResult = JSON.parse(free.stdout.toString().trim());

// 2. First 402: import of the payer + viem (one-time per process).
let t = performance.now();
await import("../src/money/pay");
const { evmSigner } = await import("../src/money/evm");
const { paymentHeader } = await import("../src/money/requirements");
const importMs = performance.now() - t;

// 3. Sign + encode, per request.
const signer = evmSigner(`0x${"11".repeat(32)}`);
const req = {
  scheme: "exact",
  network: "eip155:8453",
  amount: 16_000n,
  asset: "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913",
  payTo: "0x1111111111111111111111111111111111111111",
  maxTimeoutSeconds: 300,
  extra: { name: "USD Coin", version: "2" },
  raw: {},
};
const pr = { version: 2 as const, accepts: [req] };
const times: number[] = [];
for (let i = 0; i < runs + 20; i++) {
  const nonce =
    `0x${crypto.getRandomValues(new Uint8Array(32)).reduce((s, b) => s + b.toString(16).padStart(2, "0"), "")}` as `0x${string}`;
  t = performance.now();
  const { payload } = await signer.sign(req, nonce, Math.floor(Date.now() / 1000));
  paymentHeader(pr, req, payload);
  if (i >= 20) times.push(performance.now() - t);
}

// 4. Whole paid request through Gateway (402 + ledger + sign + resend), fake gateway on loopback.
const { fakeX402 } = await import("../test/fake-x402.ts");
const x402 = fakeX402();
const gw = await startFakeGateway({ intercept: x402.intercept, script: Array.from({ length: 60 }, () => ({ text: "ok" })) });
const store = (await import("../src/store/open")).openStore({ home, warn: () => {} });
const ctx = {
  paths: p,
  env: {},
  get: (k: string) => getValue({ "max-usd-per-day": 1000, "max-usd-per-session": 1000 }, k),
  chain: "base" as const,
  baseUrl: gw.url,
};
const payer = runPayer(ctx, { store: () => store, emit() {}, session: () => "bench", isFree: () => false });
const g = new Gateway({ baseUrl: gw.url, userAgent: "bench", payer });
const full: number[] = [];
for (let i = 0; i < 60; i++) {
  t = performance.now();
  const { response } = await g.post(
    "/v1/messages",
    { model: "anthropic/claude-sonnet-4.6", max_tokens: 100, messages: [{ role: "user", content: "hi" }] },
    { model: "anthropic/claude-sonnet-4.6" },
  );
  await response.text();
  if (i >= 10) full.push(performance.now() - t);
}
await gw.stop();
store.close();
(await import("node:fs")).rmSync(home, { recursive: true, force: true });

const f = (n: number) => `${n.toFixed(2)} ms`;
console.log(
  `free request with a wallet present: payer=${freeResult.payer} loads viem=${freeResult.viem} loads @solana=${freeResult.solana}`,
);
console.log(
  `first 402: import payer + viem      ${f(importMs)} (once per process)${fakeLoadsViem ? " [viem already loaded by the fake]" : ""}`,
);
console.log(`Base sign + encode per request       median ${f(median(times))}, p95 ${f(p95(times))} (${runs} runs)`);
console.log(`paid request end to end (loopback)   median ${f(median(full))}, p95 ${f(p95(full))} (50 runs: 402 + ledger + sign + resend)`);
