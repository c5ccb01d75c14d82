// Bench runs and their cells in runcode.db (tables `bench_runs` and `bench_cells`, migration store-007-bench in
// src/store/schema.ts). A cell — one model on one task, one repetition — is recorded as it finishes, so an interrupted run resumes
// with only the cells that have no result: a finished cell is never run, or paid for, again.
import type { Database } from "bun:sqlite";

export type RunRow = {
  id: string;
  createdAt: number;
  suite: string;
  models: string[];
  tasks: string[];
  runs: number;
  maxUsd: number | null;
};
export type Status = "pass" | "fail" | "timeout" | "error" | "skipped";
export type Cell = {
  model: string;
  task: string;
  rep: number;
  status: Status;
  answeredBy: string | null;
  usd: number;
  input: number;
  output: number;
  turns: number;
  ms: number;
  note: string | null;
};

export class BenchStore {
  constructor(private readonly db: Database) {}

  createRun(r: RunRow) {
    this.db
      .query("INSERT INTO bench_runs (id, created_at, suite, models, tasks, runs, max_usd, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
      .run(r.id, r.createdAt, r.suite, JSON.stringify(r.models), JSON.stringify(r.tasks), r.runs, r.maxUsd, r.createdAt);
  }

  run(id: string): RunRow | undefined {
    const r = this.db.query<Record<string, unknown>, [string]>("SELECT * FROM bench_runs WHERE id = ?").get(id);
    return r ? runRow(r) : undefined;
  }

  /** Newest first. */
  runs(limit = 20): (RunRow & { cells: number; usd: number })[] {
    return this.db
      .query<Record<string, unknown>, [number]>(
        `SELECT r.*, (SELECT COUNT(*) FROM bench_cells c WHERE c.run = r.id) AS cells,
          (SELECT COALESCE(SUM(cost), 0) FROM bench_cells c WHERE c.run = r.id) AS cost
         FROM bench_runs r ORDER BY created_at DESC LIMIT ?`,
      )
      .all(limit)
      .map((r) => ({ ...runRow(r), cells: Number(r.cells), usd: Number(r.cost) / 1e6 }));
  }

  record(run: string, c: Cell, now: number) {
    this.db
      .query(
        `INSERT OR REPLACE INTO bench_cells (run, model, task, rep, status, answered_by, cost, input, output, turns, ms, note, finished_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        run,
        c.model,
        c.task,
        c.rep,
        c.status,
        c.answeredBy,
        Math.round(c.usd * 1e6),
        c.input,
        c.output,
        c.turns,
        Math.round(c.ms),
        c.note,
        now,
      );
    this.db.query("UPDATE bench_runs SET updated_at = ? WHERE id = ?").run(now, run);
  }

  cells(run: string): Cell[] {
    return this.db
      .query<Record<string, unknown>, [string]>("SELECT * FROM bench_cells WHERE run = ? ORDER BY model, task, rep")
      .all(run)
      .map((r) => ({
        model: String(r.model),
        task: String(r.task),
        rep: Number(r.rep),
        status: r.status as Status,
        answeredBy: (r.answered_by as string | null) ?? null,
        usd: Number(r.cost) / 1e6,
        input: Number(r.input),
        output: Number(r.output),
        turns: Number(r.turns),
        ms: Number(r.ms),
        note: (r.note as string | null) ?? null,
      }));
  }

  /** Median tokens of this task's finished cells (for a model, or any), for the estimate; undefined before any. */
  measured(task: string, model?: string): { input: number; output: number } | undefined {
    const rows = this.db
      .query<{ input: bigint; output: bigint }, [string, string | null, string | null]>(
        "SELECT input, output FROM bench_cells WHERE task = ? AND (? IS NULL OR model = ?) AND status IN ('pass', 'fail') ORDER BY input",
      )
      .all(task, model ?? null, model ?? null);
    if (!rows.length) return undefined;
    const mid = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
    return { input: mid(rows.map((r) => Number(r.input))), output: mid(rows.map((r) => Number(r.output))) };
  }
}

function runRow(r: Record<string, unknown>): RunRow {
  return {
    id: String(r.id),
    createdAt: Number(r.created_at),
    suite: String(r.suite),
    models: JSON.parse(String(r.models)),
    tasks: JSON.parse(String(r.tasks)),
    runs: Number(r.runs),
    maxUsd: r.max_usd === null ? null : Number(r.max_usd),
  };
}
