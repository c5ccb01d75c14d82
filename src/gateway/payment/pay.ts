// One payment, start to finish: read the 402 → choose → guards → reserve in the ledger (budget check + record,
// atomically) → sign → record the signature's validity window → resend once → settle or fail from the answer.
// Never loops: a second 402 is a failure. A signature counts toward the budgets from the moment it is made, whatever
// the gateway answers (src/store/ledger.ts).
import { randomBytes } from "node:crypto";
import { ActionableError, EXIT } from "../../core/errors";
import { log } from "../../core/log";
import { Ledger } from "../../store/ledger";
import { corruptKey, readSecret } from "../../wallet/keys";
import { CHAINS, type Chain } from "../chain";
import { errorMessage, type Payer } from "../client";
import type { PaymentContext } from "./index";
import { budgetRefusal, checkAmount, choose, eip712Domain, freeModelRefusal, payToProblem, payToRefusal } from "./guards";
import { atomicToUsd, formatUsd, usdToAtomic } from "./keys";
import { paymentHeader, readReceipt, readRequirements, type Requirement } from "./requirements";
import { afterSigning } from "./signed";

/** `validUntil`: ms after which the signature can no longer settle (Base: validBefore; Solana: a blockhash bound). */
type Signed = { payload: Record<string, unknown>; tx?: string; validUntil: number };
type Signer = { address: string; sign(req: Requirement, nonce: string, nowSec: number): Promise<Signed> };

export function makePayer(ctx: PaymentContext & { chain: Chain }): Payer {
  const now = ctx.now ?? Date.now;
  let ledger: Ledger | undefined;
  let signer: Promise<Signer> | undefined;
  const usd = (key: string) => usdToAtomic(Number(ctx.config(key) ?? 0));

  return async ({ first, resend, url, model }) => {
    // The catalog says this model costs nothing: a gateway asking to be paid for it is not paid.
    if (model && ctx.isFree(model)) throw freeModelRefusal(model);
    const pr = await readRequirements(first);
    const req = choose(pr, ctx.chain);
    checkAmount(req, usd("max-usd-per-request"), model);
    if (ctx.chain === "base") eip712Domain(req); // refuses an `extra` that disagrees with the known USDC domain
    ledger ??= Ledger.open(ctx.paths.db);
    await checkPayTo(ctx, ledger, req);
    signer ??= loadSigner(ctx);
    const s = await signer.catch((err: unknown) => {
      signer = undefined;
      throw err;
    });

    const nonce = ctx.chain === "base" ? `0x${randomBytes(32).toString("hex")}` : randomBytes(16).toString("hex");
    const at = now();
    const quoted = { network: req.network, asset: req.asset, amount: req.amount.toString(), payTo: req.payTo };
    const sessionLimit = usd("max-usd-per-session");
    const dayLimit = usd("max-usd-per-day");
    const r = ledger.reserve({ session: ctx.session, model, url, network: req.network, asset: req.asset, payTo: req.payTo, payer: s.address, amount: req.amount, nonce, sessionLimit, dayLimit, now: at });
    if (!r.ok) throw budgetRefusal(r.limit, req.amount, r.spent, r.limit === "session" ? sessionLimit : dayLimit);

    let signed: Signed;
    try {
      signed = await s.sign(req, nonce, Math.floor(at / 1000));
    } catch (err) {
      // Nothing was signed: the row stops counting.
      ledger.fail(r.id, "signing failed");
      ctx.emit({ type: "payment.failed", ...quoted, usd: 0, signed: false, reason: "signing failed" });
      throw err;
    }
    // Before the signature leaves the process: from here on the row counts, whatever the answer.
    ledger.signed(r.id, { at: now(), validUntil: signed.validUntil, tx: signed.tx });
    log(`payment ${r.id}: signed ${formatUsd(req.amount)} on ${req.network} to ${req.payTo} for ${model ?? url}, valid until ${new Date(signed.validUntil).toISOString()}`);

    const paid = { ...quoted, usd: atomicToUsd(req.amount), signed: true };
    const fail = (reason: string) => {
      ledger!.fail(r.id, reason);
      ctx.emit({ type: "payment.failed", ...paid, reason });
    };
    // Everything handed back from here on is tagged, so callers that see no events (the proxy) know it was signed.
    let res: Response;
    try {
      res = await resend(paymentHeader(pr, req, signed.payload));
    } catch (err) {
      // Sent but unanswered: it may still settle, so it stays pending and keeps counting toward the budgets.
      ctx.emit({ type: "payment.failed", ...paid, reason: "no answer after the payment was sent; it may still settle" });
      throw afterSigning(err);
    }
    if (res.status === 402) {
      const msg = await errorMessage(res);
      fail(msg);
      throw afterSigning(paymentError(msg, ctx.chain, s.address, req.amount));
    }
    const receipt = readReceipt(res);
    if (receipt && !receipt.success) {
      const msg = receipt.errorReason ?? "the gateway's receipt says the payment did not settle";
      fail(msg);
      await res.body?.cancel().catch(() => {});
      throw afterSigning(paymentError(msg, ctx.chain, s.address, req.amount));
    }
    if (!res.ok) {
      fail(`gateway answered ${res.status}; the signature still counts toward the budgets`);
      return { response: afterSigning(res), usd: 0 };
    }
    const tx = receipt?.transaction ?? signed.tx;
    ledger.settle(r.id, tx);
    ctx.emit({ type: "payment.settled", ...quoted, usd: paid.usd, ...(tx ? { tx } : {}) });
    return { response: res, usd: paid.usd };
  };
}

