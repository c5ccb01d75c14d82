// Selective compaction: older exchanges become one summary message, written by a cheaper model in fixed sections,
// while what users said they lose (their own words, recent tool results, the todo list, the files changed) is
// carried over verbatim by runcode itself rather than trusted to the summariser.
import type { Message } from "../llm/types";
import { callLabel, isToolResults, isUserText, preview, resultText, toolUses } from "./blocks";

export const SECTIONS = [
  "Goal",
  "Progress",
  "Decisions",
  "Files Modified",
  "Tool Results Still Relevant",
  "User Preferences & Corrections",
  "Next Steps",
];

/** System prompt of the summariser call; also how a fake model in tests recognises it. */
export const COMPACT_SYSTEM = "You compact the history of a coding agent's session so that it can continue within its context window.";

/** What a summariser returns: the text, or the text with the usage of the model call that wrote it. */
export type Summary = string | { text: string; model: string; input: number; output: number; usd: number };
export type Summarize = (prompt: string, signal?: AbortSignal) => Promise<Summary>;

/** Session state kept verbatim across compactions (read from the tool context). */
export type Extras = { todos: Array<{ content: string; status: string }>; files: string[] };

/**
 * Where the kept tail starts: roughly the last 30% of messages (8 to 20), fewer when they alone would take more
 * than `tailBudget` tokens, and always at an assistant message, so a tool_use is never separated from its result.
 * Returns 0 when there is nothing older worth summarising.
 */
export function splitPoint(view: readonly Message[], tokens: (m: Message) => number, tailBudget: number, start = 0): number {
  const n = view.length;
  const want = Math.min(20, Math.max(8, Math.round(n * 0.3)));
  let k = n;
  let used = 0;
  while (k > start + 1 && n - k < want) {
    const t = tokens(view[k - 1]!);
    if (n - k >= 2 && used + t > tailBudget) break;
    used += t;
    k--;
  }
  while (k < n && view[k]!.role !== "assistant") k++;
  if (k >= n) for (k = n - 1; k > start && view[k]!.role !== "assistant"; k--);
  return k > start ? k : 0;
}

const INSTRUCTION =
  /\b(must|never|always|don'?t|do not|should|shouldn'?t|make sure|remember|prefer|avoid|only|instead|important|note|rule|please|use|keep|ensure)\b|^\s*(?:[-*•]|\d{1,3}[.)])\s/i;

/**
 * The instructions in a huge user message, kept verbatim: its first and last lines and every line that reads as
 * an instruction; pasted material (logs, files) in between is dropped with a note of how much.
 */
export function extractInstructions(text: string, cap: number): string {
  if (text.length <= cap) return text;
  const lines = text.split("\n");
  const keep = new Set<number>();
  for (let i = 0; i < Math.min(3, lines.length); i++) keep.add(i);
  for (let i = Math.max(0, lines.length - 3); i < lines.length; i++) keep.add(i);
  lines.forEach((l, i) => l.length <= 400 && INSTRUCTION.test(l) && keep.add(i));
  const out: string[] = [];
  let gap = 0;
  let size = 0;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (keep.has(i) && size + l.length <= cap) {
      if (gap) out.push(`[… ${gap} characters of pasted material omitted …]`);
      gap = 0;
      out.push(l);
      size += l.length + 1;
    } else gap += l.length + 1;
  }
  if (gap) out.push(`[… ${gap} characters of pasted material omitted …]`);
  return out.join("\n");
}

/** The user's own words from `messages`, oldest first: verbatim, or their instructions when huge. */
export function userWords(messages: readonly Message[], cap: number): string[] {
  return messages.filter(isUserText).map((m) => {
    const text =
      typeof m.content === "string"
        ? m.content
        : m.content.map((b) => (b.type === "text" ? b.text : b.type === "image" ? "[image]" : "")).join("\n");
    return extractInstructions(text, cap);
  });
}

/** Fit the user's words into `budget` characters: when over, each keeps its instructions within an even share. */
export function fitUsers(users: readonly string[], budget: number): string[] {
  const total = users.reduce((n, u) => n + u.length, 0);
  if (total <= budget) return [...users];
  const share = Math.max(1000, Math.floor(budget / users.length));
  return users.map((u) => extractInstructions(u, share));
}

