// `runcode fund` through the real CLI: the payment request (EIP-681 on Base, Solana Pay on Solana) printed as a
// link on stdout and as a QR code on stderr that decodes to the same link; --amount and --interval validation; the
// no-wallet error; the `onramp-url` template; and the balance watch against a local fake RPC whose balance rises
// while the CLI waits. Every RPC URL points at the loopback fake: nothing here reaches a network.
import { afterEach, expect, test } from "bun:test";
import { paths } from "../../src/core/home";
import { onrampLink } from "../../src/money/fund";
import { generate } from "../../src/money/wallet/crypto";
import { saveChain, saveKey } from "../../src/money/wallet/files";
import { startFakeRpc } from "../fake-rpc";
import { cleanup, cliCommand, cliEnv, runCli, tempDir, waitFor } from "../helpers";
import { decodeQr } from "../qr";

const BASE_USDC = "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913";
const SOL_USDC = "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v";

const dirs: string[] = [];
const stops: Array<() => void> = [];
afterEach(() => {
  for (const s of stops.splice(0)) s();
  cleanup(...dirs.splice(0));
});

function home(chain?: "base" | "solana") {
  const h = tempDir();
  dirs.push(h);
  if (!chain) return { h, address: "" };
  const w = generate(chain);
  saveKey(paths(h), chain, w.secret);
  saveChain(paths(h), chain);
  return { h, address: w.address };
}

async function fakeRpc(usdc: Record<string, bigint> = {}) {
  const rpc = await startFakeRpc({ usdc });
  stops.push(rpc.stop);
  return { rpc, env: { RUNCODE_BASE_RPC_URL: rpc.url, RUNCODE_SOLANA_RPC_URL: rpc.url } };
}

