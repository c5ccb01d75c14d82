// The cheap pipeline stages that run before every model call. Each is a pure function of the history (the input
// is never mutated; unchanged messages come back as the same objects) with a per-message memo, so running all of
// them on a 2,000-message history costs a few passes of map lookups, not a rewrite.
import type { ContentBlock, Message, ToolResultBlock } from "../llm/types";
import { callLabel, isToolResults, mapResults, memo, preview, resultText, toolUses, withText } from "./blocks";

export type OptimizeOptions = { thinkingTurns: number; resultCap: number; messageCap: number };
export const OPTIMIZE: OptimizeOptions = { thinkingTurns: 2, resultCap: 32_000, messageCap: 100_000 };

const thinkingMemo = memo();
const capMemo = memo();

/**
 * Drop thinking blocks older than the last `thinkingTurns` assistant messages (the model never needs its old
 * reasoning, and it is large), and cap tool results: `resultCap` characters each and `messageCap` per message,
 * keeping a head-and-tail preview.
 */
export function optimize(messages: readonly Message[], o: OptimizeOptions = OPTIMIZE): Message[] {
  let assistants = 0;
  const out = new Array<Message>(messages.length);
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.role === "assistant") {
      const old = ++assistants > o.thinkingTurns;
      out[i] =
        old && typeof m.content !== "string" && m.content.some((b) => b.type === "thinking")
          ? thinkingMemo(m, "", () => dropThinking(m))
          : m;
      continue;
    }
    out[i] = isToolResults(m) ? capMemo(m, `${o.resultCap}/${o.messageCap}`, () => capResults(m, o)) : m;
  }
  return out;
}

function dropThinking(m: Message): Message {
  const content = (m.content as ContentBlock[]).filter((b) => b.type !== "thinking");
  // An assistant message may not be empty; say what was there.
  return { role: m.role, content: content.length ? content : [{ type: "text", text: "[earlier reasoning omitted]" }] };
}

function capResults(m: Message, o: OptimizeOptions): Message {
  const blocks = (m.content as ContentBlock[]).filter((b): b is ToolResultBlock => b.type === "tool_result");
  const sizes = blocks.map((b) => Math.min(resultText(b).length, o.resultCap));
  const total = sizes.reduce((a, b) => a + b, 0);
  // Over the per-message cap, every result shares it evenly; small results keep all of their text.
  const cap = total > o.messageCap ? Math.max(1000, Math.floor(o.messageCap / blocks.length)) : o.resultCap;
  return mapResults(m, (b) => {
    const t = resultText(b);
    return t.length > cap ? withText(b, preview(t, cap)) : b;
  });
}

export type ReduceOptions = { ageAfter: number; ageCap: number };
export const REDUCE: ReduceOptions = { ageAfter: 10, ageCap: 4000 };
const reduceMemo = memo();
const SUPERSEDED = (label: string) => `[${label} was read again later; this older copy was dropped. See the newer result.]`;

/**
 * Normalise whitespace in tool results (CRLF, trailing blanks, runs of blank lines), replace older reads of the
 * same file (and range) with a pointer to the latest, and age results older than the last `ageAfter` tool-result
 * messages down to an `ageCap` preview.
 */
export function reduce(messages: readonly Message[], o: ReduceOptions = REDUCE): Message[] {
  const uses = toolUses(messages);
  const latest = new Map<string, string>(); // read key → newest tool_use id
  const superseded = new Set<string>();
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.role !== "assistant" || typeof m.content === "string") continue;
    for (let j = m.content.length - 1; j >= 0; j--) {
      const b = m.content[j]!;
      if (b.type !== "tool_use" || b.name !== "Read" || typeof b.input.file_path !== "string") continue;
      const key = `${b.input.file_path}:${b.input.offset ?? ""}:${b.input.limit ?? ""}`;
      if (latest.has(key)) superseded.add(b.id);
      else latest.set(key, b.id);
    }
  }
  let seen = 0;
  const out = new Array<Message>(messages.length);
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (!isToolResults(m)) {
      out[i] = m;
      continue;
    }
    const aged = ++seen > o.ageAfter;
    const ids = (m.content as ContentBlock[]).flatMap((b) =>
      b.type === "tool_result" && superseded.has(b.tool_use_id) ? [b.tool_use_id] : [],
    );
    out[i] = reduceMemo(m, `${aged}|${ids.join(",")}`, () =>
      mapResults(m, (b) => {
        if (superseded.has(b.tool_use_id)) return withText(b, SUPERSEDED(callLabel(uses.get(b.tool_use_id))));
        if (typeof b.content !== "string") return b;
        const t = normalise(b.content);
        const capped = aged ? preview(t, o.ageCap) : t;
        return capped === b.content ? b : withText(b, capped);
      }),
    );
  }
  return out;
}

export function normalise(s: string): string {
  return s
    .replace(/\r\n?/g, "\n")
    .replace(/[ \t]+$/gm, "")
    .replace(/\n{3,}/g, "\n\n");
}

export type MicroOptions = { after: number; keepRecent: number; keepSmall: number };
export const MICRO: MicroOptions = { after: 20, keepRecent: 8, keepSmall: 300 };
const microMemo = memo();

/**
 * Once the history is longer than `after` messages, replace old tool results with a one-line stub, keeping the
 * most recent `keepRecent` tool-result messages and any result under `keepSmall` characters (cheap, and often
 * the fact itself: "ok", an exit code, an error). The boundary moves in steps of `keepRecent` so the stubbed
 * prefix, and with it the provider's prompt cache, changes once every few turns rather than every turn.
 */
export function microcompact(messages: readonly Message[], o: MicroOptions = MICRO): Message[] {
  if (messages.length <= o.after) return [...messages];
  let total = 0;
  for (const m of messages) if (isToolResults(m)) total++;
  const step = Math.max(1, o.keepRecent);
  const stubbed = Math.floor(Math.max(0, total - o.keepRecent) / step) * step;
  if (!stubbed) return [...messages];
  const uses = toolUses(messages);
  let n = 0;
  return messages.map((m) => {
    if (!isToolResults(m) || n++ >= stubbed) return m;
    return microMemo(m, String(o.keepSmall), () =>
      mapResults(m, (b) => stub(b, uses.get(b.tool_use_id) && callLabel(uses.get(b.tool_use_id)), o.keepSmall)),
    );
  });
}

export const STUB_PREFIX = "[Tool result cleared to save context:";
function stub(b: ToolResultBlock, label: string | undefined, keepSmall: number): ToolResultBlock {
  const t = resultText(b);
  if (t.length <= keepSmall || t.startsWith(STUB_PREFIX)) return b;
  return withText(
    b,
    `${STUB_PREFIX} ${label ?? "tool"}, ${t.length} characters${b.is_error ? ", an error" : ""}. Run it again if you need it.]`,
  );
}
