// Recording a run as it happens, by watching the AgentEvent stream and the conversation array the loop appends to.
// The agent loop needs no store code: the recorder writes the user prompt before the run starts, then every message
// the loop appends (assistant answers, tool results) at the first event after it lands, requests when a model call
// ends, tool calls when they complete, and the partial answer of an interrupted turn (flagged `partial`).
// Writes are small synchronous IMMEDIATE transactions (~0.1 ms) made by the consumer of the event queue, while the
// loop keeps streaming: they never delay the model call or the answer.
// What a request cost is what the payer settled while it ran (`payment.settled`, the only channel for dollars); a
// `usage` event's own `usd` is never added, so the stats and the run's `result.usd` cannot disagree.
//
// Two processes continuing one session (src/store/lease.ts): resuming a session another live process holds gives a
// copy of it instead (a new id, created at its first write), and every write first checks that nobody else appended
// since this recorder last did; if someone did, the conversation goes on in a copy from there. Either way the user
// gets one line naming both ids, and each stored transcript stays in the order its own process wrote it.
import type { AgentEvent } from "../core/events";
import { newId } from "../core/id";
import type { Message } from "../llm/types";
import { storeError } from "./faults";
import { heldElsewhere } from "./lease";
import { resumable } from "./resume";
import { findSession, listSessions, loadMessages, toMessage } from "./sessions";
import type { Store, StoredRow } from "./store";

export type Resume = { latest?: boolean; id?: string };

export type OpenedSession = { id: string; resumed: boolean; history: Message[] };

/** A fork not yet written: its row and the copied messages are created with its first new message. */
type Copy = { cwd: string; model: string; rows: StoredRow[] };

/** What openSession found, for the SessionRecorder the caller makes next for the same id. */
const opened = new WeakMap<Store, { id: string; count?: number; copy?: Copy }>();

/**
 * Creates a session, or reopens one (`id`, or the latest in `cwd`) with the conversation the model saw. A session
 * another live runcode process is appending to is not reopened: the id returned is a new one for a copy of its
 * conversation (up to that process's last finished turn), and `warn` gets one line naming both.
 */
export function openSession(
  store: Store,
  o: { cwd: string; model: string; resume?: Resume; warn?: (line: string) => void; create?: boolean },
): OpenedSession {
  const target = o.resume?.id
    ? findSession(store, o.resume.id).id
    : o.resume?.latest
      ? listSessions(store, { cwd: o.cwd, limit: 1 })[0]?.id
      : undefined;
  if (o.resume?.latest && !target) o.warn?.(`no earlier session in ${o.cwd}; starting a new one`);
  if (target) {
    let note: string | undefined;
    // One IMMEDIATE transaction: of two processes resuming at once, exactly one gets the lease.
    const s = store.write((): OpenedSession => {
      const lease = store.lease(target);
      if (heldElsewhere(lease, store.owner)) {
        const from = store.db.query<{ cwd: string; model: string }, [string]>("SELECT cwd, model FROM sessions WHERE id = ?").get(target)!;
        const rows = store.rows(target, lease.settled);
        const id = newId("ses");
        opened.set(store, { id, copy: { ...from, rows } });
        note = `session ${target} is in use by another runcode process (pid ${lease.pid}); continuing in a copy of it: ${id}`;
        return { id, resumed: true, history: resumable(rows.map(toMessage)) };
      }
      const messages = loadMessages(store, target);
      store.hold(target, messages.length);
      opened.set(store, { id: target, count: messages.length });
      return { id: target, resumed: true, history: resumable(messages) };
    });
    if (note) o.warn?.(note);
    return s;
  }
  // Not saving (--no-session): a fresh id that exists only for this run.
  if (o.create === false) return { id: newId("ses"), resumed: false, history: [] };
  return { id: store.createSession({ cwd: o.cwd, model: o.model }), resumed: false, history: [] };
}

export class SessionRecorder {
  private current: string;
  /** Messages stored in `session` as this recorder knows them; undefined until its first write of a new session. */
  private count?: number;
  private copy?: Copy;
  /** Lines for the user (a fork made at a write), yielded as warnings by observe(). */
  private notes: string[] = [];
  /** The front end whose requests these are (ask, edit, repl), stored with each request for the dashboard. */
  client?: "ask" | "edit" | "repl";

  constructor(
    readonly store: Store,
    session: string,
    /** false (--no-session, session-save false): only usage is recorded, for stats; no transcript. */
    readonly transcript = true,
    private readonly now: () => number = Date.now,
  ) {
    this.current = session;
    const o = opened.get(store);
    opened.delete(store);
    if (o?.id === session) {
      this.count = o.count;
      this.copy = o.copy;
    }
    // One conversation at a time per store: the previous one's lease (a REPL's /clear, /resume) goes, and a run
    // that does not save holds none.
    store.release(transcript && o?.id === session && !o.copy ? session : undefined);
  }

