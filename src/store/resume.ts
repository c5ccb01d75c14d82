// The conversation a resumed session sends to the model. Stored messages are kept exactly as appended; this pure
// function makes a valid request out of them after a crash or interrupt: a tool call left without a result (the
// process died while the tool ran) gets an error result, and consecutive messages of one role (a prompt whose
// answer never came, then the next prompt) are merged. It is deterministic, so resuming twice gives the model the
// same conversation it saw the first time.
import type { ContentBlock, Message, ToolResultBlock } from "../llm/types";

const blocks = (c: Message["content"]): ContentBlock[] => (typeof c === "string" ? [{ type: "text", text: c }] : c);

export function resumable(stored: ReadonlyArray<Message>): Message[] {
  const out: Message[] = [];
  for (let i = 0; i < stored.length; i++) {
    const m: Message = { role: stored[i]!.role, content: stored[i]!.content };
    const prev = out.at(-1);
    if (prev?.role === "assistant" && m.role === "user") {
      const missing = openToolUses(prev, m);
      if (missing.length) m.content = [...missing, ...blocks(m.content)];
    }
    if (prev && prev.role === m.role) prev.content = mergeContent(prev.content, m.content);
    else out.push(m);
  }
  const last = out.at(-1);
  if (last?.role === "assistant") {
    const missing = openToolUses(last, undefined);
    if (missing.length) out.push({ role: "user", content: missing });
  }
  return out;
}

function openToolUses(assistant: Message, next: Message | undefined): ToolResultBlock[] {
  if (typeof assistant.content === "string") return [];
  const answered = new Set(
    next && typeof next.content !== "string" ? next.content.flatMap((b) => (b.type === "tool_result" ? [b.tool_use_id] : [])) : [],
  );
  return assistant.content.flatMap((b) =>
    b.type === "tool_use" && !answered.has(b.id)
      ? [
          {
            type: "tool_result" as const,
            tool_use_id: b.id,
            content: "interrupted: runcode stopped before this tool finished; no result was recorded",
            is_error: true,
          },
        ]
      : [],
  );
}

function mergeContent(a: Message["content"], b: Message["content"]): Message["content"] {
  if (typeof a === "string" && typeof b === "string") return `${a}\n\n${b}`;
  // Tool results must lead a user message; keep them first when merging.
  const all = [...blocks(a), ...blocks(b)];
  return [...all.filter((x) => x.type === "tool_result"), ...all.filter((x) => x.type !== "tool_result")];
}
