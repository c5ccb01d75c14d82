// Opening runcode.db for sessions and stats: version check, migrations (ledger + store + FTS when available), the
// read-only-home fallback, and the one-time import of the original's files. Callers get a ready Store or an
// ActionableError; nothing here deletes data.
import type { Database } from "bun:sqlite";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { ActionableError } from "../core/errors";
import { paths } from "../core/home";
import { migrate, openDb } from "./db";
import { checkVersion, corruptError, isCorrupt, isUnwritable, sqliteReason, storeError } from "./faults";
import { missingSchema } from "./health";
import { importOriginal } from "./import";
import { LEDGER_MIGRATIONS } from "../money/ledger";
import { FTS_MIGRATION, SCHEMA_VERSION, STORE_MIGRATIONS } from "./schema";
import { Store } from "./store";

export type OpenOptions = {
  home: string;
  /** One-line warnings for stderr (read-only fallback, import summary). */
  warn: (line: string) => void;
  /** Where to fall back when the home dir is read-only; default <tmp>/runcode-<user>. */
  fallbackDir?: string;
  /** Import the original's sessions/ and runcode-stats.json on first open (default true). */
  importOriginal?: boolean;
  /** Caps the database size in pages; tests use it to simulate a full disk. */
  maxPages?: number;
};

export function openStore(o: OpenOptions): Store {
  const file = paths(o.home).db;
  let db: Database;
  let used = file;
  try {
    db = openDb(file);
    // A read-only file opens fine and only fails at the first write; probe now so the fallback happens up front.
    db.exec("BEGIN IMMEDIATE; ROLLBACK;");
  } catch (err) {
    if (isCorrupt(err)) throw corruptError(file, sqliteReason(err));
    if (!isUnwritable(err)) throw err instanceof ActionableError ? err : storeError(err, file);
    used = join(o.fallbackDir ?? join(tmpdir(), `runcode-${safeUser()}`), "runcode.db");
    o.warn(
      `cannot write ${o.home} (${err instanceof Error ? err.message.replace(/^.*\((.*)\).*$/, "$1") : String(err)}); sessions and stats go to ${used} for now`,
    );
    db = openDb(used);
  }
  // WAL + NORMAL: a commit survives kill -9 (the WAL is written before the call returns) and the file is never
  // corrupted; only an OS crash or power loss can drop the last few transcript writes. FULL fsyncs every commit
  // (~15 ms p99 here) for no gain to transcripts. The payment ledger shares this connection and switches it to FULL
  // for its own commits only (src/money/ledger.ts).
  db.exec("PRAGMA synchronous = NORMAL");
  // Checkpoints copy the WAL into the file and fsync it (3-7 ms). The default (every 1,000 pages) lands one inside
  // every few dozen turns; Store.checkpoint() runs it at close or when a REPL is idle, with this as the backstop.
  db.exec("PRAGMA wal_autocheckpoint = 10000");
  const store = new Store(db, used);
  try {
    if (o.maxPages) db.exec(`PRAGMA max_page_count = ${Math.max(1, Math.floor(o.maxPages))}`);
    prepare(db, used);
    if (o.importOriginal !== false && store.meta("imported_original") === undefined) importOriginal(store, o.home, o.warn);
    return store;
  } catch (err) {
    db.close();
    throw storeError(err, used);
  }
}

function prepare(db: Database, file: string) {
  const { applied, version } = checkVersion(db, file);
  const steps = [...LEDGER_MIGRATIONS, ...STORE_MIGRATIONS];
  // Every open of an up-to-date database (all but the first, or the first after an upgrade) takes this path: no
  // write transaction at all. Steps are append-only and never renamed, so "all applied" is a set check. (A database
  // whose FTS step could not run, on an SQLite without FTS5, keeps taking the long path, which tries it again.)
  const current = version === SCHEMA_VERSION && [...steps, FTS_MIGRATION].every((s) => applied.has(s.name));
  if (!current) {
    if (hasFts5(db)) steps.push(FTS_MIGRATION);
    migrate(db, steps);
  }
  // A table, column, index or trigger a step made that is gone (dropped, or lost with a page) is damage: said now,
  // with the repair, rather than as `no such table: payments` from whichever command meets it first. The check
  // (about 2 ms) runs only when SQLite's schema cookie, which every CREATE, DROP and ALTER changes, differs from the
  // one recorded at the last check that passed: an unchanged schema costs one header read.
  const cookie = String(db.query<{ schema_version: number | bigint }, []>("PRAGMA schema_version").get()!.schema_version);
  const checked = db.query<{ value: string }, []>("SELECT value FROM meta WHERE key = 'schema_checked'").get()?.value;
  if (checked !== cookie) {
    const missing = missingSchema(db);
    if (missing.length) throw corruptError(file, `${missing.slice(0, 3).join(", ")}${missing.length > 3 ? ", …" : ""} missing`);
    db.query("INSERT INTO meta (key, value) VALUES ('schema_checked', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(
      cookie,
    );
  }
  if (!current)
    db.query("INSERT INTO meta (key, value) VALUES ('schema_version', ?) ON CONFLICT (key) DO NOTHING").run(String(SCHEMA_VERSION));
}

/** FTS5 is compiled into Bun's SQLite on every platform we ship, but a system SQLite may lack it. */
export function hasFts5(db: Database): boolean {
  return db
    .query<{ compile_options: string }, []>("PRAGMA compile_options")
    .all()
    .some((r) => r.compile_options === "ENABLE_FTS5");
}

/** Whether the FTS index exists in this database (search uses LIKE otherwise). */
export const ftsReady = (db: Database) => !!db.query("SELECT 1 FROM migrations WHERE name = ?").get(FTS_MIGRATION.name);

function safeUser(): string {
  try {
    return userInfo().username.replace(/[^\w.-]/g, "_") || String(process.getuid?.() ?? "user");
  } catch {
    return String(process.getuid?.() ?? "user");
  }
}