/** The CLI running in the background: its output so far, and its end. */
function spawnCli(args: string[], h: string, env: Record<string, string>) {
  const proc = Bun.spawn([...cliCommand(), ...args], { cwd: h, env: cliEnv(h, env), stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  const killer = setTimeout(() => proc.kill("SIGKILL"), 20_000);
  let stderr = "";
  const readErr = (async () => {
    const dec = new TextDecoder();
    for await (const chunk of proc.stderr) stderr += dec.decode(chunk, { stream: true });
  })();
  const stdout = new Response(proc.stdout).text();
  return {
    proc,
    stderr: () => stderr,
    done: async () => {
      const code = await proc.exited;
      clearTimeout(killer);
      await readErr;
      return { code, stdout: await stdout, stderr };
    },
  };
}

const balanceReads = (calls: Array<{ method: string }>) =>
  calls.filter((c) => c.method === "eth_call" || c.method === "getTokenAccountsByOwner").length;

test("Base --no-wait: the EIP-681 link on stdout, a QR code on stderr that decodes to it, no balance read", async () => {
  const { h, address } = home("base");
  const { rpc, env } = await fakeRpc();
  const r = await runCli(["fund", "--no-wait"], { home: h, env });
  expect(r.code).toBe(0);
  const expected = `ethereum:${BASE_USDC}@8453/transfer?address=${address}&uint256=5000000`;
  expect(r.stdout).toBe(`${expected}\n`);
  expect(decodeQr(r.stderr)).toBe(expected);
  expect(r.stderr).toContain(`Send USDC on Base to:\n\n  ${address}\n`);
  expect(r.stderr).toContain("eip155:8453");
  expect(rpc.calls).toEqual([]);
});

test("Solana --no-wait --amount 12.5: the Solana Pay link, decoded from the QR code too", async () => {
  const { h, address } = home("solana");
  const { rpc, env } = await fakeRpc();
  const r = await runCli(["fund", "--no-wait", "--amount", "12.5"], { home: h, env });
  expect(r.code).toBe(0);
  const expected = `solana:${address}?spl-token=${SOL_USDC}&amount=12.5`;
  expect(r.stdout).toBe(`${expected}\n`);
  expect(decodeQr(r.stderr)).toBe(expected);
  expect(r.stderr).toContain("12.5 USDC on Solana");
  expect(rpc.calls).toEqual([]);
});

test("--amount with 6 decimals is exact in base units (Base) and as a decimal (Solana)", async () => {
  const base = home("base");
  const b = await runCli(["fund", "--no-wait", "--amount", "0.000001"], { home: base.h });
  expect(b.stdout.trim()).toBe(`ethereum:${BASE_USDC}@8453/transfer?address=${base.address}&uint256=1`);
  expect(decodeQr(b.stderr)).toBe(b.stdout.trim());
  const sol = home("solana");
  const s = await runCli(["fund", "--no-wait", "--amount", "1000"], { home: sol.h });
  expect(s.stdout.trim()).toBe(`solana:${sol.address}?spl-token=${SOL_USDC}&amount=1000`);
});

test("a bad --amount or --interval is a one-line usage error, exit 2, before anything else", async () => {
  const { h } = home(); // no wallet either: the flag is checked first
  for (const amount of ["0", "-1", "abc", "1001", "1.0000001", "1e3", "", "."]) {
    const r = await runCli(["fund", "--amount", amount], { home: h });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("--amount");
  }
  for (const interval of ["0", "0.5", "61", "x"]) {
    const r = await runCli(["fund", "--interval", interval], { home: h });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("--interval");
  }
});

test("no wallet: one line naming `runcode setup`, exit 1 like `runcode balance`", async () => {
  const { h } = home();
  const r = await runCli(["fund"], { home: h });
  expect(r.code).toBe(1);
  expect(r.stdout).toBe("");
  expect(r.stderr.trim().split("\n")).toHaveLength(1);
  expect(r.stderr).toContain("no base wallet");
  expect(r.stderr).toContain("runcode setup");
});

test("onramp-url: the template filled with address, network and amount; unset shows none", async () => {
  const { h, address } = home("base");
  const plain = await runCli(["fund", "--no-wait"], { home: h });
  expect(plain.stderr).not.toContain("pay.example");
  const set = await runCli(
    ["config", "set", "onramp-url", "https://pay.example/buy?to={address}&chain={network}&usd={amount}&ref=runcode"],
    { home: h },
  );
  expect(set.code).toBe(0);
  const r = await runCli(["fund", "--no-wait", "--amount", "20"], { home: h });
  expect(r.code).toBe(0);
  expect(r.stderr).toContain(`To buy USDC with a card: https://pay.example/buy?to=${address}&chain=base&usd=20&ref=runcode\n`);
  expect(r.stdout.trim()).toBe(`ethereum:${BASE_USDC}@8453/transfer?address=${address}&uint256=20000000`); // the link is unchanged
  await runCli(["config", "set", "onramp-url", "not a url {address}"], { home: h });
  const bad = await runCli(["fund", "--no-wait"], { home: h });
  expect(bad.code).toBe(2);
  expect(bad.stderr.trim().split("\n")).toEqual([expect.stringContaining("onramp-url")]); // before anything is shown
  expect(bad.stdout).toBe("");
});

test("onramp-url values are URL-encoded", () => {
  const link = onrampLink("https://pay.example/?a={address}&n={network}&v={amount}", {
    address: "a&b c/?",
    chain: "solana",
    atomic: 2_500_000n,
  });
  expect(link).toBe("https://pay.example/?a=a%26b%20c%2F%3F&n=solana&v=2.5");
});

test("Base watch: the USDC arrives mid-wait → the amount received, paid models ready, exit 0 promptly", async () => {
  const { h, address } = home("base");
  const usdc: Record<string, bigint> = { [address.toLowerCase()]: 1_000_000n };
  const { rpc, env } = await fakeRpc(usdc);
  const run = spawnCli(["fund", "--interval", "1"], h, env);
  await waitFor(() => balanceReads(rpc.calls) >= 1, { what: "the first balance read", timeoutMs: 15_000 });
  expect(rpc.calls.find((c) => c.method === "eth_call")!.params[0].to).toBe(BASE_USDC);
  usdc[address.toLowerCase()] = 6_000_000n;
  const raised = performance.now();
  const r = await run.done();
  expect(performance.now() - raised).toBeLessThan(5000); // one 1 s interval, plus the read
  expect(r.code).toBe(0);
  expect(r.stderr).toContain("received 5 USDC on Base (balance 6 USDC): paid models are ready");
  expect(r.stdout).toBe(`ethereum:${BASE_USDC}@8453/transfer?address=${address}&uint256=5000000\n`);
});

test("Solana watch: a first token account appears mid-wait → received, exit 0", async () => {
  const { h, address } = home("solana");
  const usdc: Record<string, bigint> = {}; // no USDC token account yet: a balance of exactly 0
  const { rpc, env } = await fakeRpc(usdc);
  const run = spawnCli(["fund", "--interval", "1", "--amount", "2.5"], h, env);
  await waitFor(() => balanceReads(rpc.calls) >= 1, { what: "the first balance read", timeoutMs: 15_000 });
  const read = rpc.calls.find((c) => c.method === "getTokenAccountsByOwner")!;
  expect(read.params.slice(0, 2)).toEqual([address, { mint: SOL_USDC }]);
  usdc[address] = 2_500_000n;
  const raised = performance.now();
  const r = await run.done();
  expect(performance.now() - raised).toBeLessThan(5000);
  expect(r.code).toBe(0);
  expect(r.stderr).toContain("received 2.5 USDC on Solana (balance 2.5 USDC): paid models are ready");
});

test("Ctrl-C stops the watch cleanly: exit 130, one line, nothing left running", async () => {
  const { h } = home("base");
  const { rpc, env } = await fakeRpc();
  const run = spawnCli(["fund", "--interval", "1"], h, env);
  await waitFor(() => balanceReads(rpc.calls) >= 1, { what: "the first balance read", timeoutMs: 15_000 });
  await waitFor(() => run.stderr().includes("waiting for USDC"), { what: "the waiting line" });
  run.proc.kill("SIGINT");
  const stopped = performance.now();
  const r = await run.done();
  expect(performance.now() - stopped).toBeLessThan(3000);
  expect(r.code).toBe(130);
  expect(r.stderr).toContain("stopped watching");
  expect(r.stderr).not.toContain("received");
});

test("an RPC failure mid-watch is one warning, the watch goes on and still sees the USDC arrive", async () => {
  const { h, address } = home("base");
  const opts: { usdc: Record<string, bigint>; mode: "ok" | "error" } = { usdc: {}, mode: "ok" };
  const rpc = await startFakeRpc(opts);
  stops.push(rpc.stop);
  const run = spawnCli(["fund", "--interval", "1"], h, { RUNCODE_BASE_RPC_URL: rpc.url });
  await waitFor(() => balanceReads(rpc.calls) >= 1, { what: "the first balance read", timeoutMs: 15_000 });
  opts.mode = "error";
  await waitFor(() => run.stderr().includes("still watching"), { what: "the warning", timeoutMs: 15_000 });
  opts.mode = "ok";
  opts.usdc[address.toLowerCase()] = 5_000_000n;
  const r = await run.done();
  expect(r.code).toBe(0);
  expect(r.stderr.match(/still watching/g)).toHaveLength(1);
  expect(r.stderr).toContain("received 5 USDC on Base (balance 5 USDC)");
});

test("a balance that cannot be read when the watch starts is an error (exit 1), never a silent wait", async () => {
  const { h } = home("base");
  const rpc = await startFakeRpc({ mode: "error" });
  stops.push(rpc.stop);
  const r = await runCli(["fund"], { home: h, env: { RUNCODE_BASE_RPC_URL: rpc.url } });
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/RPC at 127\.0\.0\.1:\d+ failed eth_call/);
  expect(r.stdout).toContain("ethereum:"); // the request was shown before the watch
});

test("setup --fund (scripted) ends with the same payment request and does not wait", async () => {
  const { h } = home();
  const { rpc, env } = await fakeRpc();
  const r = await runCli(["setup", "--chain", "base", "--create", "--yes", "--fund", "--no-test"], { home: h, env });
  expect(r.code).toBe(0);
  const address = (await runCli(["wallet"], { home: h })).stdout.trim();
  const expected = `ethereum:${BASE_USDC}@8453/transfer?address=${address}&uint256=5000000`;
  expect(decodeQr(r.stderr)).toBe(expected);
  expect(r.stderr).toContain(`\n${expected}\n`); // setup says everything on stderr
  expect(r.stdout).toBe("");
  expect(r.stderr).toContain("`runcode fund` waits for it");
  expect(rpc.calls).toEqual([]);
});
