// `runcode stats [--since 7d] [--by model|day] [--json]`, `stats --clear`, `stats path`. Computed from the requests
// table each time; stdout carries only the numbers.
import { out, tty } from "../cli/io";
import { defineCommand } from "citty";
import { withStore } from "../cli/store";
import { ui } from "../cli/ui";
import { ActionableError, usageError } from "../core/errors";
import { homeDir, paths } from "../core/home";
import { providersIn } from "../gateway/providers";
import { computeStats, OPUS, parseDuration, type Group } from "../store/stats";

const usd = (n: number) => `$${n.toFixed(n !== 0 && Math.abs(n) < 0.01 ? 6 : 2)}`;
const ms = (n: number | null) => (n === null ? "-" : n >= 10_000 ? `${(n / 1000).toFixed(1)}s` : `${n}ms`);
const int = (n: number) => n.toLocaleString("en-US");

function row(key: string, g: Group, w: number) {
  return `${key.padEnd(w)}  ${int(g.requests).padStart(8)}  ${int(g.input).padStart(12)}  ${int(g.output).padStart(11)}  ${usd(g.usd).padStart(11)}  ${ms(g.avgMs).padStart(7)}  ${ms(g.p95Ms).padStart(7)}  ${String(g.fallbacks).padStart(9)}  ${usd(g.savingsUsd).padStart(11)}\n`;
}

export default defineCommand({
  meta: { name: "stats", description: "Usage statistics: requests, tokens, cost, latency, fallbacks, savings vs Claude Opus" },
  args: {
    since: { type: "string", description: "only requests newer than this, e.g. 7d, 24h, 2w" },
    by: { type: "string", description: "group rows by model or day" },
    json: { type: "boolean", description: "machine-readable JSON on stdout" },
    clear: { type: "boolean", description: "forget all usage statistics (sessions and payments are kept)" },
    yes: { type: "boolean", alias: "y", description: "with --clear: do not ask for confirmation" },
  },
  subCommands: {
    path: defineCommand({
      meta: { name: "path", description: "Print where statistics are stored (the database file)" },
      run() {
        out(`${paths(homeDir()).db}\n`);
        return 0;
      },
    }),
  },
  async run({ args }) {
    if (args.clear) return clear(!!args.yes);
    const by = args.by;
    if (by !== undefined && by !== "model" && by !== "day") throw usageError(`--by must be model or day, got "${by}"`);
    let since: number | undefined;
    if (args.since !== undefined) {
      const d = parseDuration(args.since);
      if (d === undefined) throw usageError(`--since needs an age like 7d, 24h or 2w, got "${args.since}"`);
      since = Date.now() - d;
    }
    return withStore((store) => {
      const s = computeStats(store, { since, by });
      if (args.json) {
        out(`${JSON.stringify({ ...s, baseline: OPUS }, null, 2)}\n`);
        return 0;
      }
      const keys = s.groups.map((g) => g.key);
      const w = Math.max(5, ...keys.map((k) => k.length));
      out(
        `${(by ?? "").toUpperCase().padEnd(w)}  REQUESTS  ${"TOKENS IN".padStart(12)}  ${"TOKENS OUT".padStart(11)}  ${"COST".padStart(11)}  ${"AVG".padStart(7)}  ${"P95".padStart(7)}  FALLBACKS  ${"SAVED".padStart(11)}\n`,
      );
      for (const g of s.groups) out(row(g.key, g, w));
      out(row("total", s.total, w));
      ui.info(`savings: what the same tokens would cost on ${OPUS.model} ($${OPUS.input}/$${OPUS.output} per 1M) minus what was paid`);
      const own = Object.keys(providersIn(paths(homeDir()).providers));
      if (own.length)
        ui.info(
          `models of your providers (${own.map((n) => `${n}/…`).join(", ")}) count $0: runcode pays nothing for them, the provider bills you itself`,
        );
      return 0;
    });
  },
});

async function clear(yes: boolean): Promise<number> {
  if (!yes) {
    if (!tty.in) throw new ActionableError("stats --clear needs confirmation", "run `runcode stats --clear --yes`", "usage");
    const { confirm, isCancel } = await import("@clack/prompts");
    const ok = await confirm({
      message: "Forget all usage statistics? Sessions and the payment ledger are kept.",
      initialValue: false,
      output: process.stderr,
    });
    if (isCancel(ok) || !ok) {
      ui.info("nothing cleared");
      return 0;
    }
  }
  const n = withStore((store) => store.clearRequests());
  ui.info(`cleared ${n} request record${n === 1 ? "" : "s"}`);
  return 0;
}
