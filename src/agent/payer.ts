// The one place a run's payer is assembled: the wallet's key source, the payment settings, the catalog's published
// prices and the ledger on the store the run already opened (one door into runcode.db). Config and env are read
// here, from the run's environment, and only once a payment needs them (a bad budget value fails that payment, not a
// free run); money/pay.ts reads nothing itself. The run assembly (agent/workspace.ts) and the proxy each call this once.
import { statSync } from "node:fs";
import { ActionableError, EXIT } from "../core/errors";
import { cachedModels, type CatalogModel } from "../gateway/catalog";
import { errorMessage, type Payer, type PayerRequest } from "../gateway/client";
import { type Team, tokenRefused } from "../gateway/team";
import type { PaymentEvent } from "../money";
import { CHAINS } from "../money/chain";
import type { SignatureVolume } from "../money/evm";
import type { PaymentRequest } from "../money/pay";
import type { Prices } from "../money/quote";
import { usdToAtomic } from "../money/usd";
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
  /** How many signatures this process makes: "many" (the proxy) keeps secp256k1's large tables (src/money/evm.ts). */
  volume?: SignatureVolume;
  /** fetch for the Solana blockhash; defaults to global fetch. */
  fetch?: typeof fetch;
  now?: () => number;
};

type MoneyPayer = (p: PaymentRequest) => Promise<{ response: Response; usd: number }>;

/**
 * The run's payer: the team's when logged in to one, else the active chain's wallet, or undefined when there is
 * neither (then a 402 is "run setup").
 */
export function runPayer(run: Pick<RunEnv, "env" | "paths" | "get" | "chain" | "baseUrl" | "team">, o: RunPayment): Payer | undefined {
  const { env, paths, get, chain } = run;
  if (run.team) return teamPayer(run.team, o.emit);
  // Only looks at env vars and file names: no key is read and no crypto is loaded until a payment needs them.
  if (!walletSource(paths, env, chain)) return undefined;
  const now = o.now ?? Date.now;
  const prices = catalogPrices(paths.catalogCache, run.baseUrl);
  // The payment code (guards, x402, the ledger's writes, signers) loads with the first 402, or with the first paid
  // request the ledger has a quote for (it is signed up front): a free run never pays for it.
  let loaded: Promise<MoneyPayer> | undefined;
  let ready: MoneyPayer | undefined;
  return async (p) => {
    if (!ready && !(await quoted(p))) {
      const first = await p.send();
      if (first.status !== 402) return { response: first, usd: 0 };
      ready = await (loaded ??= build());
      return ready({ ...p, first });
    }
    ready ??= await (loaded ??= build());
    return ready(p);
  };

  /** Whether the ledger keeps a quote this request could be signed from (the payer decides whether it is used). */
  async function quoted(p: PayerRequest): Promise<boolean> {
    if (chain !== "base" || !p.model || o.isFree(p.model) || !prices(p.model)) return false;
    try {
      const { Ledger } = await import("../money/ledger");
      return !!new Ledger(o.store().db).quote({ url: p.url, model: p.model, network: CHAINS.base.network });
    } catch {
      return false; // no store: the 402 path says why a payment cannot be made
    }
  }

  async function build(): Promise<MoneyPayer> {
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
          volume: o.volume,
          rpc: chain === "solana" ? { url: rpcUrl(chain, env, get, run.baseUrl), timeoutMs: rpcTimeoutMs(get), fetch: o.fetch } : undefined,
        }),
      limits: () => paymentLimits(get),
      payTo: { configured: () => configuredPayTo(get), confirm: o.confirm },
      isFree: o.isFree,
      prices,
      session: o.session,
      emit: o.emit,
      now,
    });
  }
}

/**
 * A team server pays the gateway itself, against the developer's budget, and keeps the ledger: the request is sent
 * once, a 402 is the team's refusal in its own words (which name the fix), and what the answer cost
 * (`x-runcode-usd`) is reported as a settled payment so the run's totals count it as usual.
 */
function teamPayer(team: Team, emit: RunPayment["emit"]): Payer {
  return async (p) => {
    const response = await p.send();
    if (response.status === 402) throw new ActionableError(await errorMessage(response), "", "payment_refused", EXIT.payment);
    if (response.status === 401) throw tokenRefused(team.url, await errorMessage(response), team.email);
    const usd = response.ok ? Number(response.headers.get("x-runcode-usd") ?? 0) : 0;
    if (!(usd > 0)) return { response, usd: 0 };
    emit({ type: "payment.settled", network: "team", asset: "USD", amount: usdToAtomic(usd).toString(), usd, payTo: team.url });
    return { response, usd };
  };
}

/**
 * A model's published prices, from the catalog this run loaded (the cache file openCatalog keeps for this gateway;
 * re-read when it changes, as a long-lived proxy refreshes it). No cache (the built-in list): nothing is signed ahead.
 */
function catalogPrices(file: string, baseUrl: string): (model: string) => Prices | undefined {
  let seen: { mtime: number; models?: CatalogModel[] } | undefined;
  return (model) => {
    let mtime = -1;
    try {
      mtime = statSync(file).mtimeMs;
    } catch {
      // no cache file
    }
    if (seen?.mtime !== mtime) seen = { mtime, models: mtime < 0 ? undefined : cachedModels(file, baseUrl) };
    const m = seen.models?.find((x) => x.id === model);
    return m && !m.free ? { input: m.input, output: m.output } : undefined;
  };
}
