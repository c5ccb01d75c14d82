// The one writer path to runcode.db for sessions and usage. Every write is a short IMMEDIATE transaction, so a REPL
// and a proxy writing at once queue on the busy timeout instead of failing with "database is locked", and a write
// that fails (disk full, I/O error) rolls back whole: a message is stored completely or not at all.
// Statements go through db.query(), which compiles each SQL string once per connection and caches it.
import type { Database } from "bun:sqlite";
import { newId } from "../core/id";
import { redact } from "../core/secrets";
import type { ContentBlock, Message } from "../llm/types";
import { storeError } from "./faults";
import { HEARTBEAT_MS, HOST, type Lease } from "./lease";

export type RequestRecord = {
  id?: string;
  session?: string | null;
  source: "agent" | "proxy" | "import";
  /** The front end of an agent request (the dashboard's "source" column); none for proxy traffic and imports. */
  client?: "ask" | "edit" | "repl";
  model: string;
  requested?: string;
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite?: number;
  /** USD actually paid for this request (0 on free models). */
  usd: number;
  latencyMs?: number | null;
  fallback?: boolean;
  status: "ok" | "error" | "aborted";
  error?: string;
  route?: unknown;
  count?: number;
  at?: number;
};

export type ToolCallRecord = {
  session: string;
  call: string;
  tool: string;
  input: unknown;
  ok: boolean;
  error?: string;
  outputBytes: number;
  ms: number;
  at?: number;
};

export type NewSession = { id?: string; cwd: string; model: string; at?: number; source?: "runcode" | "import" };

/** A message row as stored (content is JSON), for copying a conversation into a fork. */
export type StoredRow = { role: "user" | "assistant"; content: string; text: string; partial: bigint; created_at: bigint };

const TITLE_MAX = 200;

/** The plain text a message contributes to search and titles: text blocks only (not tool payloads). */
export function messageText(m: Message): string {
  if (typeof m.content === "string") return m.content;
  return m.content
    .filter((b): b is Extract<ContentBlock, { type: "text" }> => b.type === "text")
    .map((b) => b.text)
    .join("\n");
}

/** A user message made only of tool results is the agent's doing, not a new prompt from the user. */
export const isPrompt = (m: Message) =>
  m.role === "user" && (typeof m.content === "string" || m.content.some((b) => b.type !== "tool_result"));

export class Store {
  /** This open store's name in `leases` (one connection; two stores in one process are two owners). */
  readonly owner = newId("own");
  /** Sessions this store holds a lease on (src/store/lease.ts). */
  private readonly held = new Set<string>();
  private beating?: ReturnType<typeof setInterval>;

  constructor(
    readonly db: Database,
    /** The database file actually in use (a temp one when the home dir is read-only). */
    readonly file: string,
  ) {}

  /** Runs `fn` in one IMMEDIATE transaction; SQLite failures become errors that name the file and the fix. */
  write<T>(fn: () => T): T {
    try {
      return this.db.transaction(fn).immediate();
    } catch (err) {
      throw storeError(err, this.file);
    }
  }

