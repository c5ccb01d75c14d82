// The one place a run's payer is assembled from the CLI context: the wallet's key source, the payment settings and
// the store the run already opened. Config and env are read here, at the edge, and only once a payment needs them
// (a bad budget value fails that payment, not a free run); src/money/pay.ts reads nothing itself. ask/edit
// (src/cli/run.ts), the REPL (src/repl/engine.ts) and the proxy (src/commands/proxy.ts) each call this in one line.
import type { Payer } from "../gateway/client";
import { createPayer, type PaymentEvent } from "../money";
import { Ledger } from "../money/ledger";
import { rpcUrl } from "../money/rpc";
import { configuredPayTo, paymentLimits, rpcTimeoutMs } from "../money/settings";
import { loadSigner } from "../money/signer";
import { readSecret, walletSource } from "../money/wallet/keys";
import { openStore } from "../store/open";
import type { Store } from "../store/store";
import type { Context } from "./context";
import { ui } from "./ui";

export type RunPayment = {
  /**
   * The store the run opened, once it has: the ledger shares its connection (one door into runcode.db). When there
   * is none at the first payment, one is opened for the ledger through the same openStore: every payment is recorded,
   * and a payment that cannot be recorded is not made.
   */
  store?: () => Store | undefined;
  emit: (event: PaymentEvent) => void;
  /** The session id budgets count under, read at each payment. */
  session: () => string;
  /** Asks on the terminal whether to trust a new recipient; absent when nothing can be asked. */
  confirm?: (question: string) => Promise<boolean>;
  isFree: (model: string) => boolean;
  /** Store warnings (a read-only home); stderr by default. */
  warn?: (line: string) => void;
  /** fetch for the Solana blockhash; defaults to global fetch. */
  fetch?: typeof fetch;
  now?: () => number;
};

/** The run's payer for the active chain's wallet, or undefined when there is no wallet (then a 402 is "run setup"). */
export function payerFromContext(ctx: Pick<Context, "env" | "paths" | "get" | "chain" | "baseUrl">, o: RunPayment): Payer | undefined {
  const { env, paths, get, chain } = ctx;
  // Only looks at env vars and file names: no key is read and no crypto is loaded until a 402 arrives.
  if (!walletSource(paths, env, chain)) return undefined;
  const now = o.now ?? Date.now;
  let own: Store | undefined;
  return createPayer({
    chain,
    ledger: () => new Ledger((o.store?.() ?? (own ??= openStore({ home: paths.home, warn: o.warn ?? ui.warn }))).db),
    signer: async () =>
      loadSigner(chain, readSecret(paths, env, chain), {
        now,
        rpc: chain === "solana" ? { url: rpcUrl(chain, env, get, ctx.baseUrl), timeoutMs: rpcTimeoutMs(get), fetch: o.fetch } : undefined,
      }),
    limits: () => paymentLimits(get),
    payTo: { configured: () => configuredPayTo(get), confirm: o.confirm },
    isFree: o.isFree,
    session: o.session,
    emit: o.emit,
    now,
  });
}
