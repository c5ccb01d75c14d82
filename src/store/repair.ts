// `runcode sessions --repair`: the damaged runcode.db (with its -wal/-shm) is renamed to a backup, never deleted,
// a fresh database is created, and every row that can still be read is copied over, table by table, row by row,
// so one bad page costs the rows on it and not the whole history.
import { Database } from "bun:sqlite";
import { existsSync, renameSync } from "node:fs";
import { paths } from "../core/home";
import { openStore } from "./open";

type Value = string | bigint | number | null | Uint8Array;

export type RepairReport = { backup: string; copied: Record<string, number>; unreadable: string[] };

// Parents before children does not matter (no foreign keys), but meta last keeps the import marker of the old file.
const TABLES = ["sessions", "messages", "requests", "tool_calls", "payments", "recipients", "meta"] as const;

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
