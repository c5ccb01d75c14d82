// Where the wallet key lives and how it is read. Deliberately free of viem/Solana imports: the free path calls
// `walletSource` to learn whether a wallet exists without loading any crypto. Files and env names match the
// original RunCode so an existing user keeps their wallet. A secret read here is never logged or put in an error.
import { existsSync, readFileSync, statSync } from "node:fs";
import type { Chain } from "../chain";
import type { Paths } from "../../core/home";
import { ActionableError } from "../../core/errors";

export type KeySource = { kind: "env"; name: string } | { kind: "file"; path: string; legacy?: boolean };

const ENV: Record<Chain, string[]> = {
  base: ["BLOCKRUN_WALLET_KEY", "BASE_CHAIN_WALLET_KEY"],
  solana: ["SOLANA_WALLET_KEY"],
};

/** Every variable that may carry a wallet key (children never inherit them). */
export const KEY_ENV: readonly string[] = Object.values(ENV).flat();

/** Every file that may hold a wallet key. */
export const keyFiles = (p: Paths) => [p.evmKey, p.solanaKey, p.legacyEvmKey];

/** The file a new key for `chain` is written to. */
export const keyFile = (p: Paths, chain: Chain) => (chain === "base" ? p.evmKey : p.solanaKey);

/** Where the active key for a chain comes from: env first, then the key file, then the legacy read-only file. */
export function walletSource(p: Paths, env: Record<string, string | undefined>, chain: Chain): KeySource | undefined {
  const name = ENV[chain].find((n) => env[n]?.trim());
  if (name) return { kind: "env", name };
  if (existsSync(keyFile(p, chain))) return { kind: "file", path: keyFile(p, chain) };
  if (chain === "base" && existsSync(p.legacyEvmKey)) return { kind: "file", path: p.legacyEvmKey, legacy: true };
  return undefined;
}

export const describeSource = (s: KeySource) => (s.kind === "env" ? `env ${s.name}` : s.legacy ? `${s.path} (legacy, read-only)` : s.path);

export function walletError(message: string, fix: string) {
  return new ActionableError(message, fix, "wallet");
}

/** Reads the secret text; refuses a key file that group/others can read, since anyone on the machine could spend. */
export function readSecret(p: Paths, env: Record<string, string | undefined>, chain: Chain): { secret: string; source: KeySource } {
  const source = walletSource(p, env, chain);
  if (!source) throw walletError(`no ${chain} wallet`, "run `runcode setup` or `runcode wallet create`");
  if (source.kind === "env") return { secret: env[source.name]!.trim(), source };
  const st = statSync(source.path);
  if (process.platform !== "win32" && (st.mode & 0o077) !== 0)
    throw walletError(`key file ${source.path} is readable by other users, so runcode will not use it`, `run \`chmod 600 ${source.path}\``);
  return { secret: readFileSync(source.path, "utf8").trim(), source };
}

/** A secret that cannot be parsed. The message names where it came from, never its content. */
export function corruptKey(source: KeySource, chain: Chain): ActionableError {
  const what = chain === "base" ? "a 0x-prefixed 64-hex-digit private key" : "a base58 Solana secret key (64 bytes)";
  return walletError(
    `the ${chain} wallet key in ${describeSource(source)} is not ${what}`,
    source.kind === "env" ? `fix ${source.name}` : `restore it from your backup, or move it away and run \`runcode wallet import\``,
  );
}
