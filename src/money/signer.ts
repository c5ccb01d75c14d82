// Turning a key into a signer for its chain. The caller reads the key (src/money/wallet/keys.ts) and resolves the
// Solana RPC endpoint; this only parses the secret and loads viem or @solana/web3.js, the first time a payment needs
// them, so free runs never load either (bench/payment.ts checks this).
import type { Chain } from "./chain";
import type { SignatureVolume } from "./evm";
import type { Requirement } from "./requirements";
import type { RpcOptions } from "./rpc";
import { corruptKey, type KeySource } from "./wallet/keys";

/** `validUntil`: ms after which the signature can no longer settle (Base: validBefore; Solana: a blockhash bound). */
export type Signed = { payload: Record<string, unknown>; tx?: string; validUntil: number };

/** Signs one requirement. `nonce` is already recorded in the ledger; `nowSec` is the payer's clock in seconds. */
export type Signer = { address: string; sign(req: Requirement, nonce: string, nowSec: number): Promise<Signed> };

/**
 * A signer for `chain` from its key. `rpc` is where the Solana signer fetches its blockhash (unused on Base); `now`
 * (ms) dates the Solana validity window; `volume` sizes the Base signer's precomputed tables (src/money/evm.ts). A key
 * that does not parse is reported by where it came from, never by content.
 */
export async function loadSigner(
  chain: Chain,
  key: { secret: string; source: KeySource },
  o: { rpc?: RpcOptions; now: () => number; volume?: SignatureVolume },
): Promise<Signer> {
  if (chain === "solana" && !o.rpc) throw new Error("the Solana signer needs an RPC endpoint for its blockhash");
  try {
    if (chain === "base") {
      const { evmSigner } = await import("./evm");
      if (!/^0x[0-9a-fA-F]{64}$/.test(key.secret)) throw new Error("bad key");
      const s = evmSigner(key.secret as `0x${string}`, o.volume);
      return { address: s.address, sign: (req, nonce, nowSec) => s.sign(req, nonce as `0x${string}`, nowSec) };
    }
    const { solanaSigner, BLOCKHASH_VALID_MS } = await import("./solana");
    const s = solanaSigner(key.secret, o.rpc!);
    // Measured after signing, so after the blockhash was fetched: later than the blockhash's own start.
    return {
      address: s.address,
      sign: async (req, nonce) => ({ ...(await s.sign(req, nonce)), validUntil: o.now() + BLOCKHASH_VALID_MS }),
    };
  } catch {
    throw corruptKey(key.source, chain);
  }
}
