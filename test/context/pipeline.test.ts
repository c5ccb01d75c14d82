import { describe, expect, test } from "bun:test";
import { compactNow, contextBreakdown, createContext, MAX_FAILURES, prepareContext, type Summarize } from "../../src/context";
import { SUMMARY_HEAD } from "../../src/context/compact";
import { messagesTokens } from "../../src/context/tokens";
import type { Message } from "../../src/llm/types";
import { allText, fact, history, instruction, pairsIntact } from "./history";

const SUMMARY =
  "## Goal\nRefactor\n## Progress\nread files\n## Decisions\n-\n## Files Modified\n-\n## Tool Results Still Relevant\n-\n## User Preferences & Corrections\n-\n## Next Steps\ncontinue";
const model = { context: 32_000, maxOutput: 8192 };

function summarizer(reply: () => string = () => SUMMARY) {
  const prompts: string[] = [];
  const fn: Summarize = async (p) => (prompts.push(p), reply());
  return { fn, prompts };
}

/** Grows a history turn by turn, preparing before each "model call", like the loop does. */
async function session(turns: number, s: ReturnType<typeof createContext>, bytes = 6000) {
  const full = history({ turns, resultBytes: bytes, userEvery: 25 });
  const h: Message[] = [];
  const sent: Message[][] = [];
  const events = [];
  for (const m of full) {
    h.push(m);
    if (m.role !== "user") continue;
    const r = await prepareContext(s, h, { system: "sys", maxTokens: 8192 });
    sent.push(r.messages);
    events.push(...r.events);
  }
  return { h, sent, events };
}

describe("prepareContext", () => {
  test("a long session stays under the window, keeps every user instruction and recent facts", async () => {
    const sum = summarizer();
    const s = createContext({
      model,
      summarize: sum.fn,
      extras: () => ({ todos: [{ content: "finish", status: "pending" }], files: ["src/x.ts"] }),
    });
    const { h, sent, events } = await session(300, s);
    for (const ms of sent) {
      expect(messagesTokens(ms)).toBeLessThan(32_000 - 8192);
      expect(pairsIntact(ms)).toBe(true);
      expect(ms[0]!.role).toBe("user");
    }
    const last = allText(sent.at(-1)!);
    for (let i = 0; i <= 300; i += 25) expect(last).toContain(instruction(i));
    for (let t = 296; t <= 300; t++) expect(last).toContain(fact(t));
    expect(last).toContain(SUMMARY_HEAD);
    expect(last).toContain("- [ ] finish");
    expect(last).toContain("src/x.ts");
    const boundaries = events.filter((e) => e.type === "compact.boundary");
    expect(boundaries.length).toBeGreaterThan(0);
    for (const b of boundaries) if (b.type === "compact.boundary") expect(b.after).toBeLessThan(b.before);
    expect(events.filter((e) => e.type === "warning" && e.code === "context_70").length).toBeLessThanOrEqual(1);
    expect(h.length).toBeGreaterThan(600); // the history itself is kept whole
    expect(sum.prompts.length).toBeGreaterThan(0);
  });

  test("rejects a summary that does not shrink; circuit breaker after 3 failures; fallback still fits", async () => {
    let calls = 0;
    const s = createContext({ model, summarize: async () => (calls++, "x".repeat(400_000)) });
    const { sent, events } = await session(120, s);
    expect(calls).toBe(MAX_FAILURES);
    const warnings = events.filter((e) => e.type === "warning" && e.code === "compact_failed");
    expect(warnings.length).toBe(MAX_FAILURES);
    for (const ms of sent) expect(messagesTokens(ms)).toBeLessThan(32_000 - 8192);
  });

  test("a failing summariser counts as a failure too", async () => {
    let calls = 0;
    const s = createContext({
      model,
      summarize: async () => {
        calls++;
        throw new Error("503 from gateway");
      },
    });
    const { events } = await session(120, s);
    expect(calls).toBe(MAX_FAILURES);
    expect(JSON.stringify(events)).toContain("503 from gateway");
  });

  test("auto-compact off: trimming only", async () => {
    const sum = summarizer();
    const s = createContext({ model, summarize: sum.fn, auto: false });
    const { sent } = await session(100, s);
    expect(sum.prompts.length).toBe(0);
    for (const ms of sent) expect(messagesTokens(ms)).toBeLessThan(32_000 - 8192);
  });

  test("warns once at 70% of the window", async () => {
    const s = createContext({ model: { context: 200_000, maxOutput: 8192 } });
    const h: Message[] = [{ role: "user", content: "pasted log line\n".repeat(28_000) }];
    const e1 = (await prepareContext(s, h)).events;
    const e2 = (await prepareContext(s, h)).events;
    expect(e1.map((e) => e.type === "warning" && e.code)).toContain("context_70");
    expect(e2.length).toBe(0);
  });

  test("compactNow with instructions, and the /context breakdown", async () => {
    const sum = summarizer();
    const s = createContext({ model: { context: 200_000, maxOutput: 8192 }, summarize: sum.fn });
    const h = history({ turns: 40, resultBytes: 3000 });
    const system = `You are runcode.\n<instructions file="/p/AGENTS.md">\nuse tabs\n</instructions>`;
    await prepareContext(s, h, { system });
    const before = await contextBreakdown(s, { system });
    const ev = await compactNow(s, "keep the parser details");
    expect(sum.prompts[0]).toContain("focus on: keep the parser details");
    const b = ev.find((e) => e.type === "compact.boundary");
    expect(b).toMatchObject({ type: "compact.boundary", trigger: "manual" });
    const after = await contextBreakdown(s, { system, exact: true });
    expect(after.files).toBeGreaterThan(0);
    expect(after.system).toBeGreaterThan(0);
    expect(after.compacted).toBeGreaterThan(0);
    expect(after.history).toBeLessThan(before.history);
    expect(after.total).toBe(after.system + after.files + after.tools + after.history);
  });

  test("a new history (REPL /clear) resets the compaction state", async () => {
    const s = createContext({ model, summarize: summarizer().fn });
    await session(80, s);
    expect(s.cut).toBeGreaterThan(0);
    await prepareContext(s, [{ role: "user", content: "hi" }]);
    expect(s.cut).toBe(0);
    expect(s.summary).toBeUndefined();
  });
});
