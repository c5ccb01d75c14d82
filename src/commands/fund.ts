// `runcode fund [--amount USD] [--no-wait] [--interval S]`: a payment request for USDC on the active chain, as a QR
// code (stderr) and a link (stdout, the product: `runcode fund --no-wait | pbcopy`), an on-ramp link when
// `onramp-url` is set, then a watch of the balance until the USDC arrives. Exit 0 when it arrived (or with
// --no-wait), 130 when Ctrl-C stops the watch, 1 without a wallet or when the balance cannot be read.
import { defineCommand } from "citty";
import { err, out, tty } from "../cli/io";
import { context, type CliContext } from "../cli/context";
import { c, ui } from "../cli/ui";
import { EXIT } from "../core/errors";
import type { Chain } from "../money/chain";
import { DEFAULT_AMOUNT_USD, POLL, chainName, parseAmount, parseInterval, showRequest, usdcDecimal, watchDeposit } from "../money/fund";
import { rpcUrl } from "../money/rpc";
import { rpcTimeoutMs } from "../money/settings";
import { activeWallet } from "../money/wallet/active";
import { readBalance } from "../money/wallet/balance";
import { spinner } from "../render/spinner";

export default defineCommand({
  meta: { name: "fund", description: "Fund the wallet: a QR code and payment link for USDC, then wait until it arrives" },
  args: {
    amount: { type: "string", default: DEFAULT_AMOUNT_USD, description: "USD of USDC to ask for (default 5, at most 1000)" },
    wait: { type: "boolean", default: true, description: "watch the balance until the USDC arrives (--no-wait prints and exits)" },
    interval: { type: "string", default: String(POLL.defaultS), description: "seconds between balance reads (1-60, default 3)" },
  },
  async run({ args }) {
    const atomic = parseAmount(String(args.amount));
    const intervalS = parseInterval(String(args.interval));
    const ctx = context();
    const { address } = activeWallet(ctx.paths, ctx.env, ctx.chain); // no wallet: "run `runcode setup`", exit 1
    return fund(ctx, { chain: ctx.chain, address, atomic, wait: args.wait !== false, intervalS, link: (uri) => out(`${uri}\n`) });
  },
});

export type FundOptions = {
  chain: Chain;
  address: string;
  atomic: bigint;
  wait: boolean;
  intervalS?: number;
  /** Where the link goes: stdout in `runcode fund`, stderr with the rest in setup. */
  link?: (uri: string) => void;
};

/** Shows the request, then (unless `wait` is false) watches the balance. Also the last step of `runcode setup`. */
export async function fund(ctx: CliContext, o: FundOptions): Promise<number> {
  const say = (s: string) => err(`${s}\n`);
  const onramp = ctx.get("onramp-url");
  await showRequest(
    { chain: o.chain, address: o.address, atomic: o.atomic, onramp: typeof onramp === "string" && onramp ? onramp : undefined },
    say,
    o.link ?? say,
  );
  if (!o.wait) {
    say("\n`runcode fund` waits for it and says when it arrived; `runcode balance` shows the balance.");
    return EXIT.ok;
  }

  const name = chainName(o.chain);
  const intervalS = o.intervalS ?? POLL.defaultS;
  const url = rpcUrl(o.chain, ctx.env, ctx.get, ctx.baseUrl);
  const timeoutMs = rpcTimeoutMs(ctx.get);
  const abort = new AbortController();
  const interrupt = () => abort.abort();
  process.on("SIGINT", interrupt);
  const spin = tty.err ? spinner(err, c.dim) : undefined;
  const label = `waiting for USDC on ${name} (Ctrl-C stops)`;
  say("");
  if (spin) spin.start(label);
  else say(`${label}, reading the balance every ${intervalS}s…`);
  let failing = false;
  try {
    const r = await watchDeposit({
      read: async (signal) => (await readBalance(o.chain, o.address, { url, timeoutMs, signal })).usdc,
      intervalMs: intervalS * 1000,
      signal: abort.signal,
      onPoll: (e) => {
        // One line per streak of failures, not one per poll.
        if (e && !failing) {
          spin?.stop();
          ui.warn(`${e instanceof Error ? e.message : String(e)} (still watching)`);
          spin?.start(label);
        }
        failing = !!e;
      },
    });
    spin?.stop();
    if (!r.arrived) {
      say("stopped watching; nothing was sent or spent. `runcode balance` shows the balance later.");
      return EXIT.interrupted;
    }
    say(
      `received ${usdcDecimal(r.received)} USDC on ${name} (balance ${usdcDecimal(r.balance)} USDC): paid models are ready, e.g. \`runcode -m sonnet\``,
    );
    return EXIT.ok;
  } catch (e) {
    spin?.stop();
    if (abort.signal.aborted) {
      say("stopped watching; nothing was sent or spent. `runcode balance` shows the balance later.");
      return EXIT.interrupted;
    }
    throw e;
  } finally {
    process.off("SIGINT", interrupt);
  }
}
