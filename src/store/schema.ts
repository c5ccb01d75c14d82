// The sessions/stats schema, as append-only named migrations in the same runcode.db as the payment ledger.
// A shipped step is never edited: change the schema by appending a new step. docs/store.md documents every column.
import type { Migration } from "./db";
import { LEDGER_MIGRATIONS } from "../money/ledger";

/**
 * Bumped only when a change makes the database unreadable for older runcode versions. An older runcode that finds
 * a larger number (or a migration name it does not know) refuses to open the file instead of guessing.
 */
export const SCHEMA_VERSION = 1;

export const STORE_MIGRATIONS: readonly Migration[] = [
  {
    name: "store-001-meta",
    sql: `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);`,
  },
  {
    name: "store-002-sessions",
    sql: `CREATE TABLE sessions (
      id TEXT PRIMARY KEY,                  -- ses_… (time-ordered) or the original's session-YYYY-… when imported
      created_at INTEGER NOT NULL,          -- ms since epoch
      updated_at INTEGER NOT NULL,
      cwd TEXT NOT NULL,
      model TEXT NOT NULL,                  -- the model of the latest request
      title TEXT NOT NULL DEFAULT '',       -- first user prompt, truncated
      turns INTEGER NOT NULL DEFAULT 0,     -- user prompts (tool results are not turns)
      messages INTEGER NOT NULL DEFAULT 0,
      bytes INTEGER NOT NULL DEFAULT 0,     -- stored message JSON, for the size budget
      source TEXT NOT NULL DEFAULT 'runcode' -- 'runcode' | 'import'
    );
    CREATE INDEX sessions_cwd ON sessions (cwd, updated_at);
    CREATE INDEX sessions_updated ON sessions (updated_at);
    CREATE TABLE messages (
      id INTEGER PRIMARY KEY,               -- rowid, also the FTS key; order within a session is seq
      session TEXT NOT NULL,
      seq INTEGER NOT NULL,                 -- 0-based position in the conversation the model saw
      role TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
      content TEXT NOT NULL,                -- JSON: a string or Anthropic content blocks, exactly as sent
      text TEXT NOT NULL DEFAULT '',        -- plain text of the text blocks, for search
      partial INTEGER NOT NULL DEFAULT 0,   -- 1 = an answer cut short by an interrupt
      created_at INTEGER NOT NULL,
      UNIQUE (session, seq)
    );`,
  },
  {
    name: "store-003-requests",
    sql: `CREATE TABLE requests (
      id TEXT PRIMARY KEY,                  -- req_… (time-ordered)
      created_at INTEGER NOT NULL,
      session TEXT,                         -- NULL for proxy traffic outside a session
      source TEXT NOT NULL,                 -- 'agent' | 'proxy' | 'import'
      model TEXT NOT NULL,                  -- the model that answered
      requested TEXT,                       -- the model asked for, when different (fallback / substitution)
      input INTEGER NOT NULL DEFAULT 0,
      output INTEGER NOT NULL DEFAULT 0,
      cache_read INTEGER NOT NULL DEFAULT 0,
      cache_write INTEGER NOT NULL DEFAULT 0,
      cost INTEGER NOT NULL DEFAULT 0,      -- micro-USD actually paid (integer so sums never drift)
      latency_ms INTEGER,                   -- NULL when unknown (imported totals)
      fallback INTEGER NOT NULL DEFAULT 0,  -- 1 = answered by a fallback model
      status TEXT NOT NULL,                 -- 'ok' | 'error' | 'aborted'
      error TEXT,                           -- error code when status != 'ok'
      route TEXT,                           -- JSON routing decision (profile, tier, confidence…) when routed
      count INTEGER NOT NULL DEFAULT 1      -- >1 only for imported totals older than the original's history
    );
    CREATE INDEX requests_created ON requests (created_at);
    CREATE INDEX requests_session ON requests (session);
    CREATE TABLE tool_calls (
      id TEXT PRIMARY KEY,                  -- the model's tool_use id, prefixed by the session to stay unique
      session TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      tool TEXT NOT NULL,
      input TEXT NOT NULL,                  -- JSON
      ok INTEGER NOT NULL,
      error TEXT,
      output_bytes INTEGER NOT NULL DEFAULT 0, -- the output itself is in the tool_result message
      ms INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX tool_calls_session ON tool_calls (session);`,
  },
  {
    // Who is appending to a session right now, so a second process continuing it forks instead of interleaving
    // (src/store/lease.ts). Rows are short-lived: released at close, stale when the owner died or stopped beating.
    name: "store-005-leases",
    sql: `CREATE TABLE leases (
      session TEXT PRIMARY KEY,             -- the session being appended to
      owner TEXT NOT NULL,                  -- the open Store (one connection of one process) that holds it
      pid INTEGER NOT NULL,                 -- its process, for the liveness check and for messages
      host TEXT NOT NULL,                   -- its host name: a pid is only checked on the same host
      beat_at INTEGER NOT NULL,             -- ms; refreshed at every append and every 15 s; stale after 60 s
      settled INTEGER NOT NULL              -- messages in the session when the holder's last turn ended: what a fork copies
    );`,
  },
  {
    // The dashboard (src/dashboard/): which front end made an agent request, and an hourly rollup of requests kept by
    // triggers, so a year of requests (a million rows) is summed from ~10k rollup rows instead of read row by row.
    // The rollup holds exactly the sums \`runcode stats\` takes (SUM(count), errors, fallbacks, tokens, cost, latency
    // sum and samples); a range that does not start or end on the hour takes its partial hours from \`requests\`.
    name: "store-006-dashboard",
    sql: `ALTER TABLE requests ADD COLUMN client TEXT;  -- the front end of an agent request: 'ask' | 'edit' | 'repl'; NULL otherwise
    CREATE TABLE request_hours (
      hour INTEGER NOT NULL,                -- created_at / 3600000: UTC hours since the epoch
      model TEXT NOT NULL,
      via TEXT NOT NULL,                    -- COALESCE(client, source): ask, edit, repl, agent (older rows), proxy, import
      requests INTEGER NOT NULL,            -- SUM(count)
      errors INTEGER NOT NULL,              -- SUM(count) of status != 'ok'
      fallbacks INTEGER NOT NULL,           -- SUM(count) of fallback = 1
      input INTEGER NOT NULL,
      output INTEGER NOT NULL,
      cache_read INTEGER NOT NULL,
      cache_write INTEGER NOT NULL,
      cost INTEGER NOT NULL,                -- micro-USD
      latency_sum INTEGER NOT NULL,         -- SUM(latency_ms) of the rows that have one
      latency_n INTEGER NOT NULL,           -- how many rows have one (rows, not count: as stats averages)
      PRIMARY KEY (hour, model, via)
    ) WITHOUT ROWID;
    CREATE TRIGGER request_hours_insert AFTER INSERT ON requests BEGIN
      INSERT INTO request_hours VALUES (new.created_at / 3600000, new.model, COALESCE(new.client, new.source), new.count,
        CASE WHEN new.status != 'ok' THEN new.count ELSE 0 END, CASE WHEN new.fallback = 1 THEN new.count ELSE 0 END,
        new.input, new.output, new.cache_read, new.cache_write, new.cost, COALESCE(new.latency_ms, 0), new.latency_ms IS NOT NULL)
      ON CONFLICT (hour, model, via) DO UPDATE SET requests = requests + excluded.requests, errors = errors + excluded.errors,
        fallbacks = fallbacks + excluded.fallbacks, input = input + excluded.input, output = output + excluded.output,
        cache_read = cache_read + excluded.cache_read, cache_write = cache_write + excluded.cache_write, cost = cost + excluded.cost,
        latency_sum = latency_sum + excluded.latency_sum, latency_n = latency_n + excluded.latency_n;
    END;
    CREATE TRIGGER request_hours_delete AFTER DELETE ON requests BEGIN
      UPDATE request_hours SET requests = requests - old.count, errors = errors - CASE WHEN old.status != 'ok' THEN old.count ELSE 0 END,
        fallbacks = fallbacks - CASE WHEN old.fallback = 1 THEN old.count ELSE 0 END, input = input - old.input,
        output = output - old.output, cache_read = cache_read - old.cache_read, cache_write = cache_write - old.cache_write,
        cost = cost - old.cost, latency_sum = latency_sum - COALESCE(old.latency_ms, 0), latency_n = latency_n - (old.latency_ms IS NOT NULL)
      WHERE hour = old.created_at / 3600000 AND model = old.model AND via = COALESCE(old.client, old.source);
      DELETE FROM request_hours WHERE hour = old.created_at / 3600000 AND model = old.model AND via = COALESCE(old.client, old.source)
        AND requests = 0;
    END;
    -- Requests are written once and never updated; should one ever be, it fails loudly rather than skewing the rollup.
    CREATE TRIGGER request_hours_update BEFORE UPDATE ON requests BEGIN
      SELECT RAISE(ABORT, 'requests rows are immutable (the dashboard rollup sums them)');
    END;
    INSERT INTO request_hours SELECT created_at / 3600000, model, COALESCE(client, source), SUM(count),
      SUM(CASE WHEN status != 'ok' THEN count ELSE 0 END), SUM(CASE WHEN fallback = 1 THEN count ELSE 0 END), SUM(input),
      SUM(output), SUM(cache_read), SUM(cache_write), SUM(cost), SUM(COALESCE(latency_ms, 0)), COUNT(latency_ms)
      FROM requests GROUP BY 1, 2, 3;
    CREATE INDEX requests_model ON requests (model, created_at);`,
  },
  {
    // `runcode bench` (src/bench/): its runs, and each cell (one model on one task, one repetition) recorded as it
    // finishes, so an interrupted run resumes without running or paying for a finished cell again.
    name: "store-007-bench",
    sql: `CREATE TABLE bench_runs (
      id TEXT PRIMARY KEY,
      created_at INTEGER NOT NULL,
      suite TEXT NOT NULL,                  -- 'builtin' or the --suite folder
      models TEXT NOT NULL,                 -- JSON list, as given
      tasks TEXT NOT NULL,                  -- JSON list of task ids
      runs INTEGER NOT NULL,
      max_usd REAL,
      updated_at INTEGER NOT NULL
    );
    CREATE TABLE bench_cells (
      run TEXT NOT NULL REFERENCES bench_runs (id),
      model TEXT NOT NULL,                  -- as given (-m): a model id, shortcut or profile
      task TEXT NOT NULL,
      rep INTEGER NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('pass', 'fail', 'timeout', 'error', 'skipped')),
      answered_by TEXT,                     -- the model that answered last (a profile routes)
      cost INTEGER NOT NULL,                -- micro-USD settled for this cell
      input INTEGER NOT NULL,
      output INTEGER NOT NULL,
      turns INTEGER NOT NULL,
      ms INTEGER NOT NULL,
      note TEXT,
      finished_at INTEGER NOT NULL,
      PRIMARY KEY (run, model, task, rep)
    );
    CREATE INDEX bench_cells_task ON bench_cells (task, model);`,
  },
];

/** Full-text search over message text; applied only when this SQLite has FTS5 (else search falls back to LIKE). */
export const FTS_MIGRATION: Migration = {
  name: "store-004-fts",
  sql: `CREATE VIRTUAL TABLE messages_fts USING fts5(text, content='messages', content_rowid='id', tokenize='unicode61');
    CREATE TRIGGER messages_ai AFTER INSERT ON messages WHEN new.text != '' BEGIN
      INSERT INTO messages_fts (rowid, text) VALUES (new.id, new.text);
    END;
    CREATE TRIGGER messages_ad AFTER DELETE ON messages WHEN old.text != '' BEGIN
      INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.id, old.text);
    END;
    INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');`,
};

/** Every step any part of runcode applies to runcode.db; a name outside this list means a newer runcode wrote it. */
export const KNOWN_MIGRATIONS: readonly Migration[] = [...LEDGER_MIGRATIONS, ...STORE_MIGRATIONS, FTS_MIGRATION];
