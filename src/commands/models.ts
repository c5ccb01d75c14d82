// `runcode models [--json] [--refresh]`: the live catalog as a table (or JSON).
import { err, out } from "../cli/io";
import { defineCommand } from "citty";
import { catalog, context, gateway } from "../cli/context";
import { outColor as o } from "../cli/ui";
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
    const { catalog: cat } = await catalog(ctx, gateway(ctx), !!args.refresh);
    const models = args.free ? cat.models.filter((m) => m.free) : cat.models;
    if (args.json) {
      out(`${JSON.stringify({ source: cat.source, fetchedAt: cat.fetchedAt, models }, null, 2)}\n`);
      return 0;
    }
    const best = bestFree(cat.models)?.id;
    const rows = [...models].sort((a, b) => Number(b.free) - Number(a.free) || a.id.localeCompare(b.id));
    const price = (n: number) => (n === 0 ? "-" : `$${n < 1 ? n.toFixed(2) : n.toFixed(2)}`);
    const ctxLen = (n: number) => (n >= 1_000_000 ? `${+(n / 1_048_576).toFixed(1)}M` : `${Math.round(n / 1000)}k`);
    const table = [
      ["MODEL", "IN/1M", "OUT/1M", "CONTEXT", ""],
      ...rows.map((m) => [
        m.id,
        price(m.input),
        price(m.output),
        ctxLen(m.context),
        m.free ? (m.id === best ? "free (default)" : "free") : "",
      ]),
    ];
    const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
    for (const [n, r] of table.entries()) {
      const line = r
        .map((cell, i) => (i === 0 || i === 4 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
        .join("  ")
        .trimEnd();
      out(`${n === 0 ? o.bold(line) : rows[n - 1]!.free ? o.green(line) : line}\n`);
    }
    if (cat.source === "builtin") err("(built-in list: the gateway could not be reached)\n");
    return 0;
  },
});
