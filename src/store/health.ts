// Is runcode.db whole? Two checks: the schema (every table, column, index and trigger the applied steps made is
// still there; cheap, run at every open, so `no such table: payments` is reported as damage before any command
// meets it) and the pages (`PRAGMA integrity_check` plus the FTS index's own check; a full read, run by
// `sessions --repair` only). And is it in use: another connection has it open (used by `--repair`, which must never
// rename a file under a process that keeps writing to it).
import { Database } from "bun:sqlite";
import { readdirSync, readFileSync, readlinkSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { MIGRATIONS_TABLE } from "./db";
import { isBusy } from "./faults";
import { pidAlive } from "./lease";
import { KNOWN_MIGRATIONS } from "./schema";

/** "table sessions" → its columns; "index x", "trigger y" → the table they belong to, as "table t". */
type Shape = Map<string, Set<string>>;

function shapeOf(db: Database): Shape {
  const shape: Shape = new Map();
  const rows = db
    .query<{ type: string; name: string; tbl: string; col: string | null }, []>(
      `SELECT m.type, m.name, m.tbl_name AS tbl, p.name AS col FROM sqlite_master m LEFT JOIN pragma_table_info(m.name) p
       WHERE m.type IN ('table', 'index', 'trigger', 'view') AND m.name NOT LIKE 'sqlite_%'`,
    )
    .all();
  for (const r of rows) {
    const key = `${r.type} ${r.name}`;
    let cols = shape.get(key);
    if (!cols) shape.set(key, (cols = new Set()));
    if (r.type === "table") {
      if (r.col !== null) cols.add(r.col);
    } else if (r.type !== "view") cols.add(`table ${r.tbl}`);
  }
  return shape;
}

const expected = new Map<string, Shape>();

/** What the steps in `applied` make, built once per process in memory from the same SQL. */
function expectedShape(applied: ReadonlySet<string>): Shape {
  const steps = KNOWN_MIGRATIONS.filter((m) => applied.has(m.name));
  const key = steps.map((m) => m.name).join(",");
  let shape = expected.get(key);
  if (!shape) {
    const mem = new Database(":memory:");
    try {
      mem.exec(MIGRATIONS_TABLE);
      for (const step of steps) mem.exec(step.sql);
      shape = shapeOf(mem);
    } finally {
      mem.close();
    }
    expected.set(key, shape);
  }
  return shape;
}

/** The schema objects runcode made in this file that are gone ("table payments", "column sessions.title"). */
export function missingSchema(db: Database): string[] {
  const applied = new Set(
    db
      .query<{ name: string }, []>("SELECT name FROM migrations")
      .all()
      .map((r) => r.name),
  );
  const have = shapeOf(db);
  const missing: string[] = [];
  const want = expectedShape(applied);
  for (const [key, cols] of want) {
    const got = have.get(key);
    const table = key.startsWith("table ");
    // An index or trigger of a table that is gone goes without saying.
    if (!got) {
      if (table || [...cols].every((t) => have.has(t))) missing.push(key);
    } else if (table) for (const c of cols) if (!got.has(c)) missing.push(`column ${key.slice("table ".length)}.${c}`);
  }
  return missing;
}

/**
 * Reads every page: the b-trees (`integrity_check`), the FTS index against its table, and the schema. Returns what
 * is wrong (empty: healthy). A check that cannot even run is itself the answer.
 */
export function pageProblems(db: Database): string[] {
  const problems: string[] = [];
  try {
    const rows = db.query<{ integrity_check: string }, []>("PRAGMA integrity_check(20)").all();
    for (const r of rows) if (r.integrity_check !== "ok") problems.push(r.integrity_check);
    const missing = missingSchema(db);
    problems.push(...missing.map((m) => `${m} is missing`));
    const fts = db.query("SELECT 1 FROM sqlite_master WHERE name = 'messages_fts'").get();
    if (fts && !missing.length) db.exec("INSERT INTO messages_fts (messages_fts, rank) VALUES ('integrity-check', 1)");
  } catch (err) {
    problems.push(err instanceof Error ? err.message : String(err));
  }
  return problems;
}

export type Probe = { state: "free"; db: Database } | { state: "busy"; pids: number[] } | { state: "unreadable"; reason: string };

/**
 * Opens `file` and takes it for this connection alone: `locking_mode = EXCLUSIVE` and an exclusive transaction with
 * no busy wait. Every open runcode connection (WAL mode) holds a shared lock from its first read until it closes,
 * so this fails while any other process has the database open, idle or not, and succeeds only when none has. On
 * success the caller owns the lock until it closes `db` (nobody else can open the file meanwhile).
 */
export function probeExclusive(file: string): Probe {
  let db: Database | undefined;
  try {
    db = new Database(file, { readwrite: true, create: false, strict: true, safeIntegers: true });
    db.exec("PRAGMA busy_timeout = 0");
    db.exec("PRAGMA locking_mode = EXCLUSIVE");
    db.exec("BEGIN EXCLUSIVE");
    db.query("SELECT count(*) FROM sqlite_master").get();
    return { state: "free", db };
  } catch (err) {
    db?.close();
    if (isBusy(err)) return { state: "busy", pids: holders(file) };
    return { state: "unreadable", reason: err instanceof Error ? err.message : String(err) };
  }
}

/** The other processes with `file` (or its -wal/-shm) open, where the OS says (Linux /proc); else []. */
export function holders(file: string): number[] {
  let real: string;
  try {
    real = realpathSync(file);
  } catch {
    return [];
  }
  const wanted = new Set([real, `${real}-wal`, `${real}-shm`]);
  const pids: number[] = [];
  let procs: string[];
  try {
    procs = readdirSync("/proc").filter((d) => /^\d+$/.test(d));
  } catch {
    return [];
  }
  for (const p of procs) {
    const pid = Number(p);
    if (pid === process.pid) continue;
    let fds: string[];
    try {
      fds = readdirSync(join("/proc", p, "fd"));
    } catch {
      continue; // another user's process, or gone
    }
    for (const fd of fds) {
      try {
        if (wanted.has(readlinkSync(join("/proc", p, "fd", fd)))) {
          pids.push(pid);
          break;
        }
      } catch {
        // closed meanwhile
      }
    }
  }
  return pids;
}

/** The proxy daemon's pid, when its pid file names a live process. */
export function daemonPid(pidFile: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(pidFile, "utf8"), 10);
    return pidAlive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}
