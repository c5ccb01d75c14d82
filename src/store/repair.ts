// `runcode sessions --repair`. First the checks: a database another process has open is never touched (renaming it
// would leave that process writing to the backup), and a healthy one is left as it is. Only then is the damaged
// runcode.db (with its -wal/-shm) renamed to a backup, never deleted, a fresh database created, and every row that
// can still be read copied over, table by table, row by row, so one bad page costs the rows on it and not the
// whole history.
import { Database } from "bun:sqlite";
import { existsSync, renameSync } from "node:fs";
import { ActionableError } from "../core/errors";
import { paths } from "../core/home";
import { holders, pageProblems, probeExclusive } from "./health";
import { openStore } from "./open";

type Value = string | bigint | number | null | Uint8Array;

export type RepairReport = { backup: string; copied: Record<string, number>; unreadable: string[] };

export type RepairOutcome = { state: "absent" } | { state: "healthy" } | { state: "repaired"; problems: string[]; report: RepairReport };

/** The refusal while other processes have `file` open (`pids` where the OS says which). */
export const inUseError = (file: string, pids: number[]) =>
  new ActionableError(
    `the database ${file} is in use by another runcode process${pids.length ? ` (pid ${pids.join(", ")})` : ""}; nothing was changed`,
    "end it (for the background proxy: `runcode daemon stop`), then run `runcode sessions --repair` again",
    "store",
  );

/**
 * Checks `home`'s database and repairs it only when it is damaged and no other process has it open. Throws
 * inUseError when one has (damaged or not: both must be closed before anything is renamed).
 */
export function checkAndRepair(home: string, warn: (line: string) => void, now = new Date()): RepairOutcome {
  const file = paths(home).db;
  if (!existsSync(file)) return { state: "absent" };
  const probe = probeExclusive(file);
  if (probe.state === "busy") throw inUseError(file, probe.pids);
  let problems: string[];
  if (probe.state === "free") {
    problems = pageProblems(probe.db);
    probe.db.close();
    if (!problems.length) return { state: "healthy" };
  } else {
    // Not even openable as SQLite: nobody can be using it as a database, but a process may still hold it open.
    const pids = holders(file);
    if (pids.length) throw inUseError(file, pids);
    problems = [probe.reason];
  }
  return { state: "repaired", problems, report: repairStore(home, warn, now)! };
}

// Parents before children does not matter (no foreign keys), but meta last keeps the import marker of the old file.
const TABLES = ["sessions", "messages", "requests", "tool_calls", "payments", "recipients", "meta"] as const;

/** Renames the database to a backup and rebuilds it from what can be read; no checks (see checkAndRepair). */
export function repairStore(home: string, warn: (line: string) => void, now = new Date()): RepairReport | undefined {
  const file = paths(home).db;
  if (!existsSync(file)) return undefined;
  const backup = `${file}.damaged-${now.toISOString().replace(/[:.]/g, "-")}`;
  for (const suffix of ["", "-wal", "-shm"]) if (existsSync(file + suffix)) renameSync(file + suffix, backup + suffix);
  const store = openStore({ home, warn, importOriginal: false });
  const report: RepairReport = { backup, copied: {}, unreadable: [] };
  let old: Database | undefined;
  try {
    old = new Database(backup, { readonly: true, safeIntegers: true });
    old.query("SELECT count(*) FROM sqlite_master").get();
  } catch {
    report.unreadable.push("(the whole file: no readable schema)");
    old?.close();
    store.close();
    return report;
  }
  for (const t of TABLES) {
    let copied = 0;
    try {
      const cols = columns(old, t).filter((c) => columns(store.db, t).includes(c));
      if (!cols.length) continue;
      const list = cols.map((c) => `"${c}"`).join(", ");
      const insert = store.db.query(`INSERT OR IGNORE INTO ${t} (${list}) VALUES (${cols.map(() => "?").join(", ")})`);
      store.write(() => {
        try {
          // iterate() steps one row at a time, so the rows before a damaged page are copied.
          for (const row of old!.query<Record<string, Value>, []>(`SELECT ${list} FROM ${t}`).iterate()) {
            insert.run(...cols.map((c) => row[c] ?? null));
            copied++;
          }
        } catch {
          // Reading stopped at a damaged page: keep what was read before it.
          report.unreadable.push(t);
        }
      });
    } catch {
      report.unreadable.push(t);
    }
    report.copied[t] = copied;
  }
  old.close();
  store.close();
  return report;
}

function columns(db: Database, table: string): string[] {
  return db
    .query<{ name: string }, []>(`PRAGMA table_info(${table})`)
    .all()
    .map((r) => r.name);
}
