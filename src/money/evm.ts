// Base: EIP-3009 transferWithAuthorization signed as EIP-712 typed data with viem. The domain comes from the
// known-asset table (guards.ts), so a gateway cannot make us sign for another contract or chain.
import { privateKeyToAccount } from "viem/accounts";
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

export function evmSigner(secret: `0x${string}`) {
  const account = privateKeyToAccount(secret);
  return {
    address: account.address as string,
    /** `nonce` is 32 random bytes as 0x-hex, already recorded in the ledger. `now` in seconds. */
    async sign(req: Requirement, nonce: `0x${string}`, now: number) {
      const authorization = {
        from: account.address,
        to: req.payTo as `0x${string}`,
        value: req.amount,
        validAfter: BigInt(now - 600), // clock-skew margin
        validBefore: BigInt(now + Math.min(req.maxTimeoutSeconds, MAX_VALID_SECONDS)),
        nonce,
      };
      const signature = await account.signTypedData({
        domain: eip712Domain(req),
        types: AUTH_TYPES,
        primaryType: "TransferWithAuthorization",
        message: authorization,
      });
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