  /** Runs a read; SQLite failures (a damaged page, a missing table) become errors that name the file and the fix. */
  read<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      throw storeError(err, this.file);
    }
  }

  /** The lease on `session`, whoever holds it. */
  lease(session: string): Lease | undefined {
    const r = this.db
      .query<{ owner: string; pid: bigint; host: string; beat_at: bigint; settled: bigint }, [string]>(
        "SELECT owner, pid, host, beat_at, settled FROM leases WHERE session = ?",
      )
      .get(session);
    return r
      ? { session, owner: r.owner, pid: Number(r.pid), host: r.host, beatAt: Number(r.beat_at), settled: Number(r.settled) }
      : undefined;
  }

  /**
   * Takes the lease on `session` for this store, or refreshes it when this store holds it already. `settled` (the
   * messages a fork would copy) is set when the lease is taken and kept when it is refreshed.
   */
  hold(session: string, settled: number) {
    this.write(() =>
      this.db
        .query(
          `INSERT INTO leases (session, owner, pid, host, beat_at, settled) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
           ON CONFLICT (session) DO UPDATE SET settled = CASE WHEN owner = ?2 THEN settled ELSE ?6 END,
             owner = ?2, pid = ?3, host = ?4, beat_at = ?5`,
        )
        .run(session, this.owner, process.pid, HOST, Date.now(), settled),
    );
    this.held.add(session);
    // Beats while the process lives (an idle REPL is still in the conversation); never keeps a process alive.
    this.beating ??= setInterval(() => this.beat(), HEARTBEAT_MS);
    this.beating.unref?.();
  }

  /** The holder's turn ended with `settled` messages stored: a fork from now on copies them. */
  settle(session: string, settled: number) {
    this.write(() =>
      this.db
        .query("UPDATE leases SET settled = ?, beat_at = ? WHERE session = ? AND owner = ?")
        .run(settled, Date.now(), session, this.owner),
    );
  }

  /** Gives up this store's leases, except the one on `keep`. Never throws (an unreleased lease expires). */
  release(keep?: string) {
    const drop = [...this.held].filter((s) => s !== keep);
    if (!drop.length) return;
    try {
      this.write(() => {
        for (const s of drop) this.db.query("DELETE FROM leases WHERE session = ? AND owner = ?").run(s, this.owner);
      });
      for (const s of drop) this.held.delete(s);
    } catch {
      // the file is busy or damaged: the lease goes stale on its own
    }
    if (!this.held.size && this.beating) {
      clearInterval(this.beating);
      this.beating = undefined;
    }
  }

  private beat() {
    try {
      this.db.query("UPDATE leases SET beat_at = ? WHERE owner = ?").run(Date.now(), this.owner);
    } catch {
      // busy or damaged: the next beat, or the next append, refreshes it
    }
  }

  /** The number of messages stored in `session`, or undefined when there is no such session. */
  messageCount(session: string): number | undefined {
    const r = this.db.query<{ messages: bigint }, [string]>("SELECT messages FROM sessions WHERE id = ?").get(session);
    return r ? Number(r.messages) : undefined;
  }

  /** The first `upTo` stored messages of `session`, exactly as stored. */
  rows(session: string, upTo = Number.MAX_SAFE_INTEGER): StoredRow[] {
    return this.db
      .query<StoredRow, [string, number]>(
        "SELECT role, content, text, partial, created_at FROM messages WHERE session = ? AND seq < ? ORDER BY seq",
      )
      .all(session, upTo);
  }

  /** A new session `id` holding a copy of another's messages (a fork: same directory and model, rows as stored). */
  createCopy(id: string, from: { cwd: string; model: string; rows: readonly StoredRow[] }, at = Date.now()) {
    this.write(() => {
      this.db
        .query("INSERT INTO sessions (id, created_at, updated_at, cwd, model, source) VALUES (?, ?, ?, ?, ?, 'runcode')")
        .run(id, at, at, from.cwd, from.model);
      const insert = this.db.query(
        "INSERT INTO messages (session, seq, role, content, text, partial, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
      );
      let title = "";
      let turns = 0;
      let bytes = 0;
      from.rows.forEach((r, seq) => {
        insert.run(id, seq, r.role, r.content, r.text, r.partial, r.created_at);
        bytes += r.content.length;
        if (isPrompt({ role: r.role, content: JSON.parse(r.content) as Message["content"] })) {
          turns++;
          if (!title && r.text.trim()) title = r.text.trim().replace(/\s+/g, " ").slice(0, TITLE_MAX);
        }
      });
      this.db
        .query("UPDATE sessions SET messages = ?, turns = ?, bytes = ?, title = ? WHERE id = ?")
        .run(from.rows.length, turns, bytes, title, id);
    });
  }

  createSession(s: NewSession): string {
    const id = s.id ?? newId("ses");
    const at = s.at ?? Date.now();
    this.write(() =>
      this.db
        .query("INSERT INTO sessions (id, created_at, updated_at, cwd, model, source) VALUES (?, ?, ?, ?, ?, ?)")
        .run(id, at, at, s.cwd, s.model, s.source ?? "runcode"),
    );
    return id;
  }

  /** Appends messages at the end of a session's conversation, in order, atomically. */
  append(session: string, messages: readonly Message[], o: { partial?: boolean; at?: number } = {}) {
    if (!messages.length) return;
    const at = o.at ?? Date.now();
    this.write(() => {
      const s = this.db
        .query<{ messages: bigint; title: string }, [string]>("SELECT messages, title FROM sessions WHERE id = ?")
        .get(session);
      if (!s) throw new Error(`session ${session} does not exist`);
      let seq = Number(s.messages);
      let title = s.title;
      let turns = 0;
      let bytes = 0;
      const insert = this.db.query(
        "INSERT INTO messages (session, seq, role, content, text, partial, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
      );
      for (const m of messages) {
        // Stored records never hold a secret, whatever reached the history (a key pasted in a prompt).
        const json = redact(JSON.stringify(m.content));
        const text = redact(messageText(m));
        insert.run(session, seq++, m.role, json, text, o.partial ? 1 : 0, at);
        bytes += json.length;
        if (isPrompt(m)) {
          turns++;
          if (!title && text.trim()) title = text.trim().replace(/\s+/g, " ").slice(0, TITLE_MAX);
        }
      }
      this.db
        .query("UPDATE sessions SET messages = ?, turns = turns + ?, bytes = bytes + ?, title = ?, updated_at = ? WHERE id = ?")
        .run(seq, turns, bytes, title, at, session);
    });
  }

  recordRequest(r: RequestRecord): string {
    const id = r.id ?? newId("req");
    const at = r.at ?? Date.now();
    this.write(() => {
      this.db
        .query(
          `INSERT OR IGNORE INTO requests (id, created_at, session, source, client, model, requested, input, output, cache_read, cache_write, cost, latency_ms, fallback, status, error, route, count)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          id,
          at,
          r.session ?? null,
          r.source,
          r.client ?? null,
          r.model,
          r.requested ?? null,
          r.input,
          r.output,
          r.cacheRead ?? 0,
          r.cacheWrite ?? 0,
          Math.round(r.usd * 1_000_000),
          r.latencyMs == null ? null : Math.round(r.latencyMs),
          r.fallback ? 1 : 0,
          r.status,
          r.error == null ? null : redact(r.error),
          r.route === undefined ? null : JSON.stringify(r.route),
          r.count ?? 1,
        );
      if (r.session) this.db.query("UPDATE sessions SET model = ?, updated_at = ? WHERE id = ?").run(r.model, at, r.session);
    });
    return id;
  }

  recordToolCall(t: ToolCallRecord) {
    this.write(() =>
      this.db
        .query(
          "INSERT OR REPLACE INTO tool_calls (id, session, created_at, tool, input, ok, error, output_bytes, ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .run(
          `${t.session}:${t.call}`,
          t.session,
          t.at ?? Date.now(),
          t.tool,
          redact(JSON.stringify(t.input ?? {})),
          t.ok ? 1 : 0,
          t.error == null ? null : redact(t.error),
          t.outputBytes,
          Math.round(t.ms),
        ),
    );
  }

  /** Deletes sessions with their messages and tool calls. Requests stay: spending history outlives transcripts. */
  removeSessions(ids: readonly string[]): number {
    if (!ids.length) return 0;
    return this.write(() => {
      let n = 0;
      for (const id of ids) {
        this.db.query("DELETE FROM messages WHERE session = ?").run(id);
        this.db.query("DELETE FROM tool_calls WHERE session = ?").run(id);
        n += this.db.query("DELETE FROM sessions WHERE id = ?").run(id).changes;
      }
      return n;
    });
  }

  /** Forgets usage statistics (requests); sessions and the payment ledger are untouched. */
  clearRequests(): number {
    return this.write(() => this.db.query("DELETE FROM requests").run().changes);
  }

  meta(key: string): string | undefined {
    return this.db.query<{ value: string }, [string]>("SELECT value FROM meta WHERE key = ?").get(key)?.value;
  }

  setMeta(key: string, value: string) {
    this.db.query("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(key, value);
  }

  /** Moves the WAL into the database file; call when idle (end of a run, REPL waiting for input). Never throws. */
  checkpoint() {
    try {
      this.db.exec("PRAGMA wal_checkpoint(PASSIVE)");
    } catch {
      // another process holds the file busy: the next idle moment or the autocheckpoint will do it
    }
  }

  close() {
    this.release();
    if (this.beating) clearInterval(this.beating);
    this.checkpoint();
    this.db.close();
  }
}
