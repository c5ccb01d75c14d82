// Turn a conversation into what the router scores. Only the user's own words count: in an agent loop the last
// user message is often nothing but tool results, so the last user message that has text is the prompt.
import type { RouteRequest } from "./types";

// What the router reads of a conversation, written structurally so that the router imports nothing from llm/ (which
// sits on gateway/, which imports the router): runcode's Message, ContentBlock and ToolSpec fit these as they are.
type Block = { type: string; text?: string; content?: string | Array<{ type: string }> };
type Message = { role: string; content: string | Block[] };
type Tool = { name: string; description: string; input_schema: unknown };

const textOf = (content: string | Block[]): string =>
  typeof content === "string"
    ? content
    : content
        .filter((b) => b.type === "text")
        .map((b) => b.text ?? "")
        .join("\n");

const sizeOf = (content: string | Block[]): number =>
  typeof content === "string" ? content.length : content.reduce((n, b) => n + JSON.stringify(b).length, 0);

const hasImage = (content: string | Block[]): boolean =>
  typeof content !== "string" &&
  content.some(
    (b) => b.type === "image" || (b.type === "tool_result" && Array.isArray(b.content) && b.content.some((c) => c.type === "image")),
  );

export function requestFromMessages(input: {
  messages: Message[];
  system?: string;
  /** The tools the request carries, or just whether it carries any (their size then counts as nothing). */
  tools?: Tool[] | boolean;
  /** Write tools (edit, the REPL): the auto profile's agentic table. Default: whether it carries tools. */
  agentic?: boolean;
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
    ...(input.agentic === undefined ? {} : { agentic: input.agentic }),
    images: messages.some((m) => hasImage(m.content)),
    maxOutput: input.maxTokens,
  };
}
