// Solana: a v0 transaction, partially signed by us, that the gateway's facilitator (extra.feePayer) co-signs and
// submits: compute-unit limit and price, SPL TransferChecked of USDC to payTo's token account, and a memo carrying
// the ledger nonce so two identical payments never produce the same transaction.
import "./quiet"; // before @solana/*: see quiet.ts
import { ComputeBudgetProgram, PublicKey, TransactionInstruction, TransactionMessage, VersionedTransaction } from "@solana/web3.js";
import { createTransferCheckedInstruction, getAssociatedTokenAddressSync } from "@solana/spl-token";
import { base58 } from "@scure/base";
import { solanaKeypair } from "./wallet/crypto";
import { refused } from "./guards";
import type { Requirement } from "./requirements";
import { rpc, type RpcOptions } from "./rpc";

export const MEMO_PROGRAM = new PublicKey("MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr");

/**
 * How long a signed transaction is counted as able to settle. It can land only while its blockhash is among the
 * last 150 blocks (about 60-90 s at normal block times); 150 s from signing is a conservative wall-clock bound for
 * that. It is not a proof: a cluster that stalls stops block height too, and a transaction may land after a restart.
 */
export const BLOCKHASH_VALID_MS = 150_000;
const USDC_DECIMALS = 6;

export function solanaSigner(secret: string, rpcOpts: RpcOptions) {
  const kp = solanaKeypair(secret);
  return {
    address: kp.publicKey.toBase58(),
    async sign(req: Requirement, nonce: string) {
      const feePayer = req.extra.feePayer;
      if (typeof feePayer !== "string")
        throw refused(
          "refused to pay: the Solana requirement names no fee payer (extra.feePayer)",
          "the gateway is misconfigured; use a free model with -m free",
        );
      const mint = new PublicKey(req.asset);
      const source = getAssociatedTokenAddressSync(mint, kp.publicKey, true);
      const destination = getAssociatedTokenAddressSync(mint, new PublicKey(req.payTo), true);
      const { value } = await rpc<{ value: { blockhash: string } }>(rpcOpts, "getLatestBlockhash", [{ commitment: "confirmed" }]);
      const instructions = [
        ComputeBudgetProgram.setComputeUnitLimit({ units: 20_000 }),
        ComputeBudgetProgram.setComputeUnitPrice({ microLamports: 1 }),
        createTransferCheckedInstruction(source, mint, destination, kp.publicKey, req.amount, USDC_DECIMALS),
        new TransactionInstruction({ programId: MEMO_PROGRAM, keys: [], data: Buffer.from(nonce, "utf8") }),
      ];
      const message = new TransactionMessage({
        payerKey: new PublicKey(feePayer),
        recentBlockhash: value.blockhash,
        instructions,
      }).compileToV0Message();
      const tx = new VersionedTransaction(message);
      tx.sign([kp]); // only our slot; the fee payer's stays empty for the facilitator
      const mine = tx.message.staticAccountKeys.findIndex((k) => k.equals(kp.publicKey));
      const signature = base58.encode(tx.signatures[mine]!);
      return { payload: { transaction: Buffer.from(tx.serialize()).toString("base64") }, tx: signature as string | undefined };
    },
  };
}
