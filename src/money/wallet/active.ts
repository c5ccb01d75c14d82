// The active wallet as commands see it: chain, address and where the key lives. Loads the heavy crypto.
import type { Paths } from "../../core/home";
import type { Chain } from "../chain";
import { addressOf } from "./crypto";
import { corruptKey, describeSource, readSecret, type KeySource } from "./keys";

export type ActiveWallet = { chain: Chain; address: string; source: KeySource; where: string };

export function activeWallet(p: Paths, env: Record<string, string | undefined>, chain: Chain): ActiveWallet {
  const { secret, source } = readSecret(p, env, chain);
  let address: string;
  try {
    address = addressOf(chain, secret);
  } catch {
    throw corruptKey(source, chain);
  }
  return { chain, address, source, where: describeSource(source) };
}
