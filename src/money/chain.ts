// Which chain pays, and where its gateway lives. RUNCODE_CHAIN overrides the saved `payment-chain` file.
import { readFileSync } from "node:fs";
import { ActionableError } from "../core/errors";

export type Chain = "base" | "solana";

export const CHAINS: Record<Chain, { api: string; network: string; usdc: string }> = {
  base: { api: "https://blockrun.ai/api", network: "eip155:8453", usdc: "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913" },
  solana: {
    api: "https://sol.blockrun.ai/api",
    network: "solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp",
    usdc: "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v",
  },
};

export function parseChain(value: string, source: string): Chain {
  const v = value.trim().toLowerCase();
  if (v === "base" || v === "solana") return v;
  throw new ActionableError(
    `unknown chain "${value.trim()}" in ${source}`,
    "use base or solana (e.g. `runcode wallet chain base`)",
    "config",
  );
}

export function resolveChain(env: NodeJS.ProcessEnv, chainFile: string): Chain {
  if (env.RUNCODE_CHAIN) return parseChain(env.RUNCODE_CHAIN, "RUNCODE_CHAIN");
  let saved = "";
  try {
    saved = readFileSync(chainFile, "utf8");
  } catch {
    return "base";
  }
  return saved.trim() ? parseChain(saved, chainFile) : "base";
}

/** RUNCODE_API_URL beats the `api-url` config key, which beats the chain's gateway. No trailing slash. */
export function resolveBaseUrl(env: NodeJS.ProcessEnv, configured: unknown, chain: Chain): string {
  const url = env.RUNCODE_API_URL || (typeof configured === "string" ? configured : "") || CHAINS[chain].api;
  try {
    new URL(url);
  } catch {
    throw new ActionableError(
      `gateway URL "${url}" is not a valid URL`,
      "set RUNCODE_API_URL or `runcode config set api-url` to an http(s) URL",
      "config",
    );
  }
  return url.replace(/\/+$/, "");
}
