// The one place a run's payer is assembled: the wallet's key source, the payment settings and the ledger on the
// store the run already opened (one door into runcode.db). Config and env are read here, from the run's
// environment, and only once a payment needs them (a bad budget value fails that payment, not a free run);
// money/pay.ts reads nothing itself. The run assembly (agent/workspace.ts) and the proxy each call this once.
import type { Payer } from "../gateway/client";
import type { PaymentEvent } from "../money";
import { configuredPayTo, paymentLimits, rpcTimeoutMs } from "../money/settings";
import { readSecret, walletSource } from "../money/wallet/keys";
import type { Store } from "../store/store";
import type { RunEnv } from "./env";

export type RunPayment = {
  /**
   * The store the run opened: the ledger shares its connection. It throws (an ActionableError saying why) when
   * there is none: every payment is recorded before it is sent, and a payment that cannot be recorded is not made.
   */
  store: () => Store;
  emit: (event: PaymentEvent) => void;
  /** The session id budgets count under, read at each payment. */
  session: () => string;
  /** Asks on the terminal whether to trust a new recipient; absent when nothing can be asked. */
  confirm?: (question: string) => Promise<boolean>;
  isFree: (model: string) => boolean;
  /** fetch for the Solana blockhash; defaults to global fetch. */
  fetch?: typeof fetch;
  now?: () => number;
};

/** The run's payer for the active chain's wallet, or undefined when there is no wallet (then a 402 is "run setup"). */
export function runPayer(run: Pick<RunEnv, "env" | "paths" | "get" | "chain" | "baseUrl">, o: RunPayment): Payer | undefined {
  const { env, paths, get, chain } = run;
  // Only looks at env vars and file names: no key is read and no crypto is loaded until a 402 arrives.
  if (!walletSource(paths, env, chain)) return undefined;
  const now = o.now ?? Date.now;
  // The payment code (guards, x402, the ledger's writes, signers) loads with the first 402: a free run never pays for it.
  let loaded: Promise<Payer> | undefined;
  return async (p) => (await (loaded ??= build()))(p);

  async function build(): Promise<Payer> {
    const [{ createPayer }, { Ledger }, { loadSigner }, { rpcUrl }] = await Promise.all([
      import("../money"),
      import("../money/ledger"),
      import("../money/signer"),
      import("../money/rpc"),
    ]);
    return createPayer({
      chain,
      ledger: () => new Ledger(o.store().db),
      signer: async () =>
        loadSigner(chain, readSecret(paths, env, chain), {
          now,
          rpc: chain === "solana" ? { url: rpcUrl(chain, env, get, run.baseUrl), timeoutMs: rpcTimeoutMs(get), fetch: o.fetch } : undefined,
        }),
      limits: () => paymentLimits(get),
      payTo: { configured: () => configuredPayTo(get), confirm: o.confirm },
      isFree: o.isFree,
      session: o.session,
      emit: o.emit,
      now,
    });
  }
}
