#!/usr/bin/env bun
// Payment figures for docs/performance.md: local work per paid request on Base (EIP-3009 sign + x402 header
// encode, the part that adds to every paid request), the one-time cost of loading viem on the first 402, the first
// signature of a fresh process with secp256k1's small and large base-point tables, a full 402 → sign → resend round
// trip and a pre-signed request through Gateway against the fake gateway, and whether a free request loads viem.
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
// 5. Pre-signed: with the catalog's prices at hand, the first request is quoted (402) and every later one is signed
// up front (one HTTP request).
const { normalize } = await import("../src/gateway/catalog");
const { FAKE_MODELS } = await import("../test/fake-gateway");
(await import("node:fs")).mkdirSync(join(home, "cache"), { recursive: true });
await Bun.write(p.catalogCache, JSON.stringify({ fetchedAt: Date.now(), baseUrl: gw.url, models: normalize({ data: FAKE_MODELS }) }));
const pre = new Gateway({
  baseUrl: gw.url,
  userAgent: "bench",
  payer: runPayer(ctx, { store: () => store, emit() {}, session: () => "bench", isFree: () => false }),
});
gw.push(...Array.from({ length: 60 }, () => ({ text: "ok" })));
const callsBefore = gw.calls().length;
const presigned: number[] = [];
for (let i = 0; i < 60; i++) {
  t = performance.now();
  const { response } = await pre.post(
    "/v1/messages",
    { model: "anthropic/claude-sonnet-4.6", max_tokens: 100, messages: [{ role: "user", content: "hi" }] },
    { model: "anthropic/claude-sonnet-4.6" },
  );
  await response.text();
  if (i >= 10) presigned.push(performance.now() - t);
}
const presignedCalls = (gw.calls().length - callsBefore - 2) / 59; // the first is a 402 and a resend
await gw.stop();
store.close();
(await import("node:fs")).rmSync(home, { recursive: true, force: true });

// 6. The first signature of a fresh process (key → address, then one EIP-3009 signature), with the base-point table a
// one-shot run uses (4-bit window) and the proxy's (8-bit, the library default). Ten fresh processes each.
const first = (volume: string) => {
  const ms: number[] = [];
  for (let i = 0; i < 10; i++) {
    const r = Bun.spawnSync([
      process.execPath,
      "-e",
      `
      const { evmSigner } = await import(${JSON.stringify(join(ROOT, "src/money/evm.ts"))});
      const req = ${JSON.stringify({ ...req, amount: "16000" })};
      req.amount = 16000n;
      const t = performance.now();
      const s = evmSigner("0x${"11".repeat(32)}", "${volume}");
      await s.sign(req, "0x${"22".repeat(32)}", Math.floor(Date.now() / 1000));
      console.log(performance.now() - t);
    `,
    ]);
    ms.push(Number(r.stdout.toString().trim()));
  }
  return median(ms);
};
const few = first("few");
const many = first("many");

const f = (n: number) => `${n.toFixed(2)} ms`;
console.log(
  `free request with a wallet present: payer=${freeResult.payer} loads viem=${freeResult.viem} loads @solana=${freeResult.solana}`,
);
console.log(
  `first 402: import payer + viem      ${f(importMs)} (once per process)${fakeLoadsViem ? " [viem already loaded by the fake]" : ""}`,
);
console.log(`Base sign + encode per request       median ${f(median(times))}, p95 ${f(p95(times))} (${runs} runs)`);
console.log(`paid request end to end (loopback)   median ${f(median(full))}, p95 ${f(p95(full))} (50 runs: 402 + ledger + sign + resend)`);
console.log(
  `pre-signed request end to end        median ${f(median(presigned))}, p95 ${f(p95(presigned))} (50 runs; ${presignedCalls.toFixed(2)} HTTP requests each)`,
);
console.log(`first signature in a fresh process   4-bit table ${f(few)}, 8-bit table ${f(many)} (address + one signature; median of 10)`);
