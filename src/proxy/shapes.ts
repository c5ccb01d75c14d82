// What the proxy says itself, in the client's own protocol: errors (so Claude Code shows the message instead of its
// login screen) and short assistant answers (model switch confirmations), as JSON or as SSE when the client streams.
export type Flavor = "anthropic" | "openai";

const OPENAI_PATHS =
  /^\/v1\/(chat|completions|embeddings|responses|models|moderations|images|audio|files|batches|assistants|threads|fine_tuning|vector_stores)(\/|$)/;

/** The protocol a request speaks, so that every answer, a 404 too, is in its client's shape. */
export function flavorOf(path: string, headers: Headers): Flavor {
  if (path === "/v1/complete" || path === "/v1/messages" || path.startsWith("/v1/messages/")) return "anthropic";
  if (headers.has("anthropic-version")) return "anthropic"; // the Anthropic SDK's /v1/models
  return OPENAI_PATHS.test(path) ? "openai" : "anthropic";
}

/** Anthropic's error type for an HTTP status, as the original mapped it. */
export function anthropicErrorType(status: number): string {
  if (status === 401) return "authentication_error";
  if (status === 403) return "permission_error";
  if (status === 400 || status === 402 || status === 413 || status === 415) return "invalid_request_error";
  if (status === 404) return "not_found_error";
  if (status === 429) return "rate_limit_error";
  if (status === 529) return "overloaded_error";
  return "api_error";
}

function openaiErrorType(status: number): string {
  if (status === 401) return "authentication_error";
  if (status === 403) return "permission_error";
  if (status === 429) return "rate_limit_error";
  if (status >= 500) return "server_error";
  return "invalid_request_error";
}

export function errorBody(flavor: Flavor, status: number, message: string, code?: string): unknown {
  if (flavor === "anthropic") return { type: "error", error: { type: anthropicErrorType(status), message } };
  return { error: { message, type: openaiErrorType(status), code: code ?? null } };
}

export function errorResponse(flavor: Flavor, status: number, message: string, code?: string): Response {
  return Response.json(errorBody(flavor, status, message, code), { status });
}

/** The SSE event that ends an Anthropic stream which failed after bytes were sent (nothing can be retried then). */
export function streamErrorEvent(flavor: Flavor, message: string): string {
  const body = JSON.stringify(errorBody(flavor, 500, message));
  return flavor === "anthropic" ? `event: error\ndata: ${body}\n\n` : `data: ${body}\n\n`;
}

const sse = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/** A complete assistant answer made by the proxy: nothing is sent upstream and nothing is paid. */
export function localAnswer(flavor: Flavor, o: { text: string; model: string; stream: boolean }): Response {
  const id = `msg_proxy_${Date.now().toString(36)}`;
  if (flavor === "anthropic") {
    const usage = { input_tokens: 0, output_tokens: 0 };
    if (!o.stream)
      return Response.json({
        id,
        type: "message",
        role: "assistant",
        model: o.model,
        content: [{ type: "text", text: o.text }],
        stop_reason: "end_turn",
        stop_sequence: null,
        usage,
      });
    const events = [
      sse("message_start", {
        type: "message_start",
        message: { id, type: "message", role: "assistant", model: o.model, content: [], stop_reason: null, stop_sequence: null, usage },
      }),
      sse("content_block_start", { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }),
      sse("content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: o.text } }),
      sse("content_block_stop", { type: "content_block_stop", index: 0 }),
      sse("message_delta", { type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: 0 } }),
      sse("message_stop", { type: "message_stop" }),
    ];
    return sseResponse(events.join(""));
  }
  const base = { id: `chatcmpl-${id}`, created: Math.floor(Date.now() / 1000), model: o.model };
  const usage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
  if (!o.stream)
    return Response.json({
      ...base,
      object: "chat.completion",
      choices: [{ index: 0, message: { role: "assistant", content: o.text }, finish_reason: "stop" }],
      usage,
    });
  const chunk = (delta: unknown, finish: string | null, extra = {}) =>
    `data: ${JSON.stringify({ ...base, object: "chat.completion.chunk", choices: [{ index: 0, delta, finish_reason: finish }], ...extra })}\n\n`;
  return sseResponse(chunk({ role: "assistant", content: o.text }, null) + chunk({}, "stop", { usage }) + "data: [DONE]\n\n");
}

const sseResponse = (body: string) => new Response(body, { headers: { "content-type": "text/event-stream", "cache-control": "no-cache" } });
