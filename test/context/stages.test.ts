import { describe, expect, test } from "bun:test";
import { microcompact, normalise, optimize, reduce, STUB_PREFIX } from "../../src/context/stages";
import { resultText } from "../../src/context/blocks";
import type { Message, ToolResultBlock } from "../../src/llm/types";
import { fact, history, pairsIntact } from "./history";

const results = (ms: readonly Message[]) =>
  ms.flatMap((m) => (typeof m.content === "string" ? [] : m.content.filter((b): b is ToolResultBlock => b.type === "tool_result")));
const frozen = (ms: Message[]) => JSON.stringify(ms);

describe("optimize", () => {
  test("drops thinking older than the last 2 assistant turns, never empties a message", () => {
    const ms = history({ turns: 5, thinking: true, resultBytes: 100 });
    ms[1] = { role: "assistant", content: [{ type: "thinking", thinking: "only thoughts" }] };
    const before = frozen(ms);
    const out = optimize(ms);
    const thinking = out.map((m) => typeof m.content !== "string" && m.content.some((b) => b.type === "thinking"));
    expect(thinking.filter(Boolean).length).toBe(2);
    expect(thinking.lastIndexOf(true)).toBe(9);
    expect(out[1]!.content).toEqual([{ type: "text", text: "[earlier reasoning omitted]" }]);
    expect(frozen(ms)).toBe(before); // the history itself is never changed
    expect(out[2]).toBe(ms[2]!); // unchanged messages are the same objects (token cache keeps hitting)
  });

  test("caps each result at 32,000 characters and a message at 100,000, with a preview", () => {
    const big = "a".repeat(50_000);
    const one: Message[] = [{ role: "user", content: [{ type: "tool_result", tool_use_id: "x", content: `HEAD ${big} TAIL` }] }];
    const r = resultText(results(optimize(one))[0]!);
    expect(r.length).toBeLessThan(32_500);
    expect(r.startsWith("HEAD")).toBe(true);
    expect(r.endsWith("TAIL")).toBe(true);
    expect(r).toContain("characters cut to save context");
    const many: Message[] = [
      {
        role: "user",
        content: Array.from({ length: 6 }, (_, i) => ({ type: "tool_result" as const, tool_use_id: `t${i}`, content: "b".repeat(30_000) })),
      },
    ];
    const total = results(optimize(many)).reduce((n, b) => n + resultText(b).length, 0);
    expect(total).toBeLessThanOrEqual(100_000 + 6 * 200);
  });

  test("memoised: the same input message gives the same output object", () => {
    const ms = history({ turns: 3, resultBytes: 40_000 });
    expect(optimize(ms)[2]).toBe(optimize(ms)[2]!);
  });
});

describe("reduce", () => {
  test("keeps only the latest read of the same file", () => {
    const ms = history({ turns: 41, resultBytes: 100 }); // turn 1 and turn 41 both read src/f1.ts
    const out = reduce(ms);
    expect(resultText(results(out)[0]!)).toContain("was read again later");
    expect(resultText(results(out)[40]!)).toContain(fact(41));
    expect(pairsIntact(out)).toBe(true);
  });

  test("ages results older than the last 10 to a preview; recent ones stay whole", () => {
    const ms = history({ turns: 15, resultBytes: 10_000 });
    const rs = results(reduce(ms, { ageAfter: 10, ageCap: 4000 }));
    expect(resultText(rs[0]!).length).toBeLessThan(4200);
    expect(resultText(rs[0]!)).toContain(fact(1)); // the head (where facts usually are) survives
    expect(resultText(rs[14]!).length).toBeGreaterThan(10_000);
  });

  test("normalises whitespace in tool output only", () => {
    expect(normalise("a  \r\nb\t\n\n\n\nc")).toBe("a\nb\n\nc");
    const ms: Message[] = [{ role: "user", content: "keep   \n\n\n\nthis" }];
    expect(reduce(ms)[0]).toBe(ms[0]!);
  });
});

describe("microcompact", () => {
  test("stubs old results with a one-line label, keeps recent and small ones", () => {
    const ms = history({ turns: 30, resultBytes: 2000 });
    ms.splice(2, 1, { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: "exit 0" }] });
    const out = microcompact(ms, { after: 20, keepRecent: 8, keepSmall: 300 });
    const rs = results(out).map(resultText);
    expect(rs[0]).toBe("exit 0");
    expect(rs[1]).toStartWith(STUB_PREFIX);
    expect(rs[1]).toContain("Read(src/f2.ts)");
    expect(rs.slice(-8).every((r) => !r.startsWith(STUB_PREFIX))).toBe(true);
    expect(pairsIntact(out)).toBe(true);
  });

  test("the boundary moves in steps, so the prefix (and the prompt cache) is stable between steps", () => {
    const stubs = (turns: number) =>
      results(microcompact(history({ turns, resultBytes: 1000 }))).filter((b) => resultText(b).startsWith(STUB_PREFIX)).length;
    expect(stubs(17)).toBe(8);
    expect(stubs(20)).toBe(8);
    expect(stubs(23)).toBe(8);
    expect(stubs(24)).toBe(16);
  });

  test("short histories are left alone", () => {
    const ms = history({ turns: 5, resultBytes: 5000 });
    expect(microcompact(ms)).toEqual(ms);
  });
});
