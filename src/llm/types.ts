// The provider-neutral conversation model. Shapes follow Anthropic's Messages API because the BlockRun
// gateway speaks it for every model; the OpenAI adapter translates to and from these.
import type { Usage } from "../core/events";

export type TextBlock = { type: "text"; text: string };
export type ThinkingBlock = { type: "thinking"; thinking: string; signature?: string };
export type ImageBlock = {
  type: "image";
  source: { type: "base64"; media_type: string; data: string };
};
export type ToolUseBlock = { type: "tool_use"; id: string; name: string; input: Record<string, unknown> };
export type ToolResultBlock = {
  type: "tool_result";
  tool_use_id: string;
  content: string | Array<TextBlock | ImageBlock>;
  is_error?: boolean;
};
export type ContentBlock = TextBlock | ThinkingBlock | ImageBlock | ToolUseBlock | ToolResultBlock;

export type Message = { role: "user" | "assistant"; content: string | ContentBlock[] };

/** A tool as the model sees it. */
export type ToolSpec = { name: string; description: string; input_schema: Record<string, unknown> };

export type StopReason = "end_turn" | "max_tokens" | "tool_use" | "stop_sequence" | "refusal" | "pause_turn";

export type { Usage };

export type ChatRequest = {
  model: string;
  system?: string;
  messages: Message[];
  tools?: ToolSpec[];
  maxTokens: number;
  temperature?: number;
  /** Extended thinking budget in tokens; omitted = no thinking requested. */
  thinkingBudget?: number;
};

/** What a protocol adapter yields while a response streams. Exactly one `done` or one thrown error ends it. */
export type StreamEvent =
  | { type: "start"; model: string; id?: string }
  | { type: "text"; text: string }
  | { type: "thinking"; text: string }
  | { type: "tool_use.start"; index: number; id: string; name: string }
  | { type: "tool_use.done"; index: number; block: ToolUseBlock }
  | { type: "usage"; usage: Usage }
  | { type: "done"; stop: StopReason; content: ContentBlock[]; usage: Usage; model: string; usd: number };
