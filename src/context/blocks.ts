// Small helpers the pipeline stages share: reading and rewriting tool results without mutating the history, and
// a per-message memo so a stage rebuilds a message only when its decision about that message changes.
import type { ContentBlock, Message, ToolResultBlock, ToolUseBlock } from "../llm/types";

/** A user message that carries tool results (the loop puts all of one turn's results in one message). */
export const isToolResults = (m: Message) =>
  m.role === "user" && typeof m.content !== "string" && m.content.some((b) => b.type === "tool_result");

/** Something the user said (text or images), as opposed to tool results the loop sends on the user's behalf. */
export const isUserText = (m: Message) =>
  m.role === "user" && (typeof m.content === "string" || m.content.some((b) => b.type === "text" || b.type === "image"));

export function resultText(b: ToolResultBlock): string {
  if (typeof b.content === "string") return b.content;
  return b.content.map((c) => (c.type === "text" ? c.text : "[image]")).join("\n");
}

export function messageText(m: Message): string {
  if (typeof m.content === "string") return m.content;
  return m.content
    .map((b) => (b.type === "text" ? b.text : ""))
    .filter(Boolean)
    .join("\n");
}

/**
 * A copy of `m` with each tool result passed through `f` (return the block itself to keep it). Returns `m`
 * itself when nothing changed, so downstream caches keyed on the message object keep hitting.
 */
export function mapResults(m: Message, f: (b: ToolResultBlock, i: number) => ToolResultBlock): Message {
  if (typeof m.content === "string") return m;
  let changed = false;
  let i = 0;
  const content: ContentBlock[] = m.content.map((b) => {
    if (b.type !== "tool_result") return b;
    const out = f(b, i++);
    if (out !== b) changed = true;
    return out;
  });
  return changed ? { role: m.role, content } : m;
}

/** Head and tail of `s` in at most about `cap` characters, with a note of what was cut and how to get it back. */
export function preview(s: string, cap: number): string {
  if (s.length <= cap) return s;
  const head = Math.floor(cap * 0.75);
  const tail = Math.max(0, cap - head - 120);
  return `${s.slice(0, head)}\n[… ${s.length - head - tail} of ${s.length} characters cut to save context; run the tool again for the full output …]\n${tail ? s.slice(-tail) : ""}`;
}

export const withText = (b: ToolResultBlock, text: string): ToolResultBlock => ({ ...b, content: text });

type Memo = { key: string; out: Message };
/** A per-stage cache: `build` runs again only when the stage's decision `key` for this message changes. */
export function memo(): (m: Message, key: string, build: () => Message) => Message {
  const cache = new WeakMap<Message, Memo>();
  return (m, key, build) => {
    const hit = cache.get(m);
    if (hit && hit.key === key) return hit.out;
    const out = build();
    cache.set(m, { key, out });
    return out;
  };
}

/** tool_use id → its call, over the whole history (results are stubbed and deduplicated by what produced them). */
export function toolUses(messages: readonly Message[]): Map<string, ToolUseBlock> {
  const by = new Map<string, ToolUseBlock>();
  for (const m of messages) {
    if (m.role !== "assistant" || typeof m.content === "string") continue;
    for (const b of m.content) if (b.type === "tool_use") by.set(b.id, b);
  }
  return by;
}

/** "Read(src/a.ts)", "Bash(npm test)": what a tool call was, in one short line. */
export function callLabel(u: ToolUseBlock | undefined): string {
  if (!u) return "tool";
  const i = u.input;
  const arg = [i.file_path, i.path, i.command, i.pattern, i.url, i.query, i.description].find((v) => typeof v === "string") as
    | string
    | undefined;
  return arg ? `${u.name}(${arg.length > 80 ? `${arg.slice(0, 77)}…` : arg})` : u.name;
}