  /** The session written to: the one given, or the copy this recorder continued in (see openSession). */
  get session(): string {
    return this.current;
  }

  /** The user's new message, stored before any model call so a crash cannot lose what was asked. */
  prompt(m: Message) {
    if (this.transcript) this.save([m]);
  }

  /** Appends after claiming the session; a failed write leaves this recorder as it was (the transaction rolled back). */
  private save(messages: Message[], partial = false) {
    if (!messages.length) return;
    const before = { current: this.current, count: this.count, copy: this.copy, notes: this.notes.length };
    try {
      this.store.write(() => {
        this.claim();
        this.store.append(this.current, messages, { partial });
        this.count = (this.count ?? 0) + messages.length;
      });
    } catch (err) {
      Object.assign(this, { current: before.current, count: before.count, copy: before.copy });
      this.notes.length = before.notes;
      throw err;
    }
  }

  /** Inside the write: makes sure the next append lands right after this recorder's own last one. */
  private claim() {
    const { store } = this;
    if (this.copy) {
      store.createCopy(this.current, this.copy);
      this.count = this.copy.rows.length;
      this.copy = undefined;
      store.hold(this.current, this.count);
      return;
    }
    const stored = store.messageCount(this.current);
    if (stored === undefined) return; // removed meanwhile: append says so
    const lease = store.lease(this.current);
    const other = heldElsewhere(lease, store.owner) ? lease : undefined;
    if (other || (this.count !== undefined && stored !== this.count)) {
      // Another process is in this conversation, or wrote to it since this one did: go on in a copy of what this
      // process saw (a new session it never knew: up to the other's last finished turn).
      const from = this.current;
      const upTo = this.count ?? other!.settled;
      const info = store.db.query<{ cwd: string; model: string }, [string]>("SELECT cwd, model FROM sessions WHERE id = ?").get(from)!;
      const rows = store.rows(from, upTo);
      const id = newId("ses");
      store.createCopy(id, { ...info, rows });
      this.current = id;
      this.count = rows.length;
      this.notes.push(
        `session ${from} was continued by another runcode process${other ? ` (pid ${other.pid})` : ""}; this conversation goes on in a copy of it: ${id}`,
      );
    }
    this.count ??= stored;
    store.hold(this.current, this.count);
  }

  /** Warnings to show now (a fork made at the last write). */
  private *drain(): Generator<AgentEvent> {
    for (const message of this.notes.splice(0)) yield { type: "warning", code: "session_forked", message };
  }

  /** For a REPL's next prompt: stores it and returns the conversation to send, by the same rules as a resume. */
  next(history: Message[], prompt: Message): Message[] {
    this.prompt(prompt);
    return resumable([...history, prompt]);
  }

