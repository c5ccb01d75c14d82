// `runcode balance [--json]`: USDC (and ETH/SOL) of the active wallet, read from the chain, plus what the ledger
// says was signed in the last 24 hours.
import { defineCommand } from "citty";
import { context } from "../cli/context";
import { EXIT } from "../core/errors";
import { formatUsd, usdToAtomic } from "../gateway/payment/keys";
import { Ledger } from "../store/ledger";
import { activeWallet } from "../wallet/active";
import { formatNative, formatUsdc, readBalance, rpcUrl } from "../wallet/balance";

export default defineCommand({
  meta: { name: "balance", description: "USDC balance of the active wallet (and ETH/SOL for gas context)" },
  args: {
    json: { type: "boolean", description: "print one JSON object" },
  },
  async run({ args }) {
    const ctx = context();
    const w = activeWallet(ctx.paths, ctx.env, ctx.chain);
    const url = rpcUrl(ctx.chain, ctx.env, ctx.get, ctx.baseUrl);
    const b = await readBalance(ctx.chain, w.address, { url, timeoutMs: (ctx.get("rpc-timeout") as number) * 1000 });
    const ledger = Ledger.open(ctx.paths.db);
    const day = ledger.spent({ since: Date.now() - 86_400_000 });
    ledger.close();
    const dayCap = usdToAtomic(ctx.get("max-usd-per-day") as number);
    if (args.json) {
      const out = {
        chain: b.chain,
        network: b.network,
        address: b.address,
        usdc: { atomic: b.usdc.toString(), amount: formatUsdc(b.usdc) },
        native: { symbol: b.nativeSymbol, atomic: b.native.toString(), amount: formatNative(b) },
        signedLast24h: { atomic: day.toString(), usd: formatUsd(day), cap: formatUsd(dayCap) },
      };
      process.stdout.write(`${JSON.stringify(out)}\n`);
      return EXIT.ok;
    }
    const name = b.chain === "base" ? "Base" : "Solana";
    process.stdout.write(`${formatUsdc(b.usdc)} USDC on ${name}\n${formatNative(b)} ${b.nativeSymbol}\n`);
    process.stderr.write(`address ${b.address}\nsigned in the last 24h: ${formatUsd(day)} of ${formatUsd(dayCap)} (max-usd-per-day)\n`);
    if (b.usdc === 0n) process.stderr.write(`fund it with USDC on ${name} to use paid models (\`runcode setup --fund\` shows how), or keep using -m free\n`);
    return EXIT.ok;
  },
});
