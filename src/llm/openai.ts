// OpenAI Chat Completions protocol, for endpoints that only speak it. Translates the neutral (Anthropic-shaped)
// conversation to OpenAI messages and back. Section order as in anthropic.ts: body → stream → JSON.
import { parseSse } from "./sse";
import { streamError } from "./anthropic";
import type { ChatRequest, ContentBlock, Message, StopReason, StreamEvent, ToolUseBlock, Usage } from "./types";

type OAMessage = Record<string, unknown>;

/** `key`: the placeholder the gateway expects (payment goes by x402, not a key); "" sends no auth header. */
export function headers(_model?: string, key = "x402"): Record<string, string> {
  return key ? { authorization: `Bearer ${key}` } : {};
}

export function body(req: ChatRequest, stream: boolean): Record<string, unknown> {
  const messages: OAMessage[] = req.system ? [{ role: "system", content: req.system }] : [];
  for (const m of req.messages) messages.push(...toOpenAI(m));
  const out: Record<string, unknown> = { model: req.model, messages, max_tokens: req.maxTokens, stream };
  if (stream) out.stream_options = { include_usage: true };
  if (req.temperature !== undefined) out.temperature = req.temperature;
  if (req.tools?.length)
    out.tools = req.tools.map((t) => ({
      type: "function",
      function: { name: t.name, description: t.description, parameters: t.input_schema },
    }));
  return out;
}

function toOpenAI(m: Message): OAMessage[] {
  if (typeof m.content === "string") return [{ role: m.role, content: m.content }];
  const out: OAMessage[] = [];
  const parts: unknown[] = [];
  const calls: unknown[] = [];
  for (const b of m.content) {
    if (b.type === "text") parts.push({ type: "text", text: b.text });
    else if (b.type === "image")
      parts.push({ type: "image_url", image_url: { url: `data:${b.source.media_type};base64,${b.source.data}` } });
    else if (b.type === "tool_use")
      calls.push({ id: b.id, type: "function", function: { name: b.name, arguments: JSON.stringify(b.input) } });
    else if (b.type === "tool_result")
      out.push({
        role: "tool",
        tool_call_id: b.tool_use_id,
        content: typeof b.content === "string" ? b.content : b.content.map((c) => (c.type === "text" ? c.text : "[image]")).join("\n"),
      });
  }
  if (m.role === "assistant") {
    const text = parts.map((p) => (p as { text?: string }).text ?? "").join("");
    if (text || calls.length) out.push({ role: "assistant", content: text || null, ...(calls.length ? { tool_calls: calls } : {}) });
  } else if (parts.length)
    out.push({
      role: "user",
      content: parts.every((p) => (p as { type: string }).type === "text")
        ? parts.map((p) => (p as { text: string }).text).join("\n")
        : parts,
    });
  return out;
}

const STOP: Record<string, StopReason> = {
  stop: "end_turn",
  length: "max_tokens",
  tool_calls: "tool_use",
  function_call: "tool_use",
  content_filter: "refusal",
};

export async function* stream(res: Response, requested: string, signal?: AbortSignal): AsyncGenerator<StreamEvent> {
  // "Streaming" endpoints may answer with one JSON document (ClawRouter forces stream:false upstream).
  if (!(res.headers.get("content-type") ?? "").includes("event-stream")) {
    const done = fromJson(await res.json().catch(() => null), requested);
    yield { type: "start", model: done.model };
    for (const b of done.content) if (b.type === "text" && b.text) yield { type: "text", text: b.text };
    yield done;
    return;
  }
  if (!res.body) throw streamError("the gateway sent an empty response");
  let model = requested;
  let text = "";
  let reasoning = "";
  let stop: StopReason | undefined;
  let started = false;
  let finished = false;
  const usage: Usage = { input: 0, output: 0 };
  const calls = new Map<number, { id: string; name: string; args: string }>();
  for await (const ev of parseSse(res.body, signal)) {
    if (ev.data === "[DONE]") {
      finished = true;
      break;
    }
    let data: any;
    try {
      data = JSON.parse(ev.data);
    } catch {
      throw streamError("the gateway sent invalid JSON in the answer stream");
    }
    if (data?.error) throw streamError(`the model failed mid-answer (${data.error.message ?? "error"})`);
    if (!started) {
      if (typeof data.model === "string" && data.model) model = data.model;
      started = true;
      yield { type: "start", model, id: data.id };
    }
    if (data.usage) {
      usage.input = data.usage.prompt_tokens ?? usage.input;
      usage.output = data.usage.completion_tokens ?? usage.output;
      yield { type: "usage", usage: { ...usage } };
    }
    const choice = data.choices?.[0];
    if (!choice) continue;
    const d = choice.delta ?? {};
    const think = d.reasoning_content ?? d.reasoning;
    if (typeof think === "string" && think) {
      reasoning += think;
      yield { type: "thinking", text: think };
    }
    if (typeof d.content === "string" && d.content) {
      text += d.content;
      yield { type: "text", text: d.content };
    }
    for (const tc of d.tool_calls ?? []) {
      let c = calls.get(tc.index ?? 0);
      if (!c) {
        c = { id: tc.id ?? `call_${tc.index ?? 0}`, name: tc.function?.name ?? "", args: "" };
        calls.set(tc.index ?? 0, c);
        yield { type: "tool_use.start", index: tc.index ?? 0, id: c.id, name: c.name };
      }
      if (tc.function?.name && !c.name) c.name = tc.function.name;
      c.args += tc.function?.arguments ?? "";
    }
    if (choice.finish_reason) {
      stop = STOP[choice.finish_reason] ?? "end_turn";
      finished = true; // usage may still follow, then [DONE]
    }
  }
  if (!finished) throw streamError("the answer stream ended early (connection cut before the end of the message)");
  const content: ContentBlock[] = [];
  if (reasoning) content.push({ type: "thinking", thinking: reasoning });
  if (text) content.push({ type: "text", text });
  for (const [index, c] of calls) {
    const block = toolBlock(c.id, c.name, c.args);
    yield { type: "tool_use.done", index, block };
    content.push(block);
  }
  yield { type: "done", stop: stop ?? "end_turn", content, usage, model, usd: 0 };
}

export function fromJson(data: any, requested: string): Extract<StreamEvent, { type: "done" }> {
  const choice = data?.choices?.[0];
  if (!choice) throw streamError("the gateway sent a response without choices");
  const msg = choice.message ?? {};
  const content: ContentBlock[] = [];
  const think = msg.reasoning_content ?? msg.reasoning;
  if (typeof think === "string" && think) content.push({ type: "thinking", thinking: think });
  if (typeof msg.content === "string" && msg.content) content.push({ type: "text", text: msg.content });
  for (const tc of msg.tool_calls ?? []) content.push(toolBlock(tc.id, tc.function?.name ?? "", tc.function?.arguments ?? ""));
  const usage: Usage = { input: data.usage?.prompt_tokens ?? 0, output: data.usage?.completion_tokens ?? 0 };
  return { type: "done", stop: STOP[choice.finish_reason] ?? "end_turn", content, usage, model: data.model || requested, usd: 0 };
}

function toolBlock(id: string, name: string, args: string): ToolUseBlock {
  let input: Record<string, unknown> = {};
  try {
    const parsed = args.trim() ? JSON.parse(args) : {};
    input = parsed && typeof parsed === "object" && !Array.isArray(parsed) ? parsed : { value: parsed };
  } catch {
    input = { __invalid_json: args };
  }
  return { type: "tool_use", id, name, input };
}
