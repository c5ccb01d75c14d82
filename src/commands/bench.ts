// `runcode bench`: which model solves my kind of coding task, and at what cost. Runs the built-in suite (or
// --suite DIR) on the given models through the same agent as `runcode edit`, after showing the estimated cost;
// records each cell as it finishes (`--resume RUN` runs only the rest), and reports pass rates with confidence
// intervals and USD per solved task. docs/bench.md.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineCommand } from "citty";
import { catalog, context, gateway, type CliContext } from "../cli/context";
import { err, out, tty } from "../cli/io";
import { ui } from "../cli/ui";
import { ActionableError, usageError } from "../core/errors";
import { newId } from "../core/id";
import { readConfig, writeConfig } from "../core/config";
import { parseValue } from "../settings";
import { walletSource } from "../money/wallet/keys";
import { openStore } from "../store/open";

const list = (v: unknown) =>
  typeof v === "string"
    ? v
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean)
    : [];

const int = (v: unknown, name: string, d: number, min = 1) => {
  if (v === undefined) return d;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min)
    throw usageError(`--${name} must be a whole number ≥ ${min}, got "${String(v)}"`, `e.g. --${name} ${d}`);
  return n;
};

const report = defineCommand({
  meta: { name: "report", description: "Past bench runs, or one run's results (--json, --html FILE)" },
  args: {
    run: { type: "positional", required: false, description: "the run id (default: list the recent runs)" },
    json: { type: "boolean", description: "the report as JSON" },
    html: { type: "string", description: "write a self-contained HTML report to this file" },
    "apply-routing": {
      type: "string",
      description: "write each tier's best model from this run into a routing table (auto, eco, premium…)",
    },
    compare: { type: "string", description: "another run id: each model's pass rate and USD per solved task side by side" },
  },
  async run({ args }) {
    const ctx = context();
    const { BenchStore } = await import("../bench/store");
    const s = openStore({ home: ctx.paths.home, warn: ui.warn });
    try {
      const bench = new BenchStore(s.db);
      if (!args.run) {
        const runs = bench.runs();
        if (!runs.length) err("no bench runs yet: try `runcode bench -m free`\n");
        for (const r of runs)
          out(
            `${r.id}  ${new Date(r.createdAt).toISOString().slice(0, 16).replace("T", " ")}  ${r.cells} cells  $${r.usd.toFixed(4)}  ${r.models.join(",")}  ${r.suite}\n`,
          );
        return 0;
      }
      const run = bench.run(args.run);
      if (!run) throw new ActionableError(`no bench run ${args.run}`, "list them with `runcode bench report`", "usage");
      if (args.compare) return await compare(bench, run, args.compare);
      const rep = await finish(bench, run.id, run.models, run.tasks, { json: !!args.json, html: args.html });
      if (args["apply-routing"]) await applyRouting(ctx, rep, bench, run, args["apply-routing"]);
      return 0;
    } finally {
      s.close();
    }
  },
});

async function finish(
  bench: import("../bench/store").BenchStore,
  id: string,
  models: string[],
  tasks: string[],
  o: { json?: boolean; html?: string; jsonl?: boolean },
) {
  const { summarize, table, html } = await import("../bench/report");
  const rep = summarize(id, bench.cells(id), models, tasks);
  if (o.html) {
    writeFileSync(o.html, html(rep));
    ui.info(`report written to ${o.html}`);
  }
  if (o.json) out(`${JSON.stringify(rep, null, 2)}\n`);
  else if (o.jsonl) out(`${JSON.stringify({ type: "summary", ...rep })}\n`);
  else {
    out(table(rep));
    if (rep.recommendation) out(`\n${rep.recommendation}\n`);
  }
  return rep;
}

/** Two runs side by side, per model: pass rate and USD per solved task in each. */
async function compare(bench: import("../bench/store").BenchStore, a: import("../bench/store").RunRow, other: string): Promise<number> {
  const b = bench.run(other);
  if (!b) throw new ActionableError(`no bench run ${other}`, "list them with `runcode bench report`", "usage");
  const { summarize, pct, money } = await import("../bench/report");
  const ra = summarize(a.id, bench.cells(a.id), a.models, a.tasks);
  const rb = summarize(b.id, bench.cells(b.id), b.models, b.tasks);
  const models = [...new Set([...a.models, ...b.models])];
  const w = Math.max(5, ...models.map((m) => m.length));
  out(`${"MODEL".padEnd(w)}  ${a.id.padStart(30)}  ${b.id.padStart(30)}\n`);
  const cell = (r: typeof ra, m: string) => {
    const s = r.models.find((x) => x.model === m);
    return s ? `${pct(s.passRate)} ${s.usdPerSolved === null ? "-" : money(s.usdPerSolved)}/solved` : "-";
  };
  for (const m of models) out(`${m.padEnd(w)}  ${cell(ra, m).padStart(30)}  ${cell(rb, m).padStart(30)}\n`);
  return 0;
}

