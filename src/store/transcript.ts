// Rendering a stored conversation for people (Markdown, the terminal) and for machines (JSONL, one message a line).
import type { ContentBlock, Message } from "../llm/types";
import type { SessionInfo } from "./sessions";

const fence = (s: string) => {
  const ticks = "`".repeat(Math.max(3, ...(s.match(/`+/g) ?? []).map((t) => t.length + 1)));
  return `${ticks}\n${s}\n${ticks}`;
};

function block(b: ContentBlock): string {
  switch (b.type) {
    case "text":
      return b.text;
    case "thinking":
      return `> _thinking:_ ${b.thinking.replace(/\n/g, "\n> ")}`;
    case "image":
      return `_[image ${b.source.media_type}]_`;
    case "tool_use":
      return `**tool ${b.name}**\n${fence(JSON.stringify(b.input, null, 2))}`;
    case "tool_result": {
      const text =
        typeof b.content === "string"
          ? b.content
          : b.content.map((c) => (c.type === "text" ? c.text : `[image ${c.source.media_type}]`)).join("\n");
      return `**result${b.is_error ? " (error)" : ""}**\n${fence(text)}`;
    }
    default:
      return b satisfies never;
  }
}

export const messageMarkdown = (m: Message) => (typeof m.content === "string" ? m.content : m.content.map(block).join("\n\n"));

export function toMarkdown(s: SessionInfo, messages: ReadonlyArray<Message & { partial?: boolean }>): string {
  const head = [
    `# ${s.title || s.id}`,
    "",
    `- session: ${s.id}`,
    `- started: ${new Date(s.started).toISOString()}`,
    `- directory: ${s.cwd}`,
    `- model: ${s.model}`,
    `- turns: ${s.turns}, cost: $${s.usd.toFixed(6)}`,
    "",
  ];
  const body = messages.map((m) => `## ${m.role}${m.partial ? " (interrupted)" : ""}\n\n${messageMarkdown(m)}\n`);
  return `${[...head, ...body].join("\n")}`;
}

export function toJsonl(messages: ReadonlyArray<Message & { partial?: boolean }>): string {
  return messages.map((m) => `${JSON.stringify({ role: m.role, content: m.content, ...(m.partial ? { partial: true } : {}) })}\n`).join("");
}
