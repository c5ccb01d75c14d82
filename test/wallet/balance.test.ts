import { afterEach, expect, test } from "bun:test";
import { paths } from "../../src/core/home";
import { generate } from "../../src/money/wallet/crypto";
import { saveChain, saveKey } from "../../src/money/wallet/files";
import { startFakeRpc } from "../fake-rpc";
import { cleanup, runCli, tempDir } from "../helpers";

const dirs: string[] = [];
const stops: Array<() => void> = [];
afterEach(() => {
  for (const s of stops.splice(0)) s();
  cleanup(...dirs.splice(0));
});

function home(chain: "base" | "solana") {
  const h = tempDir();
  dirs.push(h);
  const w = generate(chain);
  saveKey(paths(h), chain, w.secret);
  saveChain(paths(h), chain);
  return { h, w };
}

test("Base: USDC via eth_call balanceOf and ETH, as text and JSON", async () => {
  const { h, w } = home("base");
  const rpc = await startFakeRpc({ usdc: { [w.address.toLowerCase()]: 12_345_678n }, native: { [w.address.toLowerCase()]: 10n ** 15n } });
  stops.push(rpc.stop);
  const env = { RUNCODE_BASE_RPC_URL: rpc.url };
  const text = await runCli(["balance"], { home: h, env });
  expect(text.code).toBe(0);
  expect(text.stdout).toBe("12.345678 USDC on Base\n0.001 ETH\n");
  const json = await runCli(["balance", "--json"], { home: h, env });
  const j = JSON.parse(json.stdout);
  expect(j).toMatchObject({
    chain: "base",
    address: w.address,
    usdc: { atomic: "12345678", amount: "12.345678" },
    native: { symbol: "ETH", amount: "0.001" },
  });
  expect(rpc.calls.find((c) => c.method === "eth_call")!.params[0].to).toBe("0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913");
});

test("Solana: USDC from token accounts (config URL) and SOL", async () => {
  const { h, w } = home("solana");
  const rpc = await startFakeRpc({ usdc: { [w.address]: 2_500_000n }, native: { [w.address]: 1_500_000_000n } });
  stops.push(rpc.stop);
  await runCli(["config", "set", "solana-rpc-url", rpc.url], { home: h });
  const r = await runCli(["balance", "--json"], { home: h });
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout)).toMatchObject({
    chain: "solana",
    usdc: { atomic: "2500000", amount: "2.5" },
    native: { symbol: "SOL", amount: "1.5" },
  });
});

test("an RPC that hangs is an error after rpc-timeout, never 0 USDC", async () => {
  const { h } = home("base");
  const rpc = await startFakeRpc({ mode: "hang" });
  stops.push(rpc.stop);
  await runCli(["config", "set", "rpc-timeout", "1"], { home: h });
  const r = await runCli(["balance"], { home: h, env: { RUNCODE_BASE_RPC_URL: rpc.url } });
  expect(r.code).toBe(1);
  expect(r.stdout).toBe("");
  expect(r.stderr).toContain("did not answer");
  expect(r.stderr).toMatch(/did not answer \S+ within 1s/); // the configured rpc-timeout, not the 10 s default
  expect(r.stderr).not.toContain("0 USDC");
});

test("an RPC error or HTTP 500 is an error, never 0 USDC", async () => {
  for (const mode of ["error", "http500"] as const) {
    const { h } = home("base");
    const rpc = await startFakeRpc({ mode });
    stops.push(rpc.stop);
    const r = await runCli(["balance", "--json"], { home: h, env: { RUNCODE_BASE_RPC_URL: rpc.url } });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/RPC at 127.0.0.1:\d+ (failed|answered) eth_call/);
  }
});

test("no wallet: balance says how to create one", async () => {
  const h = tempDir();
  dirs.push(h);
  const r = await runCli(["balance"], { home: h });
  expect(r.code).toBe(1);
  expect(r.stderr).toContain("runcode setup");
});

test("an empty wallet: balance points at `runcode fund`", async () => {
  const { h } = home("base");
  const rpc = await startFakeRpc({});
  stops.push(rpc.stop);
  const r = await runCli(["balance"], { home: h, env: { RUNCODE_BASE_RPC_URL: rpc.url } });
  expect(r.code).toBe(0);
  expect(r.stdout).toBe("0 USDC on Base\n0 ETH\n");
  expect(r.stderr).toContain("fund it with USDC on Base to use paid models (`runcode fund` shows how), or keep using -m free");
  expect(r.stderr).not.toContain("setup --fund");
});
