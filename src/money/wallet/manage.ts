// Creating and importing wallets, shared by `runcode wallet` and `runcode setup`. The secret goes from its source
// straight to the key file; what is printed is only the address and the file path.
import { readFileSync } from "node:fs";
import type { Paths } from "../../core/home";
import { usageError } from "../../core/errors";
import type { Chain } from "../chain";
import { generate, parseImport, type Wallet } from "./crypto";
import { saveChain, saveKey } from "./files";
import { walletError } from "./keys";

export type Saved = { chain: Chain; address: string; file: string };

export function createWallet(p: Paths, chain: Chain, force = false): Saved {
  const w = generate(chain);
  return save(p, w, force);
}

export function importWallet(p: Paths, chain: Chain, input: string, force = false): Saved {
  return save(p, parseImport(chain, input), force);
}

function save(p: Paths, w: Wallet, force: boolean): Saved {
  const file = saveKey(p, w.chain, w.secret, force);
  return { chain: w.chain, address: w.address, file };
}

/** Key text from a file (never from argv: it would land in shell history and `ps`). */
export function readKeyFile(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (err) {
    // The path the user typed: a usage error (exit 2), with why it cannot be read.
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : code === "EISDIR" ? "it is a directory" : code;
    throw usageError(`cannot read ${file}${why ? ` (${why})` : ""}`, "check the path passed to --import-key-file / --file");
  }
}

export async function readPipedKey(stdin: ReadableStream<Uint8Array>): Promise<string> {
  const text = (await new Response(stdin).text()).trim();
  if (!text) throw usageError("no key on stdin", "pipe the key or phrase in, or pass --file <path>");
  return text;
}

export function setChain(p: Paths, chain: Chain) {
  saveChain(p, chain);
}
