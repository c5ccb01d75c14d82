// Import of the original's files, the resumed conversation, stats arithmetic, and the recorder's failure path.
import { afterEach, describe, expect, test } from "bun:test";
import { cpSync } from "node:fs";
import { join } from "node:path";
import { cleanup, ROOT, tempDir } from "../helpers";
import type { AgentEvent } from "../../src/core/events";
import type { Message } from "../../src/llm/types";
import { openStore } from "../../src/store/open";
import { openSession, SessionRecorder } from "../../src/store/recorder";
import { resumable } from "../../src/store/resume";
import { listSessions, loadMessages } from "../../src/store/sessions";
import { computeStats } from "../../src/store/stats";

const dirs: string[] = [];
afterEach(() => cleanup(...dirs.splice(0)));
const home = () => {
  const d = tempDir("runcode-hist-");
  dirs.push(d);
  return d;
};

describe("import of the original's history", () => {
  test("sessions and stats are imported once, corrupt lines counted and reported once", () => {
    const h = home();
    cpSync(join(ROOT, "test", "fixtures", "original-home"), h, { recursive: true });
    const warnings: string[] = [];
    const store = openStore({ home: h, warn: (l) => warnings.push(l) });
    expect(warnings).toEqual(["imported 2 session(s) (8 messages) and 5 request(s) from the original RunCode; skipped 4 corrupt lines"]);
    const sessions = listSessions(store);
    expect(sessions.map((s) => [s.id, s.cwd, s.model, s.turns, s.messages, s.started])).toEqual([
      ["session-2025-03-02T09-30-00", "/home/dev/poems", "nvidia/gpt-oss-120b", 2, 4, Date.parse("2025-03-02T09:30:00.000Z")],
      ["session-2025-03-01T10-00-00", "/home/dev/webapp", "anthropic/claude-sonnet-4.6", 1, 4, 1740823200000],
    ]);
    expect(loadMessages(store, "session-2025-03-01T10-00-00")[1]!.content).toEqual([
      { type: "text", text: "Let me look at the test." },
      { type: "tool_use", id: "toolu_01", name: "Read", input: { file_path: "test/login.test.ts" } },
    ]);
    const s = computeStats(store);
    expect(s.total).toMatchObject({ requests: 5, input: 5200, output: 1400, fallbacks: 1 });
    expect(s.total.usd).toBeCloseTo(0.0312, 6);
    store.close();
    const again = openStore({ home: h, warn: (l) => warnings.push(l) });
    expect(warnings).toHaveLength(1);
    expect(listSessions(again)).toHaveLength(2);
    expect(computeStats(again).total.requests).toBe(5);
    again.close();
  });
});

describe("resume", () => {
  test("a prompt whose answer never came is merged with the next one", () => {
    const stored: Message[] = [
      { role: "user", content: "one" },
      { role: "assistant", content: [{ type: "text", text: "ok" }] },
      { role: "user", content: "two (killed)" },
      { role: "user", content: "three" },
    ];
    expect(resumable(stored)).toEqual([stored[0]!, stored[1]!, { role: "user", content: "two (killed)\n\nthree" }]);
  });

  test("a tool call left without a result gets an error result", () => {
    const stored: Message[] = [
      { role: "user", content: "go" },
      { role: "assistant", content: [{ type: "tool_use", id: "t1", name: "Bash", input: { command: "sleep 100" } }] },
      { role: "user", content: "what happened?" },
    ];
    const out = resumable(stored);
    expect(out[2]!.content).toEqual([
      { type: "tool_result", tool_use_id: "t1", content: expect.stringContaining("interrupted"), is_error: true },
      { type: "text", text: "what happened?" },
    ]);
    expect(resumable(out)).toEqual(out); // resuming again gives the same conversation
  });
});

describe("stats", () => {
  test("totals, groups, average and nearest-rank p95, savings against Opus", () => {
    const store = openStore({ home: home(), warn: () => {} });
    const day = Date.parse("2026-01-10T12:00:00Z");
    for (let i = 1; i <= 20; i++)
      store.recordRequest({
        source: "agent",
        model: i % 2 ? "a" : "b",
        input: 1000,
        output: 100,
        usd: 0.001,
        latencyMs: i * 10,
        fallback: i === 3,
        status: "ok",
        at: day + (i > 10 ? 86_400_000 : 0),
      });
    const s = computeStats(store, { by: "model" });
    expect(s.total).toMatchObject({ requests: 20, input: 20_000, output: 2000, fallbacks: 1, avgMs: 105, p95Ms: 190 });
    expect(s.total.usd).toBeCloseTo(0.02, 9);
    expect(s.total.opusUsd).toBeCloseTo((20_000 * 5 + 2000 * 25) / 1e6, 9);
    expect(s.total.savingsUsd).toBeCloseTo(0.15 - 0.02, 9);
    expect(s.groups.map((g) => [g.key, g.requests])).toEqual([
      ["a", 10],
      ["b", 10],
    ]);
    expect(computeStats(store, { by: "day" }).groups.map((g) => g.key)).toEqual(["2026-01-10", "2026-01-11"]);
    expect(computeStats(store, { since: day + 1 }).total.requests).toBe(10);
    store.close();
  });
});

