// Key material: generate, import (hex / base58 / JSON byte array / BIP-39 mnemonic) and derive addresses. This is
// the heavy half of the wallet (viem, @solana/web3.js); only commands and a paying request load it. Every secret
// is returned in the exact on-disk format of the original RunCode: 0x-hex for Base, base58 of 64 bytes for Solana.
import "../quiet"; // before @solana/*: see quiet.ts
import { base58 } from "@scure/base";
import { mnemonicToSeedSync, validateMnemonic } from "@scure/bip39";
import { wordlist } from "@scure/bip39/wordlists/english";
import { hmac } from "@noble/hashes/hmac";
import { sha512 } from "@noble/hashes/sha2";
import { Keypair } from "@solana/web3.js";
import { generatePrivateKey, mnemonicToAccount, privateKeyToAccount } from "viem/accounts";
import { bytesToHex } from "viem";
import type { Chain } from "../chain";
import { walletError } from "./keys";

export type Wallet = { chain: Chain; secret: string; address: string };

export function generate(chain: Chain): Wallet {
  if (chain === "base") {
    const secret = generatePrivateKey();
    return { chain, secret, address: privateKeyToAccount(secret).address };
  }
  const kp = Keypair.generate();
  return { chain, secret: base58.encode(kp.secretKey), address: kp.publicKey.toBase58() };
}

/** The address for a stored secret; throws (without the secret in the message) when it does not parse. */
export function addressOf(chain: Chain, secret: string): string {
  return chain === "base" ? evmAccount(secret).address : solanaKeypair(secret).publicKey.toBase58();
}

export function evmAccount(secret: string) {
  if (!/^0x[0-9a-fA-F]{64}$/.test(secret)) throw new Error("not a 0x-hex private key");
  return privateKeyToAccount(secret as `0x${string}`);
}

export function solanaKeypair(secret: string): Keypair {
  const bytes = base58.decode(secret);
  if (bytes.length !== 64) throw new Error("not a 64-byte Solana secret key");
  return Keypair.fromSecretKey(bytes); // validates that the public half matches the private half
}

const words = (s: string) => s.trim().toLowerCase().split(/\s+/);

/** Parses what the user pasted or pointed at. Errors describe the accepted formats, never echo the input. */
export function parseImport(chain: Chain, input: string): Wallet {
  const text = input.trim();
  const isPhrase = words(text).length >= 12;
  if (isPhrase && !validateMnemonic(words(text).join(" "), wordlist))
    throw walletError("the recovery phrase is not a valid BIP-39 English mnemonic", "check the words and their order");
  try {
    return chain === "base" ? importEvm(text, isPhrase) : importSolana(text, isPhrase);
  } catch {
    const accepted =
      chain === "base"
        ? "a 64-hex-digit private key (0x optional) or a 12/24-word phrase"
        : "a base58 secret key, a JSON byte array or a 12/24-word phrase";
    throw walletError(`that is not a valid ${chain} key`, `paste ${accepted}`);
  }
}

function importEvm(text: string, phrase: boolean): Wallet {
  if (phrase) {
    // The first account of the standard path m/44'/60'/0'/0/0, like MetaMask and Coinbase Wallet.
    const key = mnemonicToAccount(words(text).join(" ")).getHdKey().privateKey;
    if (!key) throw new Error("no key");
    const secret = bytesToHex(key);
    return { chain: "base", secret, address: privateKeyToAccount(secret).address };
  }
  const hex = text.startsWith("0x") ? text : `0x${text}`;
  const secret = hex.toLowerCase();
  return { chain: "base", secret, address: evmAccount(secret).address };
}

function importSolana(text: string, phrase: boolean): Wallet {
  let kp: Keypair;
  if (phrase) kp = Keypair.fromSeed(slip10Ed25519(mnemonicToSeedSync(words(text).join(" ")), [44, 501, 0, 0]));
  else if (text.startsWith("[")) kp = fromBytes(Uint8Array.from(JSON.parse(text) as number[]));
  else kp = fromBytes(base58.decode(text));
  return { chain: "solana", secret: base58.encode(kp.secretKey), address: kp.publicKey.toBase58() };
}

const fromBytes = (b: Uint8Array) => (b.length === 32 ? Keypair.fromSeed(b) : Keypair.fromSecretKey(b));

/**
 * SLIP-0010 ed25519 derivation (all levels hardened), the path Phantom and solana-keygen use: m/44'/501'/0'/0'.
 * HMAC-SHA512 comes from @noble/hashes; this is only the few lines of the spec's chaining, tested against its vector.
 */
export function slip10Ed25519(seed: Uint8Array, path: number[]): Uint8Array {
  let I = hmac(sha512, new TextEncoder().encode("ed25519 seed"), seed);
  for (const index of path) {
    const data = new Uint8Array(37);
    data.set(I.subarray(0, 32), 1);
    new DataView(data.buffer).setUint32(33, (index | 0x80000000) >>> 0);
    I = hmac(sha512, I.subarray(32), data);
  }
  return I.slice(0, 32);
}
