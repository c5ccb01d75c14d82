// One payment, start to finish: read the 402 → choose → guards → reserve in the ledger (budget check + record,
// atomically) → sign → record the signature's validity window → resend once → settle or fail from the answer.
// Never loops: a second 402 is a failure. A signature counts toward the budgets from the moment it is made, whatever
// the gateway answers (src/money/ledger.ts).
//
// Pre-signed payments (docs/payments.md): once a 402 for a gateway endpoint, model and network has been paid and
// settled, its requirements are kept in the ledger (`quotes`), and later requests are signed before they are sent,
// for the amount the gateway's formula gives (src/money/quote.ts), through the same guards: one HTTP request per paid
// call. A pre-signed payment the gateway answers with a fresh quote is marked `void` (it still counts toward the
// budgets) and the fresh quote is paid once, through every guard. Never on Solana (see `presign`).
//
// Everything the payer uses is handed in (PayerDeps): it opens no file, reads no config or environment variable and
// asks no clock but `now`. src/agent/payer.ts builds these from the run's environment; tests build them directly.
import { randomBytes } from "node:crypto";
import { ActionableError, EXIT } from "../core/errors";
import type { AgentEvent } from "../core/events";
import { log } from "../core/log";
import { errorMessage, type PayerRequest } from "../gateway/client";
import { CHAINS, type Chain } from "./chain";
import { budgetRefusal, checkAmount, choose, eip712Domain, freeModelRefusal, payToProblem, payToRefusal } from "./guards";
import type { Ledger, QuoteKey } from "./ledger";
import { learnedFee, type Prices, presignedAmount, requestSize } from "./quote";
import {
  type PaymentRequired,
  parseRequirements,
  paymentHeader,
  readReceipt,
  readRequirements,
  type Requirement,
  requirementsDoc,
  withAmount,
} from "./requirements";
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
  /** The catalog's published prices for a model (USD per 1M tokens); without them nothing is signed up front. */
  prices?: (model: string) => Prices | undefined;
  /** The session `max-usd-per-session` counts under, read at each payment (a REPL's /clear starts a new one). */
  session: () => string;
  /** payment.settled and payment.failed: the only channel by which dollars reach any total. */
  emit: (event: PaymentEvent) => void;
  /** Clock in ms: the ledger's timestamps, the signature's validity window, the age of a kept quote. */
  now: () => number;
};

/** What the gateway client hands the payer, plus a 402 already received for an unpaid send (runPayer sends first). */
export type PaymentRequest = PayerRequest & { first?: Response };
export type Paid = { response: Response; usd: number };

/** A kept quote older than this is not signed from: the next request is quoted afresh. */
export const QUOTE_TTL_MS = 60 * 60 * 1000;
/**
 * Once this many pre-signed payments for one key were voided by a fresh quote within QUOTE_TTL_MS, that key is not
 * pre-signed again until the last of them is QUOTE_TTL_MS old. A gateway whose price runcode cannot predict gets the
 * 402 flow rather than a void signature (which counts toward the budgets) before every paid call, and a hostile one
 * obtains at most this many extra signatures per endpoint and model an hour, inside the budgets.
 */
export const QUOTE_MAX_MISSES = 2;

/** One signature made for one request: its ledger row, what was signed, and where it was quoted. */
type Attempt = {
  id: number;
  pr: PaymentRequired;
  req: Requirement;
  signed: Signed;
  address: string;
  presigned: boolean;
  /** Where this attempt's quote is kept (Base, a model, a priceable body); undefined: nothing is learned. */
  key?: QuoteKey;
  hold?: PaymentRequest["hold"];
};