describe("recorder", () => {
  test("a write that fails (disk full) ends the run with one store error result", async () => {
    const store = openStore({ home: home(), warn: () => {}, maxPages: 60 });
    const id = store.createSession({ cwd: "/p", model: "m" });
    const rec = new SessionRecorder(store, id);
    const messages: Message[] = [{ role: "user", content: "hi" }];
    rec.prompt(messages[0]!);
    const big = "z".repeat(400_000);
    async function* run(): AsyncGenerator<AgentEvent> {
      yield { type: "turn.started", turn: 1, model: "m" };
      yield { type: "text.delta", text: "partial" };
      messages.push({ role: "assistant", content: [{ type: "text", text: big }] });
      yield { type: "turn.completed", turn: 1, stop: "end_turn", usage: { input: 1, output: 1 } };
      yield { type: "result", ok: true, text: big, model: "m", usd: 0, usage: { input: 1, output: 1 }, turns: 1, ms: 1 };
    }
    const seen: AgentEvent[] = [];
    for await (const e of rec.observe(run(), messages)) seen.push(e);
    const results = seen.filter((e) => e.type === "result");
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ ok: false, error: { code: "store", message: expect.stringContaining("is full") } });
    expect(loadMessages(store, id).map((m) => m.content)).toEqual(["hi"]);
    expect(store.db.query("PRAGMA integrity_check").get()).toEqual({ integrity_check: "ok" });
    store.close();
  });
});

describe("recorder across REPL turns", () => {
  test("next() stores each prompt; observe() stores what the loop appends; a resume sees the same conversation", async () => {
    const store = openStore({ home: home(), warn: () => {} });
    const id = store.createSession({ cwd: "/p", model: "m" });
    const rec = new SessionRecorder(store, id);
    let messages: Message[] = [];
    for (const q of ["one", "two"]) {
      messages = rec.next(messages, { role: "user", content: q });
      const conv = messages;
      async function* run(): AsyncGenerator<AgentEvent> {
        yield { type: "turn.started", turn: 1, model: "m" };
        conv.push({ role: "assistant", content: [{ type: "text", text: `re ${q}` }] });
        yield { type: "turn.completed", turn: 1, stop: "end_turn", usage: { input: 3, output: 2 } };
        yield { type: "result", ok: true, text: `re ${q}`, model: "m", usd: 0, usage: { input: 3, output: 2 }, turns: 1, ms: 1 };
      }
      for await (const _ of rec.observe(run(), conv));
    }
    expect(resumable(loadMessages(store, id))).toEqual(messages);
    expect(computeStats(store).total).toMatchObject({ requests: 2, input: 6, output: 4 });
    store.close();
  });
});

describe("two stores, one session", () => {
  test("a writer whose lease another took over (it stopped past the TTL) goes on in a copy of what it saw, with one note", async () => {
    const h = home();
    const a = openStore({ home: h, warn: () => {} });
    const id = a.createSession({ cwd: "/p", model: "m" });
    const ra = new SessionRecorder(a, id);
    let mine = ra.next([], { role: "user", content: "a1" });
    // a stops (Ctrl-Z) long enough for its lease to go stale; b resumes the session in place and writes.
    a.db.run("UPDATE leases SET beat_at = 0");
    const b = openStore({ home: h, warn: () => {} });
    const warned: string[] = [];
    const opened = openSession(b, { cwd: "/p", model: "m", resume: { id }, warn: (l) => warned.push(l) });
    expect(opened.id).toBe(id);
    expect(warned).toEqual([]);
    const rb = new SessionRecorder(b, id);
    rb.next(opened.history, { role: "user", content: "b1" });
    // a wakes up and writes its next message: not after b's, but in a copy.
    const conv = mine;
    async function* run(): AsyncGenerator<AgentEvent> {
      conv.push({ role: "assistant", content: [{ type: "text", text: "re a1" }] });
      yield { type: "turn.completed", turn: 1, stop: "end_turn", usage: { input: 1, output: 1 } };
      yield { type: "result", ok: true, text: "re a1", model: "m", usd: 0, usage: { input: 1, output: 1 }, turns: 1, ms: 1 };
    }
    const events: AgentEvent[] = [];
    for await (const e of ra.observe(run(), conv)) events.push(e);
    const notes = events.filter((e) => e.type === "warning");
    expect(notes).toHaveLength(1);
    expect(ra.session).not.toBe(id);
    expect((notes[0] as { message: string }).message).toBe(
      `session ${id} was continued by another runcode process (pid ${process.pid}); this conversation goes on in a copy of it: ${ra.session}`,
    );
    const text = (s: string) => loadMessages(a, s).map((m) => (typeof m.content === "string" ? m.content : JSON.stringify(m.content)));
    expect(text(id)).toEqual(["a1", "b1"]);
    expect(text(ra.session)).toEqual(["a1", JSON.stringify([{ type: "text", text: "re a1" }])]);
    mine = conv;
    expect(resumable(loadMessages(a, ra.session))).toEqual(mine);
    a.close();
    b.close();
  });
});
