import { describe, expect, test } from "bun:test";
import { extractInstructions, SECTIONS, splitPoint, summaryMessage, summaryOf, summaryPrompt, userWords } from "../../src/context/compact";
import { trim } from "../../src/context/trim";
import { messagesTokens, messageTokens } from "../../src/context/tokens";
import { allText, fact, history, instruction, pairsIntact } from "./history";

describe("selective compaction pieces", () => {
  test("split point: 8-20 recent messages, starting at an assistant message", () => {
    const ms = history({ turns: 40, resultBytes: 200 });
    const k = splitPoint(ms, messageTokens, 1e9);
    expect(ms[k]!.role).toBe("assistant");
    expect(ms.length - k).toBeGreaterThanOrEqual(8);
    expect(ms.length - k).toBeLessThanOrEqual(21);
    expect(pairsIntact(ms.slice(k))).toBe(true);
    // A tight tail budget keeps fewer (but at least one exchange).
    const tight = splitPoint(history({ turns: 40, resultBytes: 20_000 }), messageTokens, 100);
    expect(81 - tight).toBeLessThanOrEqual(3);
    expect(splitPoint(history({ turns: 0 }), messageTokens, 1e9)).toBe(0);
  });

  test("huge user messages keep their instructions verbatim", () => {
    const pasted = Array.from({ length: 2000 }, (_, i) => `log line ${i}: ok`).join("\n");
    const text = `Fix the flaky test.\n${pasted}\nNever touch the migrations folder.\n${pasted}\nAlways run bun test before answering.`;
    const out = extractInstructions(text, 2000);
    expect(out.length).toBeLessThan(2200);
    expect(out).toContain("Fix the flaky test.");
    expect(out).toContain("Never touch the migrations folder.");
    expect(out).toContain("Always run bun test before answering.");
    expect(out).toContain("characters of pasted material omitted");
    expect(extractInstructions("short", 2000)).toBe("short");
  });

  test("user words exclude tool results; the summary message carries todos and files", () => {
    const ms = history({ turns: 10, userEvery: 5 });
    const words = userWords(ms, Infinity);
    expect(words).toEqual([`${instruction(0)}\nRefactor the project.`, instruction(5), instruction(10)]);
    const m = summaryMessage("## Goal\nrefactor", words, {
      todos: [{ content: "split module", status: "in_progress" }],
      files: ["src/a.ts"],
    });
    const text = m.content as string;
    for (const w of words) expect(text).toContain(w);
    expect(text).toContain("- [~] split module");
    expect(text).toContain("- src/a.ts");
    expect(summaryOf(m)).toBe("## Goal\nrefactor");
  });

  test("the summariser prompt asks for the seven sections and is bounded", () => {
    const p = summaryPrompt(history({ turns: 200, resultBytes: 5000 }), {
      maxChars: 50_000,
      focus: "the parser",
      previous: "## Goal\nold",
    });
    for (const s of SECTIONS) expect(p).toContain(`## ${s}`);
    expect(p).toContain("focus on: the parser");
    expect(p).toContain("<previous-summary>");
    expect(p.length).toBeLessThan(52_000);
  });
});

describe("fallback", () => {
  test("fits any budget, keeps pairs and the first message", () => {
    const ms = history({ turns: 100, resultBytes: 8000, userEvery: 10 });
    for (const budget of [50_000, 10_000, 3000, 800]) {
      const out = trim(ms, budget, messagesTokens);
      expect(messagesTokens(out)).toBeLessThanOrEqual(budget);
      expect(pairsIntact(out)).toBe(true);
      expect(out[0]!.role).toBe("user");
      expect(allText(out)).toContain("INSTRUCTION-0");
    }
  });

  test("under budget: unchanged", () => {
    const ms = history({ turns: 3 });
    expect(trim(ms, 1e9, messagesTokens)).toEqual(ms);
  });

  test("user instructions survive while old tool output goes first", () => {
    const ms = history({ turns: 60, resultBytes: 4000, userEvery: 10 });
    const out = trim(ms, 12_000, messagesTokens);
    for (const i of [0, 10, 20, 30, 40, 50, 60]) expect(allText(out)).toContain(instruction(i));
    expect(allText(out)).toContain(fact(60));
  });
});

describe("recent results across a compaction", () => {
  test("previews of the last results before the tail, oldest first, labelled by call", async () => {
    const { recentResults } = await import("../../src/context/compact");
    const out = recentResults(history({ turns: 10, resultBytes: 5000 }), 3, 800);
    expect(out.length).toBe(3);
    expect(out[0]).toContain(fact(8));
    expect(out[2]).toContain(fact(10));
    expect(out[2]).toContain('of="Read(src/f10.ts)"');
    expect(out[2]!.length).toBeLessThan(1100);
  });
});
