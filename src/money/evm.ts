// Base: EIP-3009 transferWithAuthorization signed as EIP-712 typed data. viem hashes the typed data (hashTypedData)
// and derives the address; @noble/curves, the secp256k1 library viem itself signs with, makes the ECDSA signature.
// The domain comes from the known-asset table (guards.ts), so a gateway cannot make us sign for another contract or
// chain.
//
// Why not viem's `privateKeyToAccount(key).signTypedData`: viem keeps its own copy of @noble/curves, whose base-point
// table (2,176 precomputed points, a window of 8 bits) is built at the first multiplication, 15-100 ms depending on
// the machine, to make thousands of later signatures fast (~0.7 ms each). A one-shot `ask` signs once or twice and
// would pay for that table on every paid run; the copy here is ours, so the window is chosen for the process
// (`SignatureVolume`): 4 bits (264 points, ~2 ms to build, ~1.1 ms per signature) for runs that sign a few times, the
// library's 8 for the long-lived proxy. Both produce the same deterministic RFC 6979 signature (low s, as viem's).
import { secp256k1 } from "@noble/curves/secp256k1";
import { hashTypedData, publicKeyToAddress, toHex } from "viem/utils";
import { eip712Domain } from "./guards";
import type { Requirement } from "./requirements";

export const AUTH_TYPES = {
  TransferWithAuthorization: [
    { name: "from", type: "address" },
    { name: "to", type: "address" },
    { name: "value", type: "uint256" },
    { name: "validAfter", type: "uint256" },
    { name: "validBefore", type: "uint256" },
    { name: "nonce", type: "bytes32" },
  ],
} as const;

/**
 * Longest authorization we sign, whatever the gateway asks: a stale signature should not stay spendable. It is also
 * how long a signature whose request failed keeps counting toward the budgets (docs/payments.md).
 */
export const MAX_VALID_SECONDS = 900;

/** How many signatures this process will make: a few (ask, edit, the REPL) or many (the proxy). */
export type SignatureVolume = "few" | "many";

let window: number | undefined;

export function evmSigner(secret: `0x${string}`, volume: SignatureVolume = "few") {
  const w = volume === "many" ? 8 : 4;
  if (window !== w) {
    secp256k1.Point.BASE.precompute(w); // lazy: the table is built at the next multiplication
    window = w;
  }
  const key = secret.slice(2);
  const address = publicKeyToAddress(toHex(secp256k1.getPublicKey(key, false)));
  return {
    address: address as string,
    /** `nonce` is 32 random bytes as 0x-hex, already recorded in the ledger. `now` in seconds. */
    async sign(req: Requirement, nonce: `0x${string}`, now: number) {
      const authorization = {
        from: address,
        to: req.payTo as `0x${string}`,
        value: req.amount,
        validAfter: BigInt(now - 600), // clock-skew margin
        validBefore: BigInt(now + Math.min(req.maxTimeoutSeconds, MAX_VALID_SECONDS)),
        nonce,
      };
      const digest = hashTypedData({
        domain: eip712Domain(req),
        types: AUTH_TYPES,
        primaryType: "TransferWithAuthorization",
        message: authorization,
      });
      const sig = secp256k1.sign(digest.slice(2), key, { lowS: true });
      // r ‖ s ‖ v, v = 27 + recovery bit: the 65-byte form EIP-3009 contracts and viem's verifyTypedData read.
      const signature = `0x${sig.toCompactHex()}${sig.recovery ? "1c" : "1b"}`;
      const strings = Object.fromEntries(Object.entries(authorization).map(([k, v]) => [k, String(v)]));
      // After validBefore the contract refuses the authorization: that is when it stops counting.
      return {
        payload: { signature, authorization: strings },
        tx: undefined as string | undefined,
        validUntil: Number(authorization.validBefore) * 1000,
      };
    },
  };
}
