// Anthropic Messages protocol: request body, and a streaming reader that turns SSE into StreamEvents.
// Section order (as in every protocol file): body → stream → JSON.
import { ActionableError } from "../core/errors";
import { parseSse } from "./sse";
import type { ChatRequest, ContentBlock, StopReason, StreamEvent, ToolUseBlock, Usage } from "./types";

const CACHE = { type: "ephemeral" } as const;

/** `key`: the placeholder the gateway expects (payment goes by x402, not a key); "" sends no auth header. */
export function headers(model: string, key = "x402"): Record<string, string> {
  return {
    "anthropic-version": "2023-06-01",
    ...(key ? { "x-api-key": key } : {}),
    ...(model.startsWith("anthropic/") ? { "anthropic-beta": "prompt-caching-2024-07-31" } : {}),
  };
}

export function body(req: ChatRequest, stream: boolean): Record<string, unknown> {
  const cache = req.model.startsWith("anthropic/");
  const messages = cache ? withCacheMarks(req.messages) : req.messages;
  const out: Record<string, unknown> = { model: req.model, max_tokens: req.maxTokens, messages, stream };
  if (req.system) out.system = cache ? [{ type: "text", text: req.system, cache_control: CACHE }] : req.system;
  if (req.tools?.length)
    out.tools = cache ? req.tools.map((t, i) => (i === req.tools!.length - 1 ? { ...t, cache_control: CACHE } : t)) : req.tools;
  if (req.temperature !== undefined) out.temperature = req.temperature;
  if (req.thinkingBudget) out.thinking = { type: "enabled", budget_tokens: req.thinkingBudget };
  return out;
}

/** Prompt caching: mark the last cacheable block of each of the last three messages (copies, never mutates). */
function withCacheMarks(messages: ChatRequest["messages"]): ChatRequest["messages"] {
  return messages.map((m, i) => {
    if (i < messages.length - 3) return m;
    const blocks: ContentBlock[] = typeof m.content === "string" ? [{ type: "text", text: m.content }] : [...m.content];
    for (let j = blocks.length - 1; j >= 0; j--) {
      const b = blocks[j]!;
      if (b.type === "thinking" || (b.type === "text" && !b.text)) continue;
      blocks[j] = { ...b, cache_control: CACHE } as unknown as ContentBlock; // a wire-only field, not in our types
      break;
    }
    return { ...m, content: blocks };
  });
}

type Partial = { kind: "text" | "thinking" | "tool_use"; text: string; signature?: string; id?: string; name?: string };

export async function* stream(res: Response, requested: string, signal?: AbortSignal): AsyncGenerator<StreamEvent> {
  if (!res.body) throw streamError("the gateway sent an empty response");
  const blocks = new Map<number, Partial>();
  const usage: Usage = { input: 0, output: 0 };
  let model = requested;
  let stop: StopReason | undefined;
  let finished = false;
  for await (const ev of parseSse(res.body, signal)) {
    let data: any;
    try {
      data = JSON.parse(ev.data);
    } catch {
      throw streamError(`the gateway sent invalid JSON in the answer stream (event "${ev.event}")`);
    }
    switch (data?.type ?? ev.event) {
      case "message_start": {
        const m = data.message ?? {};
        if (typeof m.model === "string" && m.model) model = m.model;
        readUsage(usage, m.usage);
        yield { type: "start", model, id: m.id };
        break;
      }
      case "content_block_start": {
        const cb = data.content_block ?? {};
        const kind = cb.type === "tool_use" ? "tool_use" : cb.type === "thinking" ? "thinking" : "text";
        blocks.set(data.index, {
          kind,
          text: kind === "text" ? (cb.text ?? "") : kind === "thinking" ? (cb.thinking ?? "") : "",
          id: cb.id,
          name: cb.name,
        });
        if (kind === "tool_use") yield { type: "tool_use.start", index: data.index, id: cb.id, name: cb.name };
        break;
      }
      case "content_block_delta": {
        const b = blocks.get(data.index);
        const d = data.delta ?? {};
        if (!b) break;
        if (d.type === "text_delta") {
          b.text += d.text;
          yield { type: "text", text: d.text };
        } else if (d.type === "thinking_delta") {
          b.text += d.thinking;
          yield { type: "thinking", text: d.thinking };
        } else if (d.type === "signature_delta") b.signature = (b.signature ?? "") + d.signature;
        else if (d.type === "input_json_delta") b.text += d.partial_json;
        break;
      }
      case "content_block_stop": {
        const b = blocks.get(data.index);
        if (b?.kind === "tool_use") yield { type: "tool_use.done", index: data.index, block: toolBlock(b) };
        break;
      }
      case "message_delta":
        if (data.delta?.stop_reason) stop = data.delta.stop_reason;
        readUsage(usage, data.usage);
        yield { type: "usage", usage: { ...usage } };
        break;
      case "message_stop":
        finished = true;
        break;
      case "error": {
        const e = data.error ?? {};
        const overloaded = e.type === "overloaded_error" || /overload/i.test(e.message ?? "");
        throw new ActionableError(
          `the model failed mid-answer (${e.message ?? e.type ?? "error event"})`,
          overloaded ? "the model is overloaded: retry, or pick another model with -m" : "retry, or pick another model with -m",
          "stream_error",
        );
      }
      default: // ping and unknown future events
    }
  }
  if (!finished) throw streamError("the answer stream ended early (connection cut before the end of the message)");
  const content = [...blocks.entries()].sort(([a], [b]) => a - b).map(([, b]) => finalBlock(b));
  yield { type: "done", stop: stop ?? "end_turn", content, usage, model, usd: 0 };
}

export function fromJson(data: any, requested: string): Extract<StreamEvent, { type: "done" }> {
  const usage: Usage = { input: 0, output: 0 };
  readUsage(usage, data?.usage);
  const content: ContentBlock[] = Array.isArray(data?.content) ? data.content : [];
  return { type: "done", stop: data?.stop_reason ?? "end_turn", content, usage, model: data?.model || requested, usd: 0 };
}

function readUsage(u: Usage, raw: any) {
  if (!raw) return;
  if (typeof raw.input_tokens === "number") u.input = raw.input_tokens;
  if (typeof raw.output_tokens === "number") u.output = raw.output_tokens;
  if (typeof raw.cache_read_input_tokens === "number") u.cacheRead = raw.cache_read_input_tokens;
  if (typeof raw.cache_creation_input_tokens === "number") u.cacheWrite = raw.cache_creation_input_tokens;
}

function toolBlock(b: Partial): ToolUseBlock {
  let input: Record<string, unknown> = {};
  if (b.text.trim()) {
    try {
      const parsed = JSON.parse(b.text);
      input = parsed && typeof parsed === "object" && !Array.isArray(parsed) ? parsed : { value: parsed };
    } catch {
      // Left for the tool layer to report back to the model as invalid input.
      input = { __invalid_json: b.text };
    }
  }
  return { type: "tool_use", id: b.id ?? "", name: b.name ?? "", input };
}

function finalBlock(b: Partial): ContentBlock {
  if (b.kind === "tool_use") return toolBlock(b);
  if (b.kind === "thinking") return { type: "thinking", thinking: b.text, ...(b.signature ? { signature: b.signature } : {}) };
  return { type: "text", text: b.text };
}

export function streamError(message: string): ActionableError {
  return new ActionableError(message, "retry, or pick another model with -m", "stream_error");
}
