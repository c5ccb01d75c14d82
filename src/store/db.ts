// The local SQLite database (runcode.db under the home dir). WAL + busy_timeout so several runcode processes can
// share it; schema changes are an append-only list of named steps recorded in `migrations`, so other features
// (sessions, stats) add their own steps to the same file without renumbering anyone else's.
import { Database } from "bun:sqlite";
import { ActionableError } from "../core/errors";
import { narrowFile, privateFile } from "../core/private";

export type Migration = { name: string; sql: string };

/** Where applied steps are recorded; made by every open, before any step. */
export const MIGRATIONS_TABLE = "CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)";

/** Opens (creating if needed) the database; integers come back as bigint so money is never a float. */
export function openDb(file: string): Database {
  try {
    // Created 0600 before SQLite opens it, so there is no moment it is readable by others; SQLite gives the -wal and
    // -shm it creates the database file's mode, and ones left by an older version are narrowed here.
    privateFile(file);
    const db = new Database(file, { create: true, strict: true, safeIntegers: true });
    db.exec("PRAGMA busy_timeout = 10000");
    db.exec("PRAGMA journal_mode = WAL");
    for (const suffix of ["-wal", "-shm"]) narrowFile(file + suffix);
    db.exec("PRAGMA synchronous = FULL");
    db.exec(MIGRATIONS_TABLE);
    return db;
  } catch (err) {
    throw new ActionableError(
      `cannot open the database ${file} (${err instanceof Error ? err.message : String(err)})`,
      "check that the home directory is writable",
      "store",
    );
  }
}

/** Applies the steps not yet recorded, in order, each in its own IMMEDIATE transaction (safe across processes). */
export function migrate(db: Database, steps: readonly Migration[]) {
  for (const step of steps) {
    db.transaction(() => {
      if (db.query("SELECT 1 FROM migrations WHERE name = ?").get(step.name)) return;
      db.exec(step.sql);
      db.query("INSERT INTO migrations (name, applied_at) VALUES (?, ?)").run(step.name, Date.now());
    }).immediate();
  }
}
