// The x402 server side of the fake gateway: plugs into startFakeGateway({intercept}). It quotes paid models from
// the catalog, verifies what the client signs the way a facilitator would (EIP-712 with viem on Base; the Ed25519
// signature over the message bytes and the TransferChecked instruction on Solana), rejects replays, wrong amounts
// and unfunded payers, and records every settlement so tests can compare it with runcode's ledger.
import { verifyTypedData } from "viem";
import { VersionedTransaction, PublicKey } from "@solana/web3.js";
import { getAssociatedTokenAddressSync, TOKEN_PROGRAM_ID } from "@solana/spl-token";
import { ed25519 } from "@noble/curves/ed25519";
import { base58 } from "@scure/base";
import { FAKE_MODELS, type Recorded } from "./fake-gateway";
import { AUTH_TYPES } from "../src/money/evm";

export const BASE_NET = "eip155:8453";
export const SOL_NET = "solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp";
export const BASE_USDC = "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913";
export const SOL_USDC = "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v";
export const PAY_TO = { base: "0x1111111111111111111111111111111111111111", solana: "9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin" };
export const FEE_PAYER = "2wmVCSfPxGPjrnMMn7rchp4uaeoTqN39mXFC2zhPdri9";

export type Fault =
  | "no-requirements"
  | "bad-base64"
  | "bad-json"
  | "unknown-asset"
  | "unknown-network"
  | "again-after-pay"
  | "receipt-failure"
  | "wrong-extra";
export type X402Options = {
  version?: 1 | 2;
  /** Where the requirements travel; v1 always uses the body. */
  carrier?: "header" | "x-header" | "body";
  payTo?: { base: string; solana: string };
  /** Atomic USDC each payer holds; a payer not listed is unlimited. */
  balances?: Record<string, bigint>;
  /** Fixed quote instead of the catalog-based one. */
  price?: bigint;
  fault?: Fault;
  models?: Array<{ id: string; billing_mode: string; pricing: { input: number; output: number } }>;
  blockhash?: string;
  /** The x402Version the 402 document claims (present in the options with `undefined`: the field is left out). */
  x402Version?: unknown;
  /** Rewrites the requirements offered (and then accepted) for a request, e.g. two USDC prices on one network. */
  accepts?: (offered: any[]) => any[];
};
export type Settled = { network: string; payer: string; amount: bigint; payTo: string; nonce?: string; tx: string; model: string };

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64");
const fail = (details: string, reqs?: unknown) =>
  Response.json({ error: "Payment verification failed", details }, { status: 402, headers: reqs ? { "payment-required": b64(reqs) } : {} });