/** The older part of the conversation as a transcript for the summariser, within `maxChars`. */
export function summaryPrompt(older: readonly Message[], o: { previous?: string; focus?: string; maxChars: number }): string {
  const uses = toolUses(older);
  const lines: string[] = [];
  for (const m of older) {
    if (typeof m.content === "string") {
      lines.push(`[${m.role}] ${m.content}`);
      continue;
    }
    for (const b of m.content) {
      if (b.type === "text") lines.push(`[${m.role}] ${b.text}`);
      else if (b.type === "tool_use") lines.push(`[tool call] ${callLabel(b)}`);
      else if (b.type === "tool_result")
        lines.push(`[result of ${callLabel(uses.get(b.tool_use_id))}${b.is_error ? ", error" : ""}] ${preview(resultText(b), 1500)}`);
      else if (b.type === "image") lines.push(`[${m.role}] [image]`);
    }
  }
  const transcript = preview(lines.join("\n"), Math.max(2000, o.maxChars - 3000));
  return [
    COMPACT_SYSTEM,
    `Write a summary in Markdown with exactly these sections: ${SECTIONS.map((s) => `## ${s}`).join(", ")}.`,
    "Be specific: keep file paths, identifiers, numbers, commands and error messages exactly as written. Under Tool Results Still Relevant, quote the facts from tool output the agent still needs. The user's own messages, the todo list and the list of modified files are kept separately and verbatim, so do not restate them in full.",
    ...(o.focus ? [`The user asked this compaction to focus on: ${o.focus}`] : []),
    ...(o.previous ? [`<previous-summary>\n${o.previous}\n</previous-summary>`] : []),
    `<transcript>\n${transcript}\n</transcript>`,
  ].join("\n\n");
}

/**
 * Previews of the last `n` tool results in `older`, oldest first: the results just before the kept tail are the
 * ones the agent is most likely still working from, and a summariser may drop the detail.
 */
export function recentResults(older: readonly Message[], n: number, cap: number): string[] {
  if (n <= 0) return [];
  const uses = toolUses(older);
  const out: string[] = [];
  for (let i = older.length - 1; i >= 0 && out.length < n; i--) {
    const m = older[i]!;
    if (typeof m.content === "string") continue;
    for (let j = m.content.length - 1; j >= 0 && out.length < n; j--) {
      const b = m.content[j]!;
      if (b.type === "tool_result")
        out.push(`<result of="${callLabel(uses.get(b.tool_use_id))}">\n${preview(resultText(b), cap)}\n</result>`);
    }
  }
  return out.reverse();
}

export const SUMMARY_HEAD = "[Earlier conversation compacted by runcode. What follows replaces it; the user's words are verbatim.]";

/** The message that stands for the compacted history: user words, summary, todos, files modified. */
export function summaryMessage(summary: string, users: readonly string[], extras: Extras, results: readonly string[] = []): Message {
  const todo = { completed: "[x]", in_progress: "[~]", pending: "[ ]" } as Record<string, string>;
  const parts = [
    SUMMARY_HEAD,
    users.length
      ? `## What the user said (verbatim, oldest first)\n${users.map((u, i) => `<user-message n="${i + 1}">\n${u}\n</user-message>`).join("\n")}`
      : "",
    `## Summary\n${summary.trim()}`,
    results.length ? `## Most recent tool results before this point (previews)\n${results.join("\n")}` : "",
    extras.todos.length ? `## Current todo list\n${extras.todos.map((t) => `- ${todo[t.status] ?? "[ ]"} ${t.content}`).join("\n")}` : "",
    extras.files.length ? `## Files modified this session\n${extras.files.map((f) => `- ${f}`).join("\n")}` : "",
  ];
  return { role: "user", content: parts.filter(Boolean).join("\n\n") };
}

/** The summary text carried into the next compaction (the user words are carried separately). */
export function summaryOf(m: Message | undefined): string | undefined {
  if (!m || typeof m.content !== "string") return undefined;
  const s = m.content.indexOf("## Summary\n");
  if (s < 0) return undefined;
  const rest = m.content.slice(s + 11);
  const end = rest.search(/\n\n## (Most recent tool results|Current todo list|Files modified this session)/);
  return end < 0 ? rest : rest.slice(0, end);
}

/** Messages that are tool results only are safe to drop in pairs with the assistant message before them. */
export const droppablePair = (a: Message | undefined, b: Message | undefined) =>
  a?.role === "assistant" && !!b && isToolResults(b) && !isUserText(b);
