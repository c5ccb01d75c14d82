// Turn a conversation into what the router scores. Only the user's own words count: in an agent loop the last
// user message is often nothing but tool results, so the last user message that has text is the prompt.
import type { ContentBlock, Message, ToolSpec } from "../llm/types";
import type { RouteRequest } from "./types";

const textOf = (content: string | ContentBlock[]): string =>
  typeof content === "string"
    ? content
    : content
        .filter((b) => b.type === "text")
        .map((b) => (b.type === "text" ? b.text : ""))
        .join("\n");

const sizeOf = (content: string | ContentBlock[]): number =>
  typeof content === "string" ? content.length : content.reduce((n, b) => n + JSON.stringify(b).length, 0);

const hasImage = (content: string | ContentBlock[]): boolean =>
  typeof content !== "string" &&
  content.some((b) => b.type === "image" || (b.type === "tool_result" && typeof b.content !== "string" && b.content.some((c) => c.type === "image")));

export function requestFromMessages(input: {
  messages: Message[];
  system?: string;
  /** The tools the request carries, or just whether it carries any (their size then counts as nothing). */
  tools?: ToolSpec[] | boolean;
  maxTokens?: number;
}): RouteRequest {
  const { messages, system = "" } = input;
  const tools = Array.isArray(input.tools) ? input.tools : [];
  let prompt = "";
  for (let i = messages.length - 1; i >= 0 && !prompt; i--) {
    const m = messages[i]!;
    if (m.role === "user") prompt = textOf(m.content).trim();
  }
  const toolChars = tools.reduce((n, t) => n + t.name.length + t.description.length + JSON.stringify(t.input_schema).length, 0);
  return {
    prompt,
    system,
    contextChars: system.length + toolChars + messages.reduce((n, m) => n + sizeOf(m.content), 0),
    tools: tools.length > 0 || input.tools === true,
    images: messages.some((m) => hasImage(m.content)),
    maxOutput: input.maxTokens,
  };
}
