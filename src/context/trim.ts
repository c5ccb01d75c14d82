// The last stage: when the history is still over budget (compaction off, failed, or not enough), trim harder, step
// by step, until it fits. The order follows what matters least: old tool output, then whole old tool exchanges,
// then old assistant prose, and only at the end the user's words (their instructions are kept while anything is).
import type { Message } from "../llm/types";
import { isToolResults, isUserText, preview } from "./blocks";
import { droppablePair, extractInstructions } from "./compact";
import { microcompact, optimize } from "./stages";

/** Trim `view` until `cost(view)` ≤ `budget`. Never separates a tool_use from its tool_result. */
export function trim(view: readonly Message[], budget: number, cost: (ms: readonly Message[]) => number): Message[] {
  let ms = [...view];
  if (cost(ms) <= budget) return ms;
  // 1. Stub every tool result but the latest turn's, and cap what remains.
  ms = optimize(microcompact(ms, { after: 0, keepRecent: 1, keepSmall: 200 }), { thinkingTurns: 1, resultCap: 8000, messageCap: 16_000 });
  if (cost(ms) <= budget) return ms;
  // 2. Drop the oldest tool exchanges (assistant + its results), keeping the first message and the last two.
  for (let i = 1; i + 1 < ms.length - 2 && cost(ms) > budget; ) {
    if (droppablePair(ms[i], ms[i + 1])) ms.splice(i, 2);
    else i++;
  }
  if (cost(ms) <= budget) return ms;
  // 3. Shrink everything but the last two messages: assistant prose to a preview, user words to their instructions.
  for (const cap of [2000, 500, 200]) {
    ms = ms.map((m, i) => (i >= ms.length - 2 ? m : shrink(m, cap)));
    if (cost(ms) <= budget) return ms;
  }
  // 4. Only the first message (the task, or the compaction summary) and the latest exchange, cut to fit.
  const tail = ms.length > 2 && isToolResults(ms[ms.length - 1]!) ? ms.slice(-2) : ms.slice(-1);
  ms = [ms[0]!, ...tail.filter((m) => m !== ms[0])];
  for (let cap = 4000; cap >= 100 && cost(ms) > budget; cap = Math.floor(cap / 2)) ms = ms.map((m) => shrink(m, cap, true));
  return ms;
}

function shrink(m: Message, cap: number, results = false): Message {
  const cut = (t: string) => (isUserText(m) ? extractInstructions(t, cap) : preview(t, cap));
  if (typeof m.content === "string") return m.content.length > cap ? { role: m.role, content: cut(m.content) } : m;
  let changed = false;
  const content = m.content.map((b) => {
    if (b.type === "text" && b.text.length > cap) return ((changed = true), { ...b, text: cut(b.text) });
    if (results && b.type === "tool_result" && typeof b.content === "string" && b.content.length > cap)
      return ((changed = true), { ...b, content: preview(b.content, cap) });
    if (results && b.type === "tool_use" && JSON.stringify(b.input).length > cap)
      return ((changed = true), { ...b, input: { note: "[input cut to save context]" } });
    return b;
  });
  return changed ? { role: m.role, content } : m;
}
