import { afterEach, expect, test } from "bun:test";
import { chmodSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { base58 } from "@scure/base";
import { paths } from "../../src/core/home";
import { addressOf, parseImport, slip10Ed25519 } from "../../src/money/wallet/crypto";
import { readSecret, walletSource } from "../../src/money/wallet/keys";
import { cleanup, runCli, tempDir } from "../helpers";

const dirs: string[] = [];
afterEach(() => cleanup(...dirs.splice(0)));
const home = () => {
  const h = tempDir();
  dirs.push(h);
  return h;
};

// Hardhat/Anvil's well-known test mnemonic and its first account.
const PHRASE = "test test test test test test test test test test test junk";

test("SLIP-0010 ed25519 test vector 1 (m/0')", () => {
  const seed = Uint8Array.from(Buffer.from("000102030405060708090a0b0c0d0e0f", "hex"));
  expect(Buffer.from(slip10Ed25519(seed, [0])).toString("hex")).toBe("68e0fe46dfb67e368c75379acec591dad19df3cde26e63b93a8e704f1dade7a3");
});

test("imports: hex with and without 0x, mnemonic on both chains, base58 and JSON bytes on Solana", () => {
  const evm = parseImport("base", PHRASE);
  expect(evm.address).toBe("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
  expect(parseImport("base", evm.secret.slice(2)).address).toBe(evm.address);
  const sol = parseImport("solana", PHRASE);
  expect(parseImport("solana", sol.secret).address).toBe(sol.address);
  const bytes = JSON.stringify([...base58.decode(sol.secret)]);
  expect(parseImport("solana", bytes).address).toBe(sol.address);
  expect(addressOf("solana", sol.secret)).toBe(sol.address);
  expect(() => parseImport("base", "zebra ".repeat(12))).toThrow("BIP-39");
  expect(() => parseImport("solana", "0xnotbase58")).toThrow("not a valid solana key");
});

test("writes are 0600 in the original's format, and never overwrite without --force", async () => {
  const h = home();
  const keyFile = join(h, "k.txt");
  writeFileSync(keyFile, PHRASE);
  const r = await runCli(["wallet", "import", "--file", keyFile], { home: h });
  expect(r.code).toBe(0);
  expect(r.stdout).toBe("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266\n");
  const p = paths(h);
  expect(statSync(p.evmKey).mode & 0o777).toBe(0o600);
  expect(readFileSync(p.evmKey, "utf8")).toMatch(/^0x[0-9a-f]{64}\n$/);
  const again = await runCli(["wallet", "create"], { home: h });
  expect(again.code).toBe(1);
  expect(again.stderr).toContain("--force");
  expect((await runCli(["wallet", "create", "--force"], { home: h })).code).toBe(0);
  const sol = await runCli(["wallet", "create", "--chain", "solana"], { home: h });
  expect(readFileSync(p.solanaKey, "utf8").trim()).toMatch(/^[1-9A-HJ-NP-Za-km-z]{86,88}$/);
  expect(sol.code).toBe(0);
});

test("env overrides and the legacy wallet.key are read", () => {
  const h = home();
  const p = paths(h);
  expect(walletSource(p, { BASE_CHAIN_WALLET_KEY: "0xab" }, "base")).toEqual({ kind: "env", name: "BASE_CHAIN_WALLET_KEY" });
  expect(walletSource(p, { SOLANA_WALLET_KEY: "x" }, "solana")).toEqual({ kind: "env", name: "SOLANA_WALLET_KEY" });
  writeFileSync(p.legacyEvmKey, "0x" + "1".repeat(64), { mode: 0o600 });
  expect(walletSource(p, {}, "base")).toEqual({ kind: "file", path: p.legacyEvmKey, legacy: true });
});

test("a key file readable by others is refused with the chmod fix", async () => {
  const h = home();
  await runCli(["wallet", "create"], { home: h });
  const p = paths(h);
  chmodSync(p.evmKey, 0o644);
  expect(() => readSecret(p, {}, "base")).toThrow(`chmod 600 ${p.evmKey}`);
  const r = await runCli(["wallet"], { home: h });
  expect(r.code).toBe(1);
  expect(r.stderr).toContain(`chmod 600 ${p.evmKey}`);
});

test("a corrupt key file is a clear error that does not echo its content", async () => {
  const h = home();
  const p = paths(h);
  writeFileSync(p.evmKey, "0xDEADBEEF-corrupt-SECRETISH\n", { mode: 0o600 });
  const r = await runCli(["wallet"], { home: h });
  expect(r.code).toBe(1);
  expect(r.stderr).toContain(`the base wallet key in ${p.evmKey} is not`);
  expect(r.stderr).not.toContain("SECRETISH");
});

test("export needs confirmation; --yes prints the key to stdout only; no other command prints it", async () => {
  const h = home();
  const created = await runCli(["wallet", "create"], { home: h });
  const secret = readFileSync(paths(h).evmKey, "utf8").trim();
  const refused = await runCli(["wallet", "export"], { home: h });
  expect(refused.code).toBe(2);
  expect(refused.stdout + refused.stderr).not.toContain(secret.slice(2));
  const ok = await runCli(["wallet", "export", "--yes"], { home: h });
  expect(ok.stdout).toBe(`${secret}\n`);
  expect(ok.stderr).not.toContain(secret.slice(2));
  const shown = await runCli(["wallet", "--json"], { home: h });
  for (const out of [created.stdout, created.stderr, shown.stdout, shown.stderr]) expect(out).not.toContain(secret.slice(2));
});