/** Each router tier's best measured model (highest pass rate, then cheapest per solved task) into `routing.tiers.<table>.<tier>.primary`. */
async function applyRouting(
  ctx: CliContext,
  rep: import("../bench/report").Report,
  bench: import("../bench/store").BenchStore,
  run: import("../bench/store").RunRow,
  table: string,
) {
  const id = run.id;
  const { classify, PROFILES } = await import("../router");
  if (!(PROFILES as readonly string[]).includes(table) && table !== "agentic")
    throw usageError(
      `--apply-routing takes a routing table (auto, eco, premium, free, agentic), got "${table}"`,
      "e.g. --apply-routing auto",
    );
  const { BUILTIN } = await import("../bench/builtin");
  const { readSuite } = await import("../bench/format");
  const suite = run.suite === "builtin" ? BUILTIN : readSuite(run.suite);
  const byTier = new Map<string, Map<string, { pass: number; runs: number; usd: number }>>();
  for (const c of bench.cells(id)) {
    if (c.status === "skipped" || !c.answeredBy) continue;
    const task = suite.find((t) => t.id === c.task);
    const tier = classify(task?.instruction ?? c.task, "").tier;
    const m = byTier.get(tier) ?? byTier.set(tier, new Map()).get(tier)!;
    const e = m.get(c.answeredBy) ?? { pass: 0, runs: 0, usd: 0 };
    e.runs++;
    e.usd += c.usd;
    if (c.status === "pass") e.pass++;
    m.set(c.answeredBy, e);
  }
  if (!byTier.size) throw new ActionableError(`run ${id} has no measured cells`, "run it first, then apply its routing", "usage");
  for (const [tier, models] of byTier) {
    const best = [...models]
      .filter(([, e]) => e.pass > 0)
      .sort(([, a], [, b]) => b.pass / b.runs - a.pass / a.runs || a.usd / a.pass - b.usd / b.pass)[0];
    if (!best) continue;
    const key = `routing.tiers.${table}.${tier.toLowerCase()}.primary`;
    const config = readConfig(ctx.paths.config);
    config[key] = parseValue(key, best[0]);
    writeConfig(ctx.paths.config, config);
    err(`set ${key} = ${best[0]} (${best[1].pass}/${best[1].runs} solved; undo with \`runcode config unset ${key}\`)\n`);
  }
  void rep;
}

