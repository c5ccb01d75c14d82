// The payment entry point the run context uses. Cheap by design: deciding whether a payer exists only looks at
// env vars and key files, and viem/Solana are imported the first time a 402 actually arrives, so free runs never
// load them (bench/payment.ts checks this).
import type { Paths } from "../../core/home";
import type { AgentEvent } from "../../core/events";
import { resolveChain, type Chain } from "../chain";
import type { Payer } from "../client";
import { walletSource } from "../../wallet/keys";

export type PaymentContext = {
  paths: Paths;
  env: Record<string, string | undefined>;
  /** Effective config value (file value or default), e.g. `getValue(readConfig(file), key)`. */
  config: (key: string) => unknown;
  emit: (event: AgentEvent) => void;
  /** Session id: `max-usd-per-session` counts payments recorded under it. Read at each payment, so a getter that
   * follows the REPL's current conversation (after /clear) works. */
  session: string;
  /** May we ask the user (a TTY)? When false, every refusal ends the run with exit 3. */
  interactive: boolean;
  /** Asks a yes/no question on the terminal; only called when `interactive`. */
  confirm: (question: string) => Promise<boolean>;
  /** Gateway base URL (no trailing slash): the default Solana RPC is `<apiBase>/v1/solana/rpc`. */
  apiBase: string;
  /** fetch for RPC calls (blockhash); defaults to global fetch. */
  fetch?: typeof fetch;
  /** Defaults to RUNCODE_CHAIN or the saved payment-chain. */
  chain?: Chain;
  /** Clock in ms, injectable for tests. */
  now?: () => number;
  /** Whether the catalog lists this model id as free: a 402 for such a model is refused, never paid. */
  isFree: (model: string) => boolean;
};

export { wasSigned } from "./signed";

/** A Payer for the active chain's wallet, or undefined when there is no wallet (then a 402 is "run setup"). */
export function createPayer(ctx: PaymentContext): Payer | undefined {
  const chain = ctx.chain ?? resolveChain(ctx.env, ctx.paths.chain);
  if (!walletSource(ctx.paths, ctx.env, chain)) return undefined;
  let impl: Promise<Payer> | undefined;
  return async (p) => {
    // Delegate to ctx rather than copy it: a spread would freeze a `session` getter at its first value.
    impl ??= import("./pay").then((m) => m.makePayer(Object.create(ctx, { chain: { value: chain } }) as PaymentContext & { chain: Chain }));
    return (await impl)(p);
  };
}

/**
 * Whether a run may continue on a free model after a payment problem (the loop decides which errors are payment
 * problems: src/agent/fallback.ts). `flag` is --fallback-free when given; otherwise the `fallback-to-free` config
 * key; otherwise on in the REPL and off in ask/edit.
 */
export function freeFallbackAllowed(o: { mode: "repl" | "ask" | "edit"; flag?: boolean; config: (key: string) => unknown }): boolean {
  if (o.flag !== undefined) return o.flag;
  const configured = o.config("fallback-to-free");
  return typeof configured === "boolean" ? configured : o.mode === "repl";
}
