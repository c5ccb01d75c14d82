// Writing wallet files: atomic (a 0600 temp file renamed over), never overwriting an existing key unless forced,
// and the `payment-chain` file in the original's format ("base\n").
import { existsSync } from "node:fs";
import type { Paths } from "../../core/home";
import { writePrivate } from "../../core/private";
import type { Chain } from "../chain";
import { keyFile, walletError } from "./keys";

/** Saves a key in the chain's key file; refuses to replace an existing one without `force` (it may hold funds). */
export function saveKey(p: Paths, chain: Chain, secret: string, force = false): string {
  const file = keyFile(p, chain);
  if (existsSync(file) && !force)
    throw walletError(
      `a ${chain} wallet already exists in ${file}`,
      "back it up with `runcode wallet export`, then pass --force to replace it",
    );
  writePrivate(file, `${secret}\n`);
  return file;
}

export function saveChain(p: Paths, chain: Chain) {
  writePrivate(p.chain, `${chain}\n`);
}
