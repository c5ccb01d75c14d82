// Reading sessions back: listing, resolving an id the user typed, loading the conversation for resume, search,
// and the retention policy. Writes go through Store; this file only reads (except retention, which calls Store).
import { ActionableError } from "../core/errors";
import type { Message } from "../llm/types";
import { ftsReady } from "./open";
import type { Store, StoredRow } from "./store";

export type SessionInfo = {
  id: string;
  started: number;
  updated: number;
  model: string;
  cwd: string;
  turns: number;
  messages: number;
  bytes: number;
  /** USD paid for this session's requests. */
  usd: number;
  title: string;
};

type Row = {
  id: string;
  created_at: bigint;
  updated_at: bigint;
  model: string;
  cwd: string;
  turns: bigint;
  messages: bigint;
  bytes: bigint;
  cost: bigint | null;
  title: string;
};

const SELECT = `SELECT s.id, s.created_at, s.updated_at, s.model, s.cwd, s.turns, s.messages, s.bytes, s.title,
  (SELECT SUM(cost) FROM requests r WHERE r.session = s.id) AS cost FROM sessions s`;

const info = (r: Row): SessionInfo => ({
  id: r.id,
  started: Number(r.created_at),
  updated: Number(r.updated_at),
  model: r.model,
  cwd: r.cwd,
  turns: Number(r.turns),
  messages: Number(r.messages),
  bytes: Number(r.bytes),
  usd: Number(r.cost ?? 0n) / 1_000_000,
  title: r.title,
});

/** Newest first. */
export function listSessions(store: Store, o: { cwd?: string; limit?: number } = {}): SessionInfo[] {
  const where = o.cwd === undefined ? "" : "WHERE s.cwd = ?";
  const args = o.cwd === undefined ? [] : [o.cwd];
  return store.read(() =>
    store.db
      .query<Row, string[]>(`${SELECT} ${where} ORDER BY s.updated_at DESC, s.id DESC LIMIT ${Math.max(1, o.limit ?? 1_000_000)}`)
      .all(...args)
      .map(info),
  );
}

/** The session a user means by `id`: an exact id or a unique prefix (ids are long). */
export function findSession(store: Store, id: string): SessionInfo {
  return store.read(() => find(store, id));
}

function find(store: Store, id: string): SessionInfo {
  const exact = store.db.query<Row, [string]>(`${SELECT} WHERE s.id = ?`).get(id);
  if (exact) return info(exact);
  const like = id.replace(/[\\%_]/g, (c) => `\\${c}`);
  const rows = store.db.query<Row, [string]>(`${SELECT} WHERE s.id LIKE ? ESCAPE '\\' ORDER BY s.id LIMIT 2`).all(`${like}%`);
  if (rows.length === 1) return info(rows[0]!);
  throw new ActionableError(
    rows.length ? `"${id}" matches several sessions` : `no session "${id}"`,
    rows.length ? "type more of the id (see `runcode sessions`)" : "list them with `runcode sessions`",
    "usage",
  );
}

/** The stored conversation exactly as appended, in order. */
export function loadMessages(store: Store, id: string): Array<Message & { partial: boolean }> {
  return store.read(() => store.rows(id).map(toMessage));
}

/** A stored row as the conversation holds it. */
export const toMessage = (r: StoredRow): Message & { partial: boolean } => ({
  role: r.role,
  content: JSON.parse(r.content) as Message["content"],
  partial: r.partial === 1n,
});

export type SearchHit = { session: string; title: string; role: string; snippet: string; at: number };

/** Message text matching `text`: FTS5 (words, prefix on the last one) when available, else a plain LIKE scan. */
export function searchSessions(store: Store, text: string, limit = 50): SearchHit[] {
  return store.read(() => search(store, text, limit));
}

function search(store: Store, text: string, limit: number): SearchHit[] {
  type Hit = { session: string; title: string; role: string; snippet: string; at: bigint };
  const words = text.match(/[\p{L}\p{N}_]+/gu) ?? [];
  let rows: Hit[];
  if (ftsReady(store.db) && words.length) {
    const match = words.map((w, i) => `"${w}"${i === words.length - 1 ? "*" : ""}`).join(" ");
    rows = store.db
      .query<Hit, [string, number]>(
        `SELECT m.session, s.title, m.role, snippet(messages_fts, 0, '[', ']', '…', 12) AS snippet, m.created_at AS at
         FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid JOIN sessions s ON s.id = m.session
         WHERE messages_fts MATCH ? ORDER BY m.created_at DESC LIMIT ?`,
      )
      .all(match, limit);
  } else {
    const like = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    rows = store.db
      .query<Hit, [string, number, string]>(
        `SELECT m.session, s.title, m.role, substr(m.text, max(1, instr(lower(m.text), lower(?3)) - 40), 120) AS snippet, m.created_at AS at
         FROM messages m JOIN sessions s ON s.id = m.session WHERE m.text LIKE ?1 ESCAPE '\\' ORDER BY m.created_at DESC LIMIT ?2`,
      )
      .all(like, limit, text);
  }
  return rows.map((r) => ({ ...r, snippet: r.snippet.replace(/\s+/g, " ").trim(), at: Number(r.at) }));
}

export type Retention = { days: number; maxCount: number; maxMb: number };

/**
 * Applies the retention policy, oldest sessions first, never touching `keep` (the session in use). 0 disables a
 * limit. The default keeps everything until the transcripts outgrow the size budget.
 */
export function applyRetention(store: Store, policy: Retention, keep?: string, now = Date.now()): number {
  const rows = store.read(() =>
    store.db
      .query<{ id: string; updated_at: bigint; bytes: bigint }, []>(
        "SELECT id, updated_at, bytes FROM sessions ORDER BY updated_at DESC, id DESC",
      )
      .all()
      // The session in use is kept whatever it costs, so it counts against the budget first.
      .sort((a, b) => Number(b.id === keep) - Number(a.id === keep)),
  );
  const drop: string[] = [];
  let total = 0;
  let kept = 0;
  for (const r of rows) {
    const bytes = Number(r.bytes);
    const old = policy.days > 0 && now - Number(r.updated_at) > policy.days * 86_400_000;
    const over = (policy.maxCount > 0 && kept >= policy.maxCount) || (policy.maxMb > 0 && total + bytes > policy.maxMb * 1_048_576);
    if (r.id !== keep && (old || over)) drop.push(r.id);
    else {
      kept++;
      total += bytes;
    }
  }
  return store.removeSessions(drop);
}