  /**
   * Passes `events` through, persisting as they go. `messages` is the array the loop appends to; everything in it
   * when this starts is already stored. A failed write ends the run with a `store` error result.
   */
  async *observe(events: AsyncIterable<AgentEvent>, messages: Message[]): AsyncGenerator<AgentEvent> {
    let mark = messages.length;
    let turn: { start: number; model: string; requested?: string; fallback: boolean } | undefined;
    // Settled USD not yet on a request row: it goes on the next row written (the call it paid for, or the turn a
    // sub-agent's or a REPL command's payment reached the stream in), and nothing is left over when the run ends.
    let owed = 0;
    const take = () => {
      const usd = owed;
      owed = 0;
      return usd;
    };
    let route: unknown;
    let partial = "";
    const tools = new Map<string, { tool: string; input: unknown }>();
    // The loop runs ahead of its consumer (events are queued), so a message may land in the array before or after
    // the event that announces it; checking on every event stores each one at the first chance, in order.
    const sync = (end = messages.length, partial = false) => {
      if (end <= mark || !this.transcript) return;
      this.save(messages.slice(mark, end), partial);
      mark = end;
    };
    const request = (
      status: "ok" | "error" | "aborted",
      usage?: { input: number; output: number; cacheRead?: number; cacheWrite?: number },
      error?: string,
      model = turn?.model,
    ) => {
      if (!turn || !model) return;
      const { input = 0, output = 0, cacheRead, cacheWrite } = usage ?? {};
      this.store.recordRequest({
        session: this.transcript ? this.session : null,
        source: "agent",
        client: this.client,
        model,
        requested: turn.requested,
        input,
        output,
        cacheRead,
        cacheWrite,
        usd: take(),
        latencyMs: this.now() - turn.start,
        fallback: turn.fallback,
        status,
        error,
        route,
      });
    };
    const it = events[Symbol.asyncIterator]();
    yield* this.drain();
    for (;;) {
      const next = await it.next();
      if (next.done) return;
      let e = next.value;
      try {
        if (e.type !== "result") sync();
        switch (e.type) {
          case "turn.started":
            turn = { start: this.now(), model: e.model, fallback: false };
            partial = "";
            break;
          case "route.decided":
            route = { profile: e.profile, tier: e.tier, model: e.model, confidence: e.confidence, score: e.score, signals: e.signals };
            break;
          case "model.substituted":
            if (turn) Object.assign(turn, { requested: e.requested, model: e.model });
            break;
          case "model.fallback":
            // The failed attempt reached the gateway too: it is a request of its own.
            request("error", undefined, e.reason, e.from);
            if (turn) Object.assign(turn, { start: this.now(), requested: turn.requested ?? e.from, model: e.to, fallback: true });
            break;
          case "text.delta":
            partial += e.text;
            break;
          case "usage":
            if (turn) turn.model = e.model;
            // Outside a turn: a sub-agent's model call (forwarded by the SubAgent tool), a request of its own.
            else
              this.store.recordRequest({
                session: this.transcript ? this.session : null,
                source: "agent",
                client: this.client,
                model: e.model,
                input: e.input,
                output: e.output,
                usd: take(),
                latencyMs: null,
                status: "ok",
              });
            break;
          case "payment.settled":
            owed += e.usd;
            break;
          case "turn.completed":
            request("ok", e.usage);
            turn = undefined;
            partial = "";
            break;
          case "tool.started":
            tools.set(e.call, { tool: e.tool, input: e.input });
            break;
          case "tool.completed":
            if (this.transcript)
              this.store.recordToolCall({
                session: this.session,
                call: e.call,
                tool: e.tool,
                input: tools.get(e.call)?.input ?? {},
                ok: e.ok,
                error: e.error,
                outputBytes: e.output.length,
                ms: e.ms,
              });
            break;
          case "tool.denied":
            if (this.transcript)
              this.store.recordToolCall({
                session: this.session,
                call: e.call,
                tool: e.tool,
                input: tools.get(e.call)?.input ?? {},
                ok: false,
                error: `denied: ${e.reason}`,
                outputBytes: 0,
                ms: 0,
              });
            break;
          case "result": {
            const aborted = e.error?.code === "interrupted";
            if (!e.ok) request(aborted ? "aborted" : "error", undefined, e.error?.code);
            // Paid, but no request row was left to carry it (say, a sub-agent's call interrupted mid-answer).
            if (owed > 0)
              this.store.recordRequest({
                session: this.transcript ? this.session : null,
                source: "agent",
                client: this.client,
                model: e.model,
                input: 0,
                output: 0,
                usd: take(),
                latencyMs: null,
                status: e.ok ? "ok" : aborted ? "aborted" : "error",
                error: e.error?.code,
              });
            // A failed turn's last assistant message is the text streamed before the failure.
            const cut = !e.ok && turn !== undefined && messages.length > mark && messages.at(-1)?.role === "assistant";
            sync(cut ? messages.length - 1 : messages.length);
            if (cut) sync(messages.length, true);
            if (aborted && partial.trim() && messages.at(-1)?.role !== "assistant") {
              // What the user already saw stays in the transcript (and in memory, so a REPL resumes the same way).
              const m: Message = { role: "assistant", content: [{ type: "text", text: partial }] };
              messages.push(m);
              sync(messages.length, true);
            }
            // The turn is over: a process resuming this session now forks from here.
            if (this.transcript && this.count !== undefined && !this.copy) this.store.settle(this.current, this.count);
            break;
          }
          case "session.started":
          case "reasoning.delta":
          case "tool.output":
          case "file.changed":
          case "payment.failed":
          case "compact.boundary":
          case "hook.finished":
          case "warning":
            break;
          default:
            e satisfies never;
        }
      } catch (err) {
        // Disk full or a damaged file: the turn fails (the write rolled back), and exactly one result still ends it.
        const f = storeError(err, this.store.file);
        await it.return?.();
        const prev = e.type === "result" ? e : undefined;
        e = {
          type: "result",
          ok: false,
          text: prev?.text ?? partial,
          model: prev?.model ?? turn?.model ?? "",
          usd: prev?.usd ?? 0,
          usage: prev?.usage ?? { input: 0, output: 0 },
          turns: prev?.turns ?? 0,
          ms: prev?.ms ?? 0,
          error: { code: "store", message: f.message },
        };
        yield* this.drain();
        yield e;
        return;
      }
      yield* this.drain();
      yield e;
    }
  }
}
