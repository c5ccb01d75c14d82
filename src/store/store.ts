// The one writer path to runcode.db for sessions and usage. Every write is a short IMMEDIATE transaction, so a REPL
// and a proxy writing at once queue on the busy timeout instead of failing with "database is locked", and a write
// that fails (disk full, I/O error) rolls back whole: a message is stored completely or not at all.
// Statements go through db.query(), which compiles each SQL string once per connection and caches it.
import type { Database } from "bun:sqlite";
import { newId } from "../core/id";
import { redact } from "../core/secrets";
import type { ContentBlock, Message } from "../llm/types";
import { storeError } from "./faults";

export type RequestRecord = {
  id?: string;
  session?: string | null;
  source: "agent" | "proxy" | "import";
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
          `INSERT OR IGNORE INTO requests (id, created_at, session, source, model, requested, input, output, cache_read, cache_write, cost, latency_ms, fallback, status, error, route, count)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          id,
          at,
          r.session ?? null,
          r.source,
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
    this.checkpoint();
    this.db.close();
  }
}