export function createPayer(d: PayerDeps): (p: PaymentRequest) => Promise<Paid> {
  let ledger: Ledger | undefined;
  let signer: Promise<Signer> | undefined;
  const book = () => (ledger ??= d.ledger());
  const loadSigner = () =>
    (signer ??= d.signer()).catch((err: unknown) => {
      signer = undefined;
      throw err;
    });

  const terms = (req: Requirement) => ({ network: req.network, asset: req.asset, amount: req.amount.toString(), payTo: req.payTo });
  const paid = (a: Attempt) => ({ ...terms(a.req), usd: atomicToUsd(a.req.amount), signed: true });
  const keyOf = (p: PaymentRequest): QuoteKey | undefined =>
    d.chain === "base" && p.model ? { url: p.url, model: p.model, network: CHAINS.base.network } : undefined;
  /** A cache write must never fail a payment. */
  const remember = (what: string, fn: () => void) => {
    try {
      fn();
    } catch (err) {
      log(`payment quote not ${what}: ${err instanceof Error ? err.message : String(err)}`);
    }
  };

  /** Reserves (budgets checked and recorded atomically), signs and records the signature before it can leave. */
  async function sign(pr: PaymentRequired, req: Requirement, p: PaymentRequest, presigned: boolean) {
    const s = await loadSigner();
    const limits = d.limits();
    const nonce = d.chain === "base" ? `0x${randomBytes(32).toString("hex")}` : randomBytes(16).toString("hex");
    const at = d.now();
    const r = book().reserve({
      session: d.session(),
      model: p.model,
      url: p.url,
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
    if (!r.ok) return { refused: budgetRefusal(r.limit, req.amount, r.spent, r.limit === "session" ? limits.perSession : limits.perDay) };
    // A second budget (a team developer's): refused there, the row is closed unsigned and never counts.
    let held: Error | undefined;
    try {
      held = await p.hold?.reserve(req.amount, r.id, { nonce, expires: at + Math.min(req.maxTimeoutSeconds, 900) * 1000 });
    } catch (err) {
      book().fail(r.id, d.now(), "not signed: the second budget could not be checked");
      throw err;
    }
    if (held) {
      book().fail(r.id, d.now(), `not signed: ${held.message}`);
      return { refused: held };
    }
    let signed: Signed;
    try {
      signed = await s.sign(req, nonce, Math.floor(at / 1000));
    } catch (err) {
      // Nothing was signed: the row stops counting.
      book().fail(r.id, d.now(), "signing failed");
      p.hold?.release(r.id, "signing failed");
      d.emit({ type: "payment.failed", ...terms(req), usd: 0, signed: false, reason: "signing failed" });
      throw err;
    }
    // Before the signature leaves the process: from here on the row counts, whatever the answer.
    book().signed(r.id, { at: d.now(), validUntil: signed.validUntil, tx: signed.tx });
    log(
      `payment ${r.id}: signed ${formatUsd(req.amount)}${presigned ? " up front" : ""} on ${req.network} to ${req.payTo} for ${p.model ?? p.url}, valid until ${new Date(signed.validUntil).toISOString()}`,
    );
    const attempt: Attempt = { id: r.id, pr, req, signed, address: s.address, presigned, key: keyOf(p), hold: p.hold };
    return { attempt };
  }

  /** Sends the signed request once; a network failure leaves the row pending (it may still settle). */
  async function send(a: Attempt, p: PaymentRequest): Promise<Response> {
    try {
      return await p.send(paymentHeader(a.pr, a.req, a.signed.payload));
    } catch (err) {
      d.emit({ type: "payment.failed", ...paid(a), reason: "no answer after the payment was sent; it may still settle" });
      throw afterSigning(err);
    }
  }

  const fail = (a: Attempt, reason: string) => {
    book().fail(a.id, d.now(), reason);
    a.hold?.release(a.id, reason);
    d.emit({ type: "payment.failed", ...paid(a), reason });
  };

  /** The answer to a signed request that is not a 402: settled, or failed with the signature still counting. */
  async function settle(a: Attempt, res: Response, p: PaymentRequest): Promise<Paid> {
    const receipt = readReceipt(res);
    if (receipt && !receipt.success) {
      const msg = receipt.errorReason ?? "the gateway's receipt says the payment did not settle";
      fail(a, msg);
      await res.body?.cancel().catch(() => {});
      throw afterSigning(paymentError(msg, d.chain, a.address, a.req.amount));
    }
    if (!res.ok) {
      fail(a, `gateway answered ${res.status}; the signature still counts toward the budgets`);
      return { response: afterSigning(res), usd: 0 };
    }
    const tx = receipt?.transaction ?? a.signed.tx;
    book().settle(a.id, d.now(), tx);
    a.hold?.settle(a.id);
    const key = a.key;
    if (key && !a.presigned) {
      // A quote the gateway made and was paid: what later requests to this key are signed up front from.
      const prices = d.prices?.(key.model);
      const size = prices && requestSize(p.body);
      if (prices && size)
        remember("kept", () => book().learn(key, requirementsDoc(a.pr, a.req), learnedFee(a.req.amount, prices, size), d.now()));
    }
    const settled: PaymentEvent = { type: "payment.settled", ...terms(a.req), usd: atomicToUsd(a.req.amount), ...(tx ? { tx } : {}) };
    d.emit(settled);
    // What this request settled, from the very event that reports it: the proxy, which sees no events, counts this.
    return { response: res, usd: settled.usd };
  }

  /** The 402 flow: the gateway's quote through every guard, signed, resent once. */
  async function pay(pr: PaymentRequired, p: PaymentRequest): Promise<Paid> {
    const req = choose(pr, d.chain);
    checkAmount(req, d.limits().perRequest, p.model);
    if (d.chain === "base") eip712Domain(req); // refuses an `extra` that disagrees with the known USDC domain
    await checkPayTo(d, book(), req);
    const r = await sign(pr, req, p, false);
    if ("refused" in r) throw r.refused;
    const a = r.attempt;
    const res = await send(a, p);
    if (res.status === 402) {
      const msg = await errorMessage(res);
      fail(a, msg);
      throw afterSigning(paymentError(msg, d.chain, a.address, a.req.amount));
    }
    return settle(a, res, p);
  }

  /**
   * A payment signed before sending, from the quote kept for this key, or undefined when there is none to use.
   * Every guard of the 402 path runs first; one that says no leaves the request unpaid, so the gateway's own quote
   * meets the same guards and a refusal reads exactly as without pre-signing.
   *
   * Never on Solana: a transaction is tied to a recent blockhash (~60-90 s), which has to be fetched from an RPC
   * right before signing anyway (a round trip of its own, so nothing is saved), and a pre-signed transaction the
   * gateway then answered with a fresh quote would stay submittable until its blockhash expires.
   */
  async function presign(p: PaymentRequest): Promise<Attempt | undefined> {
    const key = keyOf(p);
    const prices = key && d.prices?.(key.model);
    if (!key || !prices || d.isFree(key.model)) return undefined;
    try {
      const now = d.now();
      const q = book().quote(key);
      if (!q || now - q.learnedAt > QUOTE_TTL_MS) return undefined;
      if (q.misses >= QUOTE_MAX_MISSES && q.missedAt !== null && now - q.missedAt < QUOTE_TTL_MS) return undefined;
      const size = requestSize(p.body);
      const amount = size && presignedAmount(prices, size, q.fee);
      if (!amount) return undefined;
      const pr = parseRequirements(q.doc);
      const req = withAmount(choose(pr, d.chain), amount);
      if (amount > d.limits().perRequest) return undefined;
      eip712Domain(req);
      if (payToProblem(d.chain, req.payTo, d.payTo.configured(), book().recipient(req.network))) return undefined;
      const r = await sign(pr, req, p, true);
      return "attempt" in r ? r.attempt : undefined;
    } catch (err) {
      log(`not signing up front: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
  }

  /** The answer to a pre-signed request. A 402 with a fresh quote voids it, and the fresh quote is paid once. */
  async function presigned(a: Attempt, p: PaymentRequest): Promise<Paid> {
    const res = await send(a, p);
    if (res.status !== 402) return settle(a, res, p);
    const fresh = await readRequirements(res.clone() as Response).catch(() => undefined);
    const msg = await errorMessage(res);
    let offered: Requirement | undefined;
    try {
      offered = fresh && choose(fresh, d.chain);
    } catch {
      offered = undefined; // a fresh quote that will be refused below, by the same guard, after the void
    }
    // The gateway turned down this very payment (its terms are what it asks now, or it says why): not a new quote.
    if ((offered && sameTerms(offered, a.req, d.chain)) || (!fresh && VERDICT.test(msg))) {
      fail(a, msg);
      throw afterSigning(paymentError(msg, d.chain, a.address, a.req.amount));
    }
    const why = offered ? `the gateway now asks ${formatUsd(offered.amount)} to ${offered.payTo}` : msg;
    book().void(a.id, d.now(), `superseded by a fresh quote: ${why}`);
    a.hold?.release(a.id, "superseded by a fresh quote");
    d.emit({ type: "payment.failed", ...paid(a), reason: `pre-signed payment not taken (${why}); voided, paying the fresh quote` });
    const now = d.now();
    if (a.key) remember("updated", () => book().quoteMissed(a.key!, now, now - QUOTE_TTL_MS));
    try {
      let pr = fresh;
      if (!pr) {
        // A refusal without requirements: ask again, unpaid, for the gateway's quote.
        const again = await p.send();
        if (again.status !== 402) return { response: afterSigning(again), usd: 0 };
        pr = await readRequirements(again);
      }
      return await pay(pr, p);
    } catch (err) {
      throw afterSigning(err); // this answer already had a signature made for it
    }
  }

  return async (p) => {
    let first = p.first;
    if (!first) {
      const a = await presign(p);
      if (a) return presigned(a, p);
      first = await p.send();
      if (first.status !== 402) return { response: first, usd: 0 };
    }
    // The catalog says this model costs nothing: a gateway asking to be paid for it is not paid.
    if (p.model && d.isFree(p.model)) throw freeModelRefusal(p.model);
    return pay(await readRequirements(first), p);
  };
}

/** A 402's own verdict on a payment (what paymentError explains), as opposed to a changed quote. */
const VERDICT = /insufficient|expired|not yet valid|validAfter|validBefore|signature|nonce/i;

/** Whether a fresh requirement asks exactly what was signed (then a 402 is about the payment, not the quote). */
function sameTerms(a: Requirement, b: Requirement, chain: Chain): boolean {
  const same = (x: string, y: string) => (chain === "base" ? x.toLowerCase() === y.toLowerCase() : x === y);
  return (
    a.scheme === b.scheme &&
    a.network === b.network &&
    a.amount === b.amount &&
    same(a.asset, b.asset) &&
    same(a.payTo, b.payTo) &&
    a.maxTimeoutSeconds === b.maxTimeoutSeconds &&
    JSON.stringify(a.extra) === JSON.stringify(b.extra)
  );
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
