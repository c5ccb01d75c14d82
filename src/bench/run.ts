// A bench run: the cells (model × task × repetition) not yet recorded, free models first, in parallel up to the
// concurrency, each recorded in the store the moment it finishes. Every cell pays under one payment session, so
// `--max-usd` is enforced by the payment guards (the ledger's session budget) across all of them; a cell the limit
// refuses ends as an error and the run goes on with what it can still afford (free models).
import type { RunEnv } from "../agent/env";
import type { CatalogModel } from "../gateway/catalog";
import { resolveModel } from "../gateway/models";
import { decide } from "../router";
import type { Task } from "./format";
import { runCell } from "./cell";
import type { BenchStore, Cell } from "./store";

export type Plan = { model: string; task: Task; rep: number; usd: number; free: boolean };

/** Estimated USD of one cell: the task's measured tokens (this model's, else any model's), else its typical ones. */
export function estimate(
  store: BenchStore,
  task: Task,
  name: string,
  catalog: CatalogModel[],
): { usd: number; free: boolean; model: string } {
  const r = resolveModel(name, catalog);
  const model =
    "model" in r
      ? r.model
      : catalog.find(
          (m) => m.id === decide({ request: { prompt: task.instruction, tools: true, agentic: true }, profile: r.profile, catalog }).model,
        );
  if (!model) return { usd: 0, free: false, model: name };
  const tokens = store.measured(task.id, name) ?? store.measured(task.id) ?? task.typical;
  const usd = model.free ? 0 : (tokens.input * model.input + tokens.output * model.output) / 1e6;
  return { usd, free: model.free, model: model.id };
}

/** The cells still to run, cheapest first (free models first). */
export function plan(store: BenchStore, run: string, tasks: Task[], models: string[], runs: number, catalog: CatalogModel[]): Plan[] {
  const done = new Set(store.cells(run).map((c) => `${c.model}\u0000${c.task}\u0000${c.rep}`));
  const out: Plan[] = [];
  for (const model of models)
    for (const task of tasks) {
      const e = estimate(store, task, model, catalog);
      for (let rep = 1; rep <= runs; rep++)
        if (!done.has(`${model}\u0000${task.id}\u0000${rep}`)) out.push({ model, task, rep, usd: e.usd, free: e.free });
    }
  return out.sort((a, b) => Number(b.free) - Number(a.free) || a.usd - b.usd);
}

export type Execute = {
  run: RunEnv;
  id: string;
  cells: Plan[];
  store: BenchStore;
  concurrency: number;
  maxTurns: number;
  maxTokens: number;
  scratch: string;
  signal: AbortSignal;
  /** Called as each cell finishes (after it is recorded). */
  onCell: (c: Cell) => void;
  /** Programs each task needs, checked once: a task whose needs are missing is recorded as skipped. */
  missing: (task: Task) => string[];
  /** The run's hard limit in USD (--max-usd, else max-usd-per-session): named in a refusal, whose own fix would not apply. */
  limitUsd: number;
};

export async function execute(x: Execute): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (!x.signal.aborted) {
      const p = x.cells[next++];
      if (!p) return;
      const lacking = x.missing(p.task);
      const cell: Cell = lacking.length
        ? {
            model: p.model,
            task: p.task.id,
            rep: p.rep,
            status: "skipped",
            answeredBy: null,
            usd: 0,
            input: 0,
            output: 0,
            turns: 0,
            ms: 0,
            note: `needs ${lacking.join(", ")}`,
          }
        : await runCell({
            run: x.run,
            task: p.task,
            model: p.model,
            rep: p.rep,
            maxTurns: x.maxTurns,
            maxTokens: x.maxTokens,
            paymentSession: `bench_${x.id}`,
            scratch: x.scratch,
            signal: x.signal,
          });
      // An interrupted cell is not a result: it runs again on --resume.
      if (x.signal.aborted && cell.note === "interrupted") return;
      if (cell.status === "error" && /max-usd-per-session/.test(cell.note ?? ""))
        cell.note = `refused: this run's --max-usd ($${x.limitUsd}) is spent (raise it with --max-usd, then --resume ${x.id})`;
      x.store.record(x.id, cell, Date.now());
      x.onCell(cell);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, x.concurrency) }, worker));
}
