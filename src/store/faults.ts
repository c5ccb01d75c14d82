// What can go wrong with runcode.db, phrased for the person who must act. A corrupt file is reported with its path
// and the repair command, never deleted; a full disk fails the write (the transaction rolled back); a database
// written by a newer runcode is refused rather than migrated down.
import type { Database } from "bun:sqlite";
import { ActionableError } from "../core/errors";
import { KNOWN_MIGRATIONS, SCHEMA_VERSION } from "./schema";

const reason = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * SQLite's ways of saying the file is damaged, or is not (or no longer) the database runcode made: pages or the
 * schema unreadable (`database disk image is malformed`, `malformed database schema`, SQLITE_CORRUPT*), not an SQLite
 * file at all (`file is not a database`, SQLITE_NOTADB, `file is encrypted`, `unsupported file format`), or a table,
 * column, index or trigger of runcode's schema missing or in the way (`no such table: payments`, `no such column`,
 * `has no column named`, `already exists` while a step runs, an FTS table whose shadow tables are gone). open.ts
 * checks the schema at every open, so the second kind is caught there; a read or write can still meet the first.
 */
export const isCorrupt = (err: unknown) =>
  /not a database|malformed|SQLITE_CORRUPT|SQLITE_NOTADB|file is encrypted|unsupported file format|no such (table|column)|has no column named|already exists|vtable constructor failed/i.test(
    `${reason(err)} ${(err as { code?: string })?.code ?? ""}`,
  );

/** Another connection holds a lock SQLite could not wait out. */
export const isBusy = (err: unknown) =>
  /database is locked|database table is locked|SQLITE_BUSY|SQLITE_LOCKED/i.test(`${reason(err)} ${(err as { code?: string })?.code ?? ""}`);

const isFull = (err: unknown) =>
  /database or disk is full|SQLITE_FULL|ENOSPC/i.test(`${reason(err)} ${(err as { code?: string })?.code ?? ""}`);

/** The home dir (or the file) cannot be written: fall back to a temp location, as the original did. */
export const isUnwritable = (err: unknown) =>
  /readonly|read-only|EACCES|EROFS|EPERM|ENOTDIR|unable to open|permission denied/i.test(
    `${reason(err)} ${(err as { code?: string })?.code ?? ""}`,
  );

/** SQLite's own words, without the wrapping openDb adds ("cannot open the database F (…): …"). */
export const sqliteReason = (err: unknown) => {
  const r = reason(err);
  return /^cannot open the database .* \((.*)\): [^()]*$/.exec(r)?.[1] ?? r;
};

/** The one line for every damaged-file case; `why` is what was found (SQLite's words, or the missing table). */
export const corruptError = (file: string, why?: string) =>
  new ActionableError(
    `the database ${file} is damaged${why ? ` (${why.replace(/\s+/g, " ").trim()})` : ""}`,
    "run `runcode sessions --repair` (it keeps a backup of the damaged file and rebuilds what can be read)",
    "store",
  );

/** Turns a SQLite failure during a write or read into an error that names the file and what to do. */
export function storeError(err: unknown, file: string): Error {
  if (err instanceof ActionableError) return err;
  if (isCorrupt(err)) return corruptError(file, sqliteReason(err));
  if (isFull(err))
    return new ActionableError(
      `the disk holding ${file} is full; nothing was half-written`,
      "free some space, or remove old sessions with `runcode sessions rm --older-than 30d`",
      "store",
    );
  if (isUnwritable(err))
    return new ActionableError(`cannot write ${file} (${reason(err)})`, "check the permissions of the runcode home directory", "store");
  return new ActionableError(`database error in ${file}: ${reason(err)}`, "retry; if it persists run `runcode sessions --repair`", "store");
}

/** Refuses a database a newer runcode wrote; returns the schema steps already applied and the stored version. */
export function checkVersion(db: Database, file: string): { applied: Set<string>; version: number } {
  const known = new Set(KNOWN_MIGRATIONS.map((m) => m.name));
  const applied = db
    .query<{ name: string }, []>("SELECT name FROM migrations")
    .all()
    .map((r) => r.name);
  const unknown = applied.find((n) => !known.has(n));
  const hasMeta = db.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get();
  const version = hasMeta
    ? Number(db.query<{ value: string }, []>("SELECT value FROM meta WHERE key = 'schema_version'").get()?.value ?? 0)
    : 0;
  if (!unknown && version <= SCHEMA_VERSION) return { applied: new Set(applied), version };
  throw new ActionableError(
    `the database ${file} was written by a newer runcode (${unknown ? `unknown schema step "${unknown}"` : `schema version ${version} > ${SCHEMA_VERSION}`}); it was not changed`,
    "upgrade with `runcode upgrade`, or use another home for this version with RUNCODE_HOME=<dir>",
    "store",
  );
}
