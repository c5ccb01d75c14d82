// `runcode models [--json] [--refresh]`: the live catalog as a table (or JSON), with the models of the providers next
// to the gateway (docs/providers.md); each row says its source.
import { err, out } from "../cli/io";
import { defineCommand } from "citty";
import { openCatalog, openGateway } from "../agent/env";
import { context } from "../cli/context";
import { outColor as o, ui } from "../cli/ui";
import { bestFree } from "../router/chain";

export default defineCommand({
  meta: { name: "models", description: "List the gateway's models with prices per 1M tokens and context" },
  args: {
    json: { type: "boolean", description: "print the catalog as JSON" },
    refresh: { type: "boolean", description: "ignore the cache and ask the gateway" },
    free: { type: "boolean", description: "only free models" },
  },
  async run({ args }) {
    const ctx = context();
    const gw = openGateway(ctx, undefined, { providers: true });
    const { catalog: cat } = await openCatalog(ctx, gw, { warn: ui.warn, refresh: !!args.refresh, providers: "warn" });
    const models = (args.free ? cat.models.filter((m) => m.free) : cat.models).map((m) => ({ ...m, source: m.provider ?? "gateway" }));
    if (args.json) {
      out(`${JSON.stringify({ source: cat.source, fetchedAt: cat.fetchedAt, models }, null, 2)}\n`);
      return 0;
    }
    const best = bestFree(cat.models)?.id;
    // The gateway's free models, its paid ones, then each provider's.
    const rows = [...models].sort(
      (a, b) => Number(!!a.provider) - Number(!!b.provider) || Number(b.free) - Number(a.free) || a.id.localeCompare(b.id),
    );
    const price = (n: number) => (n === 0 ? "-" : `$${n < 1 ? n.toFixed(2) : n.toFixed(2)}`);
    const ctxLen = (n: number) => (n >= 1_000_000 ? `${+(n / 1_048_576).toFixed(1)}M` : `${Math.round(n / 1000)}k`);
    const table = [
      ["MODEL", "IN/1M", "OUT/1M", "CONTEXT", "", "SOURCE"],
      ...rows.map((m) => [
        m.id,
        price(m.input),
        price(m.output),
        ctxLen(m.context),
        m.provider ? "" : m.free ? (m.id === best ? "free (default)" : "free") : "",
        m.source,
      ]),
    ];
    const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
    for (const [n, r] of table.entries()) {
      const line = r
        .map((cell, i) => (i === 0 || i >= 4 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
        .join("  ")
        .trimEnd();
      out(`${n === 0 ? o.bold(line) : rows[n - 1]!.free && !rows[n - 1]!.provider ? o.green(line) : line}\n`);
    }
    if (cat.source === "builtin") err("(built-in list: the gateway could not be reached)\n");
    if (gw.providers.size) ui.info("a provider's models cost runcode nothing: the provider bills you itself, if at all");
    return 0;
  },
});