export function fakeX402(opts: X402Options = {}) {
  const settled: Settled[] = [];
  /** Every signature that verified, whatever was answered after it: what a hostile gateway could still settle. */
  const valid: Settled[] = [];
  /** Payments verified for requests that then failed: released, never charged (as the real gateway does). */
  const released: Settled[] = [];
  const rejected: string[] = [];
  const seen = new Set<string>();
  const payTo = opts.payTo ?? PAY_TO;
  const blockhash = opts.blockhash ?? base58.encode(new Uint8Array(32).fill(7));
  const catalog = opts.models ?? FAKE_MODELS;

  /** Price = estimated input tokens × input price + max_tokens × output price + $0.001 (per 1M USD = atomic/token). */
  const quote = (rec: Recorded): bigint => {
    if (opts.price !== undefined) return opts.price;
    const m = catalog.find((x) => x.id === rec.body?.model)!;
    const tokens = Math.ceil(rec.raw.length / 4);
    return BigInt(Math.ceil(tokens * m.pricing.input + (rec.body?.max_tokens ?? 4096) * m.pricing.output)) + 1000n;
  };

  const requirements = (rec: Recorded) => {
    const amount = quote(rec).toString();
    const v1 = opts.version === 1;
    const net = (n: string, short: string) => (opts.fault === "unknown-network" ? "eip155:1" : v1 ? short : n);
    const base = {
      scheme: "exact",
      network: net(BASE_NET, "base"),
      asset: opts.fault === "unknown-asset" ? "0xdAC17F958D2ee523a2206206994597C13D831ec7" : BASE_USDC,
      payTo: payTo.base,
      maxTimeoutSeconds: 300,
      extra: opts.fault === "wrong-extra" ? { name: "USDC", version: "2" } : { name: "USD Coin", version: "2" },
    };
    const sol = {
      scheme: "exact",
      network: net(SOL_NET, "solana"),
      asset: SOL_USDC,
      payTo: payTo.solana,
      maxTimeoutSeconds: 60,
      extra: { feePayer: FEE_PAYER },
    };
    const amt = v1 ? { maxAmountRequired: amount } : { amount };
    const offered: any[] = [
      { ...base, ...amt },
      { ...sol, ...amt },
    ];
    const accepts = opts.accepts ? opts.accepts(offered) : offered;
    const doc: Record<string, unknown> = v1
      ? { x402Version: 1, error: "Payment required", accepts }
      : { x402Version: 2, error: "Payment required", resource: { url: rec.path, mimeType: "text/event-stream" }, accepts };
    if ("x402Version" in opts) doc.x402Version = opts.x402Version;
    return doc as { x402Version: unknown; error: string; accepts: any[] };
  };

  const paymentRequired = (rec: Recorded): Response => {
    const doc = requirements(rec);
    if (opts.fault === "no-requirements") return Response.json({ error: "Payment required" }, { status: 402 });
    if (opts.fault === "bad-base64") return new Response("{}", { status: 402, headers: { "payment-required": "%%%not-base64%%%" } });
    if (opts.fault === "bad-json")
      return new Response("{}", { status: 402, headers: { "payment-required": Buffer.from("{accepts:[").toString("base64") } });
    if (opts.version === 1 || opts.carrier === "body") return Response.json(doc, { status: 402 });
    const name = opts.carrier === "x-header" ? "x-payment-required" : "payment-required";
    return Response.json(doc, { status: 402, headers: { [name]: b64(doc) } });
  };

  const verify = async (rec: Recorded, header: string): Promise<Response | undefined> => {
    const doc = requirements(rec);
    let sent: any;
    try {
      sent = JSON.parse(Buffer.from(header, "base64").toString("utf8"));
    } catch {
      return reject("Invalid payment header", doc);
    }
    const network = opts.version === 1 ? doc.accepts.find((a) => a.network === sent.network)?.network : sent.accepted?.network;
    // With several requirements on one network, the one the client echoed in `accepted` is the one it paid.
    const req: any =
      (opts.version !== 1 && doc.accepts.find((a) => JSON.stringify(a) === JSON.stringify(sent.accepted))) ||
      doc.accepts.find((a) => a.network === network);
    if (!req) return reject("Unknown network", doc);
    if (opts.version !== 1 && JSON.stringify(sent.accepted) !== JSON.stringify(req)) return reject("Requirement mismatch", doc);
    const amount = BigInt(req.amount ?? req.maxAmountRequired);
    const r =
      req.network === "base" || req.network === BASE_NET
        ? await verifyEvm(sent.payload, req, amount)
        : verifySolana(sent.payload, req, amount);
    if (typeof r === "string") return reject(r, doc);
    if (seen.has(r.id)) return reject("Nonce already used", doc);
    if (opts.balances?.[r.payer] !== undefined && opts.balances[r.payer]! < amount) return reject("Insufficient balance", doc);
    seen.add(r.id);
    valid.push({
      network: req.network,
      payer: r.payer,
      amount,
      payTo: req.payTo,
      nonce: r.nonce,
      tx: r.tx ?? r.id,
      model: rec.body?.model,
    });
    if (opts.fault === "again-after-pay") return paymentRequired(rec);
    if (opts.fault === "receipt-failure") {
      rec.replyHeaders = {
        "payment-response": b64({ success: false, errorReason: "settlement failed", network: req.network, payer: r.payer }),
      };
      return undefined;
    }
    const tx = r.tx ?? `0x${Buffer.from(r.id.slice(2, 34)).toString("hex").slice(0, 64)}`;
    const entry = { network: req.network, payer: r.payer, amount, payTo: req.payTo, nonce: r.nonce, tx, model: rec.body?.model };
    settled.push(entry);
    rec.onFailedReply = () => {
      settled.splice(settled.indexOf(entry), 1);
      released.push(entry);
    };
    const receiptName = opts.version === 1 ? "x-payment-response" : "payment-response";
    rec.replyHeaders = { [receiptName]: b64({ success: true, transaction: tx, network: req.network, payer: r.payer }) };
    return undefined;
  };

  const reject = (reason: string, doc: unknown) => {
    rejected.push(reason);
    return fail(reason, opts.version === 1 ? undefined : doc);
  };

  const intercept = async (_req: Request, rec: Recorded): Promise<Response | undefined> => {
    if (rec.method === "POST" && rec.path === "/v1/solana/rpc")
      return Response.json({
        jsonrpc: "2.0",
        id: rec.body?.id ?? 1,
        result: { context: { slot: 1 }, value: { blockhash, lastValidBlockHeight: 100 } },
      });
    if (rec.method !== "POST" || (rec.path !== "/v1/messages" && rec.path !== "/v1/chat/completions")) return undefined;
    const model = catalog.find((m) => m.id === rec.body?.model);
    if (!model || model.billing_mode !== "paid") return undefined;
    const header = rec.headers["payment-signature"] ?? rec.headers["x-payment"];
    return header ? verify(rec, header) : paymentRequired(rec);
  };

  return { intercept, settled, released, rejected, valid, requirements, quote };
}

