// One payment, start to finish: read the 402 → choose → guards → reserve in the ledger (budget check + record,
// atomically) → sign → record the signature's validity window → resend once → settle or fail from the answer.
// Never loops: a second 402 is a failure. A signature counts toward the budgets from the moment it is made, whatever
// the gateway answers (src/money/ledger.ts).
//
// Everything the payer uses is handed in (PayerDeps): it opens no file, reads no config or environment variable and
// asks no clock but `now`. src/agent/payer.ts builds these from the run's environment; tests build them directly.
import { randomBytes } from "node:crypto";
import { ActionableError, EXIT } from "../core/errors";
import type { AgentEvent } from "../core/events";
import { log } from "../core/log";
import { errorMessage, type Payer } from "../gateway/client";
import { CHAINS, type Chain } from "./chain";
import { budgetRefusal, checkAmount, choose, eip712Domain, freeModelRefusal, payToProblem, payToRefusal } from "./guards";
import type { Ledger } from "./ledger";
import { paymentHeader, readReceipt, readRequirements, type Requirement } from "./requirements";
import type { Limits } from "./settings";
import { afterSigning } from "./signed";
import type { Signed, Signer } from "./signer";
import { atomicToUsd, formatUsd } from "./usd";

export type PaymentEvent = Extract<AgentEvent, { type: "payment.settled" | "payment.failed" }>;

export type PayerDeps = {
  /** The chain the wallet pays on: only its requirements are accepted. */
  chain: Chain;
  /** The ledger on the run's one open store; asked for at the first payment and kept. */
  ledger: () => Ledger;
  /** Loads the signer on first use (reads the key, imports viem or Solana); a failure is retried at the next payment. */
  signer: () => Promise<Signer>;
  /** Atomic limits, asked for at each payment (a bad config value then fails the payment, never a free run). */
  limits: () => Limits;
  payTo: {
    /** The recipient the user configured, asked for at each payment; only `config set` changes it. */
    configured: () => string | undefined;
    /** Asks whether to trust a new recipient; absent when nothing can be asked (the payment is refused, exit 3). */
    confirm?: (question: string) => Promise<boolean>;
  };
  /** Whether the catalog lists this model id as free: a 402 for such a model is refused, never paid. */
  isFree: (model: string) => boolean;
  /** The session `max-usd-per-session` counts under, read at each payment (a REPL's /clear starts a new one). */
  session: () => string;
  /** payment.settled and payment.failed: the only channel by which dollars reach any total. */
  emit: (event: PaymentEvent) => void;
  /** Clock in ms: the ledger's timestamps, the signature's validity window. */
  now: () => number;
};