export default defineCommand({
  meta: { name: "bench", description: "Benchmark models on coding tasks: pass rate and USD per solved task" },
  args: {
    models: { type: "string", alias: "m", description: "comma-separated models, shortcuts or profiles (default: a few recommended)" },
    tasks: { type: "string", description: "comma-separated languages (python, typescript, javascript, go, shell) or task ids" },
    runs: { type: "string", description: "repetitions of each model × task (default 1)" },
    suite: { type: "string", description: "a folder of your own tasks, in the same format (docs/bench.md)" },
    concurrency: { type: "string", alias: "j", description: "cells run at once (default 4)" },
    "max-turns": { type: "string", description: "model calls per cell before the agent stops (default 25)" },
    "max-usd": { type: "string", description: "hard limit on what the whole run may sign, in USD (enforced by the payment guards)" },
    yes: { type: "boolean", alias: "y", description: "do not ask before spending the estimated cost" },
    resume: { type: "string", description: "continue an interrupted run: only the cells without a result run (and are paid)" },
    jsonl: { type: "boolean", description: "one JSON line per cell as it finishes, then the summary" },
    json: { type: "boolean", description: "the report as one JSON object" },
    html: { type: "string", description: "also write a self-contained HTML report to this file" },
  },
  subCommands: { report },
  async run({ args }) {
    const ctx = context();
    const [{ BenchStore }, { plan, execute }, { BUILTIN }, { readSuite }] = await Promise.all([
      import("../bench/store"),
      import("../bench/run"),
      import("../bench/builtin"),
      import("../bench/format"),
    ]);
    const gw = gateway(ctx);
    const { catalog: cat } = await catalog(ctx, gw);
    const store = openStore({ home: ctx.paths.home, warn: ui.warn });
    const bench = new BenchStore(store.db);
    const scratch = mkdtempSync(join(tmpdir(), "runcode-bench-"));
    const stop = new AbortController();
    const onSigint = () => stop.abort();
    process.once("SIGINT", onSigint);
    try {
      const prior = args.resume ? bench.run(args.resume) : undefined;
      if (args.resume && !prior) throw new ActionableError(`no bench run ${args.resume}`, "list them with `runcode bench report`", "usage");
      const suiteName = prior?.suite ?? (args.suite ? args.suite : "builtin");
      const all = suiteName === "builtin" ? BUILTIN : readSuite(suiteName);
      const canPay = !!ctx.team || !!walletSource(ctx.paths, ctx.env, ctx.chain);
      const models = prior?.models ?? (list(args.models).length ? list(args.models) : canPay ? ["free", "eco", "sonnet"] : ["free"]);
      const { resolveModel } = await import("../gateway/models");
      for (const m of models) {
        const r = resolveModel(m, cat.models); // an unknown name fails here, before anything runs
        if (!canPay && "model" in r && !r.model.free)
          throw new ActionableError(
            `${r.model.id} is a paid model and no wallet is set up`,
            "run `runcode setup`, or bench free models (-m free)",
            "payment_required",
          );
      }
      const wanted = list(args.tasks);
      const tasks = prior
        ? all.filter((t) => prior.tasks.includes(t.id))
        : wanted.length
          ? all.filter(
              (t) => wanted.includes(t.id) || wanted.includes(t.language) || (wanted.includes("typescript") && t.language === "javascript"),
            )
          : all;
      if (!tasks.length)
        throw usageError(`no task matches --tasks ${args.tasks}`, "use python, typescript, javascript, go, shell or task ids");
      const runs = prior?.runs ?? int(args.runs, "runs", 1);
      const maxUsd = args["max-usd"] !== undefined ? Number(args["max-usd"]) : (prior?.maxUsd ?? null);
      if (maxUsd !== null && !(Number.isFinite(maxUsd) && maxUsd >= 0))
        throw usageError(`--max-usd must be a USD amount, got "${args["max-usd"]}"`, "e.g. --max-usd 2");
      const id = prior?.id ?? newId("bench");
      const cells = plan(bench, id, tasks, models, runs, cat.models);
      const total = cells.reduce((n, c) => n + c.usd, 0);

      // The estimate, per model, before anything is spent.
      const per = new Map<string, number>();
      for (const c of cells) per.set(c.model, (per.get(c.model) ?? 0) + c.usd);
      for (const [m, usd] of per) err(`  ${m.padEnd(28)} ${cells.filter((c) => c.model === m).length} cells  ~$${usd.toFixed(4)}\n`);
      err(
        `${cells.length} cells (${tasks.length} tasks × ${models.length} models × ${runs} runs${prior ? ", the rest of an interrupted run" : ""}), estimated ~$${total.toFixed(4)}\n`,
      );
      const limit = maxUsd ?? (ctx.get("max-usd-per-session") as number);
      if (total > limit)
        ui.warn(
          `the estimate is over the run's limit ($${limit}); cells past it are refused by the payment guards (raise it with --max-usd)`,
        );
      if (total > 0 && !args.yes) {
        if (!tty.in)
          throw new ActionableError(
            `bench would spend about $${total.toFixed(4)}`,
            "pass --yes to go ahead (and --max-usd N for a hard limit)",
            "usage",
          );
        const { confirm, isCancel } = await import("@clack/prompts");
        const ok = await confirm({ message: `Spend about $${total.toFixed(4)}?`, initialValue: false, output: process.stderr });
        if (isCancel(ok) || !ok) {
          ui.info("nothing run");
          return 0;
        }
      }
      if (!prior) bench.createRun({ id, createdAt: Date.now(), suite: suiteName, models, tasks: tasks.map((t) => t.id), runs, maxUsd });
      ui.info(`bench ${id}: ${cells.length} cells (resume with \`runcode bench --resume ${id}\`)`);

      const has = new Map<string, boolean>();
      const found = (n: string) => has.get(n) ?? has.set(n, !!Bun.which(n)).get(n)!;
      const missing = (t: { needs: string[] }) => t.needs.filter((n) => !found(n));
      const get = (key: string) => (key === "max-usd-per-session" ? limit : ctx.get(key));
      await execute({
        run: { ...ctx, get },
        id,
        cells,
        store: bench,
        concurrency: int(args.concurrency, "concurrency", 4),
        maxTurns: int(args["max-turns"], "max-turns", 25),
        maxTokens: ctx.get("max-tokens") as number,
        scratch,
        signal: stop.signal,
        missing,
        limitUsd: limit,
        onCell: (c) => {
          if (args.jsonl) out(`${JSON.stringify({ type: "cell", run: id, ...c })}\n`);
          else
            err(
              `${c.status === "pass" ? "✓" : c.status === "skipped" ? "-" : "✗"} ${c.model} ${c.task}${runs > 1 ? ` #${c.rep}` : ""} ${c.status} $${c.usd.toFixed(4)} ${(c.ms / 1000).toFixed(1)}s${c.note ? ` (${c.note})` : ""}\n`,
            );
        },
      });
      if (stop.signal.aborted) {
        ui.warn(`interrupted: finished cells are kept; run the rest with \`runcode bench --resume ${id}\``);
        return 130;
      }
      await finish(
        bench,
        id,
        models,
        tasks.map((t) => t.id),
        { json: !!args.json, jsonl: !!args.jsonl, html: args.html },
      );
      return 0;
    } finally {
      process.off("SIGINT", onSigint);
      store.close();
      rmSync(scratch, { recursive: true, force: true });
    }
  },
});