type Ok = { id: string; payer: string; nonce?: string; tx?: string };

async function verifyEvm(p: any, req: any, amount: bigint): Promise<Ok | string> {
  const a = p?.authorization;
  if (!a || typeof p.signature !== "string") return "Invalid payload";
  if (a.to?.toLowerCase() !== req.payTo.toLowerCase()) return "Wrong recipient";
  if (BigInt(a.value) !== amount) return "Invalid amount";
  const now = BigInt(Math.floor(Date.now() / 1000));
  if (BigInt(a.validBefore) <= now) return "Authorization expired";
  if (BigInt(a.validAfter) > now) return "Authorization not yet valid";
  const message = {
    from: a.from,
    to: a.to,
    value: BigInt(a.value),
    validAfter: BigInt(a.validAfter),
    validBefore: BigInt(a.validBefore),
    nonce: a.nonce,
  };
  const domain = { name: "USD Coin", version: "2", chainId: 8453, verifyingContract: BASE_USDC } as const;
  const ok = await verifyTypedData({
    address: a.from,
    domain,
    types: AUTH_TYPES,
    primaryType: "TransferWithAuthorization",
    message,
    signature: p.signature,
  }).catch(() => false);
  if (!ok) return "Invalid signature";
  return { id: a.nonce, payer: a.from, nonce: a.nonce };
}

function verifySolana(p: any, req: any, amount: bigint): Ok | string {
  let tx: VersionedTransaction;
  try {
    tx = VersionedTransaction.deserialize(new Uint8Array(Buffer.from(p?.transaction ?? "", "base64")));
  } catch {
    return "Invalid transaction";
  }
  const msg = tx.message;
  const keys = msg.staticAccountKeys;
  if (!keys[0]?.equals(new PublicKey(req.extra.feePayer))) return "Wrong fee payer";
  const ix = msg.compiledInstructions.find((i) => keys[i.programIdIndex]?.equals(TOKEN_PROGRAM_ID) && i.data[0] === 12);
  if (!ix) return "No TransferChecked";
  const data = Buffer.from(ix.data);
  const [, mint, dest, owner] = ix.accountKeyIndexes.map((i) => keys[i]!);
  if (!mint?.equals(new PublicKey(SOL_USDC))) return "Wrong mint";
  if (!dest?.equals(getAssociatedTokenAddressSync(mint, new PublicKey(req.payTo), true))) return "Wrong recipient";
  if (data.readBigUInt64LE(1) !== amount) return "Invalid amount";
  if (data[9] !== 6) return "Wrong decimals";
  const idx = keys.findIndex((k) => k.equals(owner!));
  if (idx < 0 || idx >= msg.header.numRequiredSignatures) return "Owner did not sign";
  const sig = tx.signatures[idx]!;
  if (!ed25519.verify(sig, new Uint8Array(msg.serialize()), new Uint8Array(owner!.toBytes()))) return "Invalid signature";
  const id = base58.encode(sig);
  return { id, payer: owner!.toBase58(), tx: id };
}