export function createPayer(d: PayerDeps): Payer {
  let ledger: Ledger | undefined;
  let signer: Promise<Signer> | undefined;

  return async ({ first, resend, url, model }) => {
    // The catalog says this model costs nothing: a gateway asking to be paid for it is not paid.
    if (model && d.isFree(model)) throw freeModelRefusal(model);
    const pr = await readRequirements(first);
    const req = choose(pr, d.chain);
    const limits = d.limits();
    checkAmount(req, limits.perRequest, model);
    if (d.chain === "base") eip712Domain(req); // refuses an `extra` that disagrees with the known USDC domain
    ledger ??= d.ledger();
    await checkPayTo(d, ledger, req);
    signer ??= d.signer();
    const s = await signer.catch((err: unknown) => {
      signer = undefined;
      throw err;
    });

    const nonce = d.chain === "base" ? `0x${randomBytes(32).toString("hex")}` : randomBytes(16).toString("hex");
    const at = d.now();
    const quoted = { network: req.network, asset: req.asset, amount: req.amount.toString(), payTo: req.payTo };
    const r = ledger.reserve({
      session: d.session(),
      model,
      url,
      network: req.network,
      asset: req.asset,
      payTo: req.payTo,
      payer: s.address,
      amount: req.amount,
      nonce,
      sessionLimit: limits.perSession,
      dayLimit: limits.perDay,
      now: at,
    });
    if (!r.ok) throw budgetRefusal(r.limit, req.amount, r.spent, r.limit === "session" ? limits.perSession : limits.perDay);

    let signed: Signed;
    try {
      signed = await s.sign(req, nonce, Math.floor(at / 1000));
    } catch (err) {
      // Nothing was signed: the row stops counting.
      ledger.fail(r.id, d.now(), "signing failed");
      d.emit({ type: "payment.failed", ...quoted, usd: 0, signed: false, reason: "signing failed" });
      throw err;
    }
    // Before the signature leaves the process: from here on the row counts, whatever the answer.
    ledger.signed(r.id, { at: d.now(), validUntil: signed.validUntil, tx: signed.tx });
    log(
      `payment ${r.id}: signed ${formatUsd(req.amount)} on ${req.network} to ${req.payTo} for ${model ?? url}, valid until ${new Date(signed.validUntil).toISOString()}`,
    );

    const paid = { ...quoted, usd: atomicToUsd(req.amount), signed: true };
    const fail = (reason: string) => {
      ledger!.fail(r.id, d.now(), reason);
      d.emit({ type: "payment.failed", ...paid, reason });
    };
    // Everything handed back from here on is tagged, so callers that see no events (the proxy) know it was signed.
    let res: Response;
    try {
      res = await resend(paymentHeader(pr, req, signed.payload));
    } catch (err) {
      // Sent but unanswered: it may still settle, so it stays pending and keeps counting toward the budgets.
      d.emit({ type: "payment.failed", ...paid, reason: "no answer after the payment was sent; it may still settle" });
      throw afterSigning(err);
    }
    if (res.status === 402) {
      const msg = await errorMessage(res);
      fail(msg);
      throw afterSigning(paymentError(msg, d.chain, s.address, req.amount));
    }
    const receipt = readReceipt(res);
    if (receipt && !receipt.success) {
      const msg = receipt.errorReason ?? "the gateway's receipt says the payment did not settle";
      fail(msg);
      await res.body?.cancel().catch(() => {});
      throw afterSigning(paymentError(msg, d.chain, s.address, req.amount));
    }
    if (!res.ok) {
      fail(`gateway answered ${res.status}; the signature still counts toward the budgets`);
      return { response: afterSigning(res), usd: 0 };
    }
    const tx = receipt?.transaction ?? signed.tx;
    ledger.settle(r.id, d.now(), tx);
    const settled: PaymentEvent = { type: "payment.settled", ...quoted, usd: paid.usd, ...(tx ? { tx } : {}) };
    d.emit(settled);
    // What this request settled, from the very event that reports it: the proxy, which sees no events, counts this.
    return { response: res, usd: settled.usd };
  };
}

async function checkPayTo(d: PayerDeps, ledger: Ledger, req: Requirement) {
  const configured = d.payTo.configured();
  const problem = payToProblem(d.chain, req.payTo, configured, ledger.recipient(req.network));
  if (!problem) return;
  // A configured recipient is the user's explicit choice: only `config set` changes it.
  if (configured || !d.payTo.confirm) throw payToRefusal(problem, req.payTo);
  const ok = await d.payTo.confirm(`${problem}. Pay ${formatUsd(req.amount)} to ${req.payTo} and trust it from now on?`);
  if (!ok) throw payToRefusal(problem, req.payTo);
  ledger.setRecipient(req.network, req.payTo, d.now());
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
    return new ActionableError(
      `the payment authorization for ${usd} was rejected as expired (${msg})`,
      "check your system clock (it must be within a minute or two of real time), then retry",
      "payment_failed",
      EXIT.payment,
    );
  if (/signature/i.test(msg))
    return new ActionableError(
      `the gateway rejected the payment signature for ${usd} (${msg})`,
      `check the active chain matches the gateway (\`runcode wallet\`; ${CHAINS[chain].network}) and that the key file is intact`,
      "payment_failed",
      EXIT.payment,
    );
  return new ActionableError(
    `the payment of ${usd} failed (${msg})`,
    "retry, or use a free model with -m free",
    "payment_failed",
    EXIT.payment,
  );
}
