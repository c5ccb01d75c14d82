// One payment, start to finish: read the 402 → choose → guards → reserve in the ledger (budget check + record,
// atomically) → sign → resend once → settle or fail from the answer. Never loops: a second 402 is a failure.
import { randomBytes } from "node:crypto";
import { ActionableError, EXIT } from "../../core/errors";
import { log } from "../../core/log";
import { Ledger } from "../../store/ledger";
import { corruptKey, readSecret } from "../../wallet/keys";
import { CHAINS, type Chain } from "../chain";
import { errorMessage, type Payer } from "../client";
import type { PaymentContext } from "./index";
import { budgetRefusal, checkAmount, choose, eip712Domain, payToProblem, payToRefusal } from "./guards";
import { atomicToUsd, formatUsd, usdToAtomic } from "./keys";
import { paymentHeader, readReceipt, readRequirements, type Requirement } from "./requirements";

type Signer = { address: string; sign(req: Requirement, nonce: string, nowSec: number): Promise<{ payload: Record<string, unknown>; tx?: string }> };

export function makePayer(ctx: PaymentContext & { chain: Chain }): Payer {
  const now = ctx.now ?? Date.now;
  let ledger: Ledger | undefined;
  let signer: Promise<Signer> | undefined;
  const usd = (key: string) => usdToAtomic(Number(ctx.config(key) ?? 0));

  return async ({ first, resend, url, model }) => {
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
    const base = { network: req.network, asset: req.asset, amount: req.amount.toString(), usd: atomicToUsd(req.amount), payTo: req.payTo };
    const sessionLimit = usd("max-usd-per-session");
    const dayLimit = usd("max-usd-per-day");
    const r = ledger.reserve({ session: ctx.session, model, url, network: req.network, asset: req.asset, payTo: req.payTo, payer: s.address, amount: req.amount, nonce, sessionLimit, dayLimit, now: at });
    if (!r.ok) throw budgetRefusal(r.limit, req.amount, r.spent, r.limit === "session" ? sessionLimit : dayLimit);

    const fail = (reason: string) => {
      ledger!.fail(r.id, reason);
      ctx.emit({ type: "payment.failed", ...base, usd: 0, reason });
    };
    let signed: Awaited<ReturnType<Signer["sign"]>>;
    try {
      signed = await s.sign(req, nonce, Math.floor(at / 1000));
    } catch (err) {
      fail("signing failed");
      throw err;
    }
    if (signed.tx) ledger.attachTx(r.id, signed.tx);
    log(`payment ${r.id}: signed ${formatUsd(req.amount)} on ${req.network} to ${req.payTo} for ${model ?? url}`);

    let res: Response;
    try {
      res = await resend(paymentHeader(pr, req, signed.payload));
    } catch (err) {
      // Sent but unanswered: it may still settle, so it stays pending and keeps counting toward the budgets.
      ctx.emit({ type: "payment.failed", ...base, usd: 0, reason: "no answer after the payment was sent; it may still settle" });
      throw err;
    }
    if (res.status === 402) {
      const msg = await errorMessage(res);
      fail(msg);
      throw paymentError(msg, ctx.chain, s.address);
    }
    const receipt = readReceipt(res);
    if (receipt && !receipt.success) {
      const msg = receipt.errorReason ?? "the gateway's receipt says the payment did not settle";
      fail(msg);
      await res.body?.cancel().catch(() => {});
      throw paymentError(msg, ctx.chain, s.address);
    }
    if (!res.ok) {
      fail(`gateway answered ${res.status}; a failed request is not charged`);
      return { response: res, usd: 0 };
    }
    const tx = receipt?.transaction ?? signed.tx;
    ledger.settle(r.id, tx);
    ctx.emit({ type: "payment.settled", ...base, ...(tx ? { tx } : {}) });
    return { response: res, usd: base.usd };
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
  try {
    if (ctx.chain === "base") {
      const { evmSigner } = await import("./evm");
      if (!/^0x[0-9a-fA-F]{64}$/.test(secret)) throw new Error("bad key");
      const s = evmSigner(secret as `0x${string}`);
      return { address: s.address, sign: (req, nonce, nowSec) => s.sign(req, nonce as `0x${string}`, nowSec) };
    }
    const { solanaSigner } = await import("./solana");
    const url = ctx.env.RUNCODE_SOLANA_RPC_URL || (ctx.config("solana-rpc-url") as string | undefined) || `${ctx.apiBase}/v1/solana/rpc`;
    const timeoutMs = Number(ctx.config("rpc-timeout") ?? 10) * 1000;
    const s = solanaSigner(secret, { url, timeoutMs, fetch: ctx.fetch });
    return { address: s.address, sign: (req, nonce) => s.sign(req, nonce) };
  } catch {
    throw corruptKey(source, ctx.chain);
  }
}

/** The gateway's verdict on a payment we signed, as one line with the fix. */
export function paymentError(msg: string, chain: Chain, address: string): ActionableError {
  const name = chain === "base" ? "Base" : "Solana";
  if (/insufficient/i.test(msg))
    return new ActionableError(
      `the wallet ${address} has too little USDC on ${name} for this request (${msg})`,
      `fund ${address} on ${name} with USDC (check with \`runcode balance\`), or use a free model with -m free`,
      "insufficient_funds",
      EXIT.payment,
    );
  if (/expired|not yet valid|validAfter|validBefore/i.test(msg))
    return new ActionableError(`the payment authorization was rejected as expired (${msg})`, "check your system clock (it must be within a minute or two of real time), then retry", "payment_failed", EXIT.payment);
  if (/signature/i.test(msg))
    return new ActionableError(
      `the gateway rejected the payment signature (${msg})`,
      `check the active chain matches the gateway (\`runcode wallet\`; ${CHAINS[chain].network}) and that the key file is intact`,
      "payment_failed",
      EXIT.payment,
    );
  return new ActionableError(`the payment failed (${msg})`, "retry, or use a free model with -m free", "payment_failed", EXIT.payment);
}