async function checkPayTo(ctx: PaymentContext & { chain: Chain }, ledger: Ledger, req: Requirement) {
  const configured = ctx.config("gateway-pay-to");
  const fromConfig = typeof configured === "string" && configured ? configured : undefined;
  const problem = payToProblem(ctx.chain, req.payTo, fromConfig, ledger.recipient(req.network));
  if (!problem) return;
  // A configured recipient is the user's explicit choice: only `config set` changes it.
  if (fromConfig || !ctx.interactive) throw payToRefusal(problem, req.payTo);
  const ok = await ctx.confirm(`${problem}. Pay ${formatUsd(req.amount)} to ${req.payTo} and trust it from now on?`);
  if (!ok) throw payToRefusal(problem, req.payTo);
  ledger.setRecipient(req.network, req.payTo);
}

async function loadSigner(ctx: PaymentContext & { chain: Chain }): Promise<Signer> {
  const { secret, source } = readSecret(ctx.paths, ctx.env, ctx.chain);
  const now = ctx.now ?? Date.now;
  try {
    if (ctx.chain === "base") {
      const { evmSigner } = await import("./evm");
      if (!/^0x[0-9a-fA-F]{64}$/.test(secret)) throw new Error("bad key");
      const s = evmSigner(secret as `0x${string}`);
      return { address: s.address, sign: (req, nonce, nowSec) => s.sign(req, nonce as `0x${string}`, nowSec) };
    }
    const { solanaSigner, BLOCKHASH_VALID_MS } = await import("./solana");
    const url = ctx.env.RUNCODE_SOLANA_RPC_URL || (ctx.config("solana-rpc-url") as string | undefined) || `${ctx.apiBase}/v1/solana/rpc`;
    const timeoutMs = Number(ctx.config("rpc-timeout") ?? 10) * 1000;
    const s = solanaSigner(secret, { url, timeoutMs, fetch: ctx.fetch });
    // Measured after signing, so after the blockhash was fetched: later than the blockhash's own start.
    return { address: s.address, sign: async (req, nonce) => ({ ...(await s.sign(req, nonce)), validUntil: now() + BLOCKHASH_VALID_MS }) };
  } catch {
    throw corruptKey(source, ctx.chain);
  }
}

/** The gateway's verdict on a payment we signed for `amount` (atomic), as one line with the fix. */
export function paymentError(msg: string, chain: Chain, address: string, amount: bigint): ActionableError {
  const name = chain === "base" ? "Base" : "Solana";
  const usd = formatUsd(amount);
  if (/insufficient/i.test(msg))
    return new ActionableError(
      `the wallet ${address} has too little USDC on ${name} for this request of ${usd} (${msg})`,
      `fund ${address} on ${name} with USDC (check with \`runcode balance\`), or use a free model with -m free`,
      "insufficient_funds",
      EXIT.payment,
    );
  if (/expired|not yet valid|validAfter|validBefore/i.test(msg))
    return new ActionableError(`the payment authorization for ${usd} was rejected as expired (${msg})`, "check your system clock (it must be within a minute or two of real time), then retry", "payment_failed", EXIT.payment);
  if (/signature/i.test(msg))
    return new ActionableError(
      `the gateway rejected the payment signature for ${usd} (${msg})`,
      `check the active chain matches the gateway (\`runcode wallet\`; ${CHAINS[chain].network}) and that the key file is intact`,
      "payment_failed",
      EXIT.payment,
    );
  return new ActionableError(`the payment of ${usd} failed (${msg})`, "retry, or use a free model with -m free", "payment_failed", EXIT.payment);
}
