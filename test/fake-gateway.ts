// A fake BlockRun gateway: a real local HTTP server (Bun.serve on 127.0.0.1) that speaks the Anthropic Messages
// and OpenAI Chat Completions protocols with scripted replies, records every request, and injects faults.
// Tests and benchmarks point the real CLI at it with RUNCODE_API_URL.

export type ToolCall = { name: string; input: Record<string, unknown>; id?: string };
export type Fault =
  | { status: number; body?: string; contentType?: string; headers?: Record<string, string> }
  | "hang" // accept the request, never answer
  | "cut" // start streaming, then end the body mid-answer
  | "malformed" // an SSE event whose data is not JSON
  | "stall" // stream the first event, then stop sending without closing
  | "drop" // read the request, then reset the connection before any answer (a dropped socket)
  | "reset"; // start streaming, then tear the connection down mid-answer (an error, not a clean end of the body)

export type Reply = {
  text?: string;
  thinking?: string;
  tools?: ToolCall[];
  stop?: "end_turn" | "max_tokens" | "tool_use";
  /** The model the response says answered (free-pool substitution); default: the requested one. */
  model?: string;
  usage?: { input: number; output: number };
  fault?: Fault;
  /** Milliseconds to wait between streamed events. */
  delayMs?: number;
  headers?: Record<string, string>;
  /** Set when max_tokens cut this reply inside a tool call: the call's JSON as far as it got (never complete). */
  cutTool?: { name: string; id?: string; json: string };
};

export type Recorded = {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: any;
  raw: string;
  /** Set by `intercept` to add headers to the scripted reply (the x402 fake adds its receipt this way). */
  replyHeaders?: Record<string, string>;
  /** Set by `intercept`: called when the scripted reply is an error, so a failed request is not charged. */
  onFailedReply?: () => void;
};

export type Script = Reply | ((req: Recorded) => Reply | Promise<Reply>);

export type FakeOptions = {
  /** Catalog served at /v1/models; default FAKE_MODELS. */
  models?: unknown[];
  /** Serve the catalog in the `{models:[…]}` shape instead of `{data:[…]}`. */
  modelsShape?: "data" | "models";
  /** Replies consumed in order by /v1/messages and /v1/chat/completions. */
  script?: Script[];
  /** Split every streamed response into chunks of this many bytes (tests parser robustness). */
  chunkBytes?: number;
  /** Runs first for every request; a returned Response short-circuits (used by the x402 server side). */
  intercept?: (req: Request, rec: Recorded) => Response | undefined | Promise<Response | undefined>;
};

export const FAKE_MODELS = [
  {
    id: "nvidia/qwen3-coder-480b",
    owned_by: "nvidia",
    billing_mode: "free",
    pricing: { input: 0, output: 0 },
    context_window: 131072,
    max_output: 16384,
    categories: ["coding", "tools"],
    available: true,
  },
  {
    id: "nvidia/gpt-oss-120b",
    owned_by: "nvidia",
    billing_mode: "free",
    pricing: { input: 0, output: 0 },
    context_window: 131072,
    max_output: 16384,
    categories: ["chat", "reasoning", "tools"],
    available: true,
  },
  {
    id: "nvidia/llama-4-maverick",
    owned_by: "nvidia",
    billing_mode: "free",
    pricing: { input: 0, output: 0 },
    context_window: 131072,
    max_output: 8192,
    categories: ["chat", "vision"],
    available: true,
  },
  {
    id: "anthropic/claude-sonnet-4.6",
    owned_by: "anthropic",
    billing_mode: "paid",
    pricing: { input: 3, output: 15 },
    context_window: 200000,
    max_output: 64000,
    categories: ["coding", "tools", "vision", "reasoning"],
    available: true,
  },
  {
    id: "anthropic/claude-opus-4.6",
    owned_by: "anthropic",
    billing_mode: "paid",
    pricing: { input: 5, output: 25 },
    context_window: 200000,
    max_output: 32000,
    categories: ["coding", "tools", "vision", "reasoning"],
    available: true,
  },
  {
    id: "anthropic/claude-haiku-4.5",
    owned_by: "anthropic",
    billing_mode: "paid",
    pricing: { input: 1, output: 5 },
    context_window: 200000,
    max_output: 64000,
    categories: ["coding", "tools", "vision"],
    available: true,
  },
  {
    id: "openai/gpt-5.4",
    owned_by: "openai",
    billing_mode: "paid",
    pricing: { input: 2.5, output: 15 },
    context_window: 400000,
    max_output: 128000,
    categories: ["coding", "tools", "vision", "reasoning"],
    available: true,
  },
  {
    id: "openai/gpt-5-mini",
    owned_by: "openai",
    billing_mode: "paid",
    pricing: { input: 0.25, output: 2 },
    context_window: 400000,
    max_output: 128000,
    categories: ["chat", "tools"],
    available: true,
  },
  {
    id: "google/gemini-2.5-flash",
    owned_by: "google",
    billing_mode: "paid",
    pricing: { input: 0.3, output: 2.5 },
    context_window: 1048576,
    max_output: 65536,
    categories: ["chat", "tools", "vision"],
    available: true,
  },
  {
    id: "google/gemini-3.1-pro",
    owned_by: "google",
    billing_mode: "paid",
    pricing: { input: 2, output: 12 },
    context_window: 1048576,
    max_output: 65536,
    categories: ["coding", "tools", "vision", "reasoning"],
    available: true,
  },
  {
    id: "deepseek/deepseek-chat",
    owned_by: "deepseek",
    billing_mode: "paid",
    pricing: { input: 0.28, output: 0.42 },
    context_window: 128000,
    max_output: 8192,
    categories: ["chat", "coding", "tools"],
    available: true,
  },
  {
    id: "xai/grok-4-1-fast-reasoning",
    owned_by: "xai",
    billing_mode: "paid",
    pricing: { input: 0.2, output: 0.5 },
    context_window: 2000000,
    max_output: 30000,
    categories: ["reasoning", "tools"],
    available: true,
  },
];

const enc = new TextEncoder();
/** Output tokens as the fake counts them: four characters of text or tool JSON make one. */
export const fakeTokens = (chars: number) => Math.ceil(chars / 4);

/**
 * A reply longer than `maxTokens` (fakeTokens of its text and tool JSON) stops there, as the real gateway does: the
 * part sent (stop max_tokens; a call cut mid-JSON as `cutTool`) and the rest, which the continuation gets (a cut call
 * again whole, since its start was never run). Replies with an explicit stop or a fault are sent as scripted.
 */
export function cutAt(reply: Reply, maxTokens: number): { now: Reply; rest?: Reply } | undefined {
  if (!(maxTokens > 0) || reply.fault || reply.stop) return undefined;
  const text = reply.text ?? "";
  const tools = reply.tools ?? [];
  const total = text.length + tools.reduce((n, t) => n + JSON.stringify(t.input).length, 0);
  if (fakeTokens(total) <= maxTokens) return undefined;
  let room = maxTokens * 4;
  const usage = (input?: number) => ({ input: reply.usage?.input ?? input ?? 12, output: maxTokens });
  if (text.length >= room) {
    return {
      now: { ...reply, text: text.slice(0, room), tools: [], stop: "max_tokens", usage: usage() },
      rest: {
        ...reply,
        thinking: undefined,
        text: text.slice(room) || undefined,
        usage: { input: usage().input, output: fakeTokens(total - room) },
      },
    };
  }
  room -= text.length;
  const kept: ToolCall[] = [];
  for (const [i, t] of tools.entries()) {
    const json = JSON.stringify(t.input);
    if (json.length <= room) {
      kept.push(t);
      room -= json.length;
      continue;
    }
    return {
      now: { ...reply, tools: kept, cutTool: { name: t.name, id: t.id, json: json.slice(0, room) }, stop: "max_tokens", usage: usage() },
      rest: {
        ...reply,
        thinking: undefined,
        text: undefined,
        tools: tools.slice(i),
        usage: { input: usage().input, output: fakeTokens(tools.slice(i).reduce((n, t) => n + JSON.stringify(t.input).length, 0)) },
      },
    };
  }
  return undefined;
}

/** A request that carries on a cut answer: it ends with an assistant prefill, or says the answer was cut off. */
function isContinuation(body: any): boolean {
  const last = Array.isArray(body?.messages) ? body.messages.at(-1) : undefined;
  return last?.role === "assistant" || JSON.stringify(last ?? "").includes("cut off by the output token limit");
}

const sse = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

function anthropicEvents(reply: Reply, model: string): string[] {
  const out: string[] = [];
  const usage = reply.usage ?? { input: 12, output: 7 };
  out.push(
    sse("message_start", {
      type: "message_start",
      message: {
        id: "msg_fake",
        type: "message",
        role: "assistant",
        model,
        content: [],
        stop_reason: null,
        usage: { input_tokens: usage.input, output_tokens: 1 },
      },
    }),
  );
  out.push(": keep-alive comment\n\n");
  out.push(sse("ping", { type: "ping" }));
  let index = 0;
  if (reply.thinking) {
    out.push(sse("content_block_start", { type: "content_block_start", index, content_block: { type: "thinking", thinking: "" } }));
    out.push(
      sse("content_block_delta", { type: "content_block_delta", index, delta: { type: "thinking_delta", thinking: reply.thinking } }),
    );
    out.push(sse("content_block_delta", { type: "content_block_delta", index, delta: { type: "signature_delta", signature: "sig" } }));
    out.push(sse("content_block_stop", { type: "content_block_stop", index }));
    index++;
  }
  if (reply.text) {
    out.push(sse("content_block_start", { type: "content_block_start", index, content_block: { type: "text", text: "" } }));
    // Stream word by word so clients see several deltas.
    for (const piece of reply.text.match(/\S+\s*|\s+/g) ?? [])
      out.push(sse("content_block_delta", { type: "content_block_delta", index, delta: { type: "text_delta", text: piece } }));
    out.push(sse("content_block_stop", { type: "content_block_stop", index }));
    index++;
  }
  for (const [n, t] of (reply.tools ?? []).entries()) {
    const id = t.id ?? `toolu_${index}_${n}`;
    out.push(
      sse("content_block_start", { type: "content_block_start", index, content_block: { type: "tool_use", id, name: t.name, input: {} } }),
    );
    const json = JSON.stringify(t.input);
    const mid = Math.floor(json.length / 2);
    out.push(
      sse("content_block_delta", {
        type: "content_block_delta",
        index,
        delta: { type: "input_json_delta", partial_json: json.slice(0, mid) },
      }),
    );
    out.push(
      sse("content_block_delta", {
        type: "content_block_delta",
        index,
        delta: { type: "input_json_delta", partial_json: json.slice(mid) },
      }),
    );
    out.push(sse("content_block_stop", { type: "content_block_stop", index }));
    index++;
  }
  if (reply.cutTool) {
    const t = reply.cutTool;
    out.push(
      sse("content_block_start", {
        type: "content_block_start",
        index,
        content_block: { type: "tool_use", id: t.id ?? `toolu_${index}_cut`, name: t.name, input: {} },
      }),
    );
    out.push(sse("content_block_delta", { type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json: t.json } }));
    out.push(sse("content_block_stop", { type: "content_block_stop", index }));
  }
  const stop = reply.stop ?? (reply.tools?.length ? "tool_use" : "end_turn");
  out.push(
    sse("message_delta", {
      type: "message_delta",
      delta: { stop_reason: stop, stop_sequence: null },
      usage: { output_tokens: usage.output },
    }),
  );
  out.push(sse("message_stop", { type: "message_stop" }));
  return out;
}

function anthropicJson(reply: Reply, model: string) {
  const content: unknown[] = [];
  if (reply.thinking) content.push({ type: "thinking", thinking: reply.thinking, signature: "sig" });
  if (reply.text) content.push({ type: "text", text: reply.text });
  for (const [n, t] of (reply.tools ?? []).entries())
    content.push({ type: "tool_use", id: t.id ?? `toolu_${n}`, name: t.name, input: t.input });
  // Not streamed, a cut call has no JSON to show: its block is there, with what could be read of it (nothing).
  if (reply.cutTool) content.push({ type: "tool_use", id: reply.cutTool.id ?? "toolu_cut", name: reply.cutTool.name, input: {} });
  const usage = reply.usage ?? { input: 12, output: 7 };
  return {
    id: "msg_fake",
    type: "message",
    role: "assistant",
    model,
    content,
    stop_reason: reply.stop ?? (reply.tools?.length ? "tool_use" : "end_turn"),
    stop_sequence: null,
    usage: { input_tokens: usage.input, output_tokens: usage.output },
  };
}

function openaiChunks(reply: Reply, model: string): string[] {
  const out: string[] = [];
  const base = { id: "chatcmpl-fake", object: "chat.completion.chunk", created: 0, model };
  out.push(
    `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }] })}\n\n`,
  );
  if (reply.thinking)
    out.push(
      `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { reasoning_content: reply.thinking }, finish_reason: null }] })}\n\n`,
    );
  for (const piece of reply.text?.match(/\S+\s*|\s+/g) ?? [])
    out.push(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] })}\n\n`);
  for (const [n, t] of (reply.tools ?? []).entries()) {
    const json = JSON.stringify(t.input);
    out.push(
      `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { tool_calls: [{ index: n, id: t.id ?? `call_${n}`, type: "function", function: { name: t.name, arguments: json.slice(0, 3) } }] }, finish_reason: null }] })}\n\n`,
    );
    out.push(
      `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { tool_calls: [{ index: n, function: { arguments: json.slice(3) } }] }, finish_reason: null }] })}\n\n`,
    );
  }
  if (reply.cutTool) {
    const n = reply.tools?.length ?? 0;
    out.push(
      `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { tool_calls: [{ index: n, id: reply.cutTool.id ?? `call_${n}_cut`, type: "function", function: { name: reply.cutTool.name, arguments: reply.cutTool.json } }] }, finish_reason: null }] })}\n\n`,
    );
  }
  const finish = reply.stop === "max_tokens" ? "length" : reply.tools?.length ? "tool_calls" : "stop";
  const usage = reply.usage ?? { input: 12, output: 7 };
  out.push(
    `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: {}, finish_reason: finish }], usage: { prompt_tokens: usage.input, completion_tokens: usage.output, total_tokens: usage.input + usage.output } })}\n\n`,
  );
  out.push("data: [DONE]\n\n");
  return out;
}

function openaiJson(reply: Reply, model: string) {
  const usage = reply.usage ?? { input: 12, output: 7 };
  const tool_calls = reply.tools?.map((t, n) => ({
    id: t.id ?? `call_${n}`,
    type: "function",
    function: { name: t.name, arguments: JSON.stringify(t.input) },
  }));
  if (reply.cutTool)
    (tool_calls ?? []).push({
      id: reply.cutTool.id ?? "call_cut",
      type: "function",
      function: { name: reply.cutTool.name, arguments: reply.cutTool.json },
    });
  return {
    id: "chatcmpl-fake",
    object: "chat.completion",
    created: 0,
    model,
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: reply.text ?? null, ...(tool_calls?.length ? { tool_calls } : {}) },
        finish_reason: reply.stop === "max_tokens" ? "length" : tool_calls?.length ? "tool_calls" : "stop",
      },
    ],
    usage: { prompt_tokens: usage.input, completion_tokens: usage.output, total_tokens: usage.input + usage.output },
  };
}

function streamOf(parts: string[], reply: Reply, chunkBytes: number | undefined, signal: AbortSignal): ReadableStream<Uint8Array> {
  const fault = reply.fault;
  let bytes = parts.map((p) => enc.encode(p));
  if (fault === "malformed") bytes.splice(3, 0, enc.encode("event: content_block_delta\ndata: {not json\n\n"));
  if (fault === "cut" || fault === "reset") bytes = bytes.slice(0, Math.max(4, Math.floor(bytes.length / 2)));
  if (fault === "stall") bytes = bytes.slice(0, 1);
  if (chunkBytes) {
    const all = Buffer.concat(bytes);
    bytes = [];
    for (let i = 0; i < all.length; i += chunkBytes) bytes.push(all.subarray(i, i + chunkBytes));
  }
  return new ReadableStream({
    async start(controller) {
      for (const b of bytes) {
        if (signal.aborted) return;
        controller.enqueue(b);
        if (reply.delayMs) await Bun.sleep(reply.delayMs);
      }
      if (fault === "stall") return; // never closes
      if (fault === "reset") {
        // Give the bytes a moment to leave, then error the body: Bun tears the connection down mid-response.
        await Bun.sleep(20);
        return controller.error(undefined);
      }
      // "cut" ends the body early, as a dropped upstream behind a proxy does: no message_stop ever comes.
      controller.close();
    },
  });
}

export type FakeGateway = {
  url: string;
  requests: Recorded[];
  /** Requests to the model endpoints only. */
  calls: () => Recorded[];
  /** Resolves with calls() once at least `n` model calls have arrived (their body read); rejects after `timeoutMs`. */
  waitForCalls: (n: number, timeoutMs?: number) => Promise<Recorded[]>;
  push: (...replies: Script[]) => void;
  stop: () => Promise<void>;
};

export async function startFakeGateway(opts: FakeOptions = {}): Promise<FakeGateway> {
  const requests: Recorded[] = [];
  const script: Script[] = [...(opts.script ?? [])];
  const hanging = new Set<() => void>();
  const arrivals = new Set<() => void>();
  let pending: Reply | undefined;
  let pendingKey = "";
  let pendingWhole: Reply | undefined;
  const calls = () => requests.filter((r) => r.method === "POST" && (r.path === "/v1/messages" || r.path === "/v1/chat/completions"));

  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    idleTimeout: 0,
    async fetch(req) {
      const url = new URL(req.url);
      const path = url.pathname.replace(/^\/api(?=\/)/, "");
      const raw = req.method === "GET" ? "" : await req.text();
      let body: any = undefined;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = undefined;
      }
      const rec: Recorded = { method: req.method, path, headers: Object.fromEntries(req.headers), body, raw };
      requests.push(rec);
      for (const arrived of [...arrivals]) arrived();
      const intercepted = await opts.intercept?.(
        new Request(req.url, { method: req.method, headers: req.headers, body: raw || undefined }),
        rec,
      );
      if (intercepted) return intercepted;

      if (req.method === "GET" && path === "/v1/models") {
        const models = opts.models ?? FAKE_MODELS;
        return Response.json(opts.modelsShape === "models" ? { models } : { object: "list", data: models });
      }
      if (req.method !== "POST" || (path !== "/v1/messages" && path !== "/v1/chat/completions"))
        return Response.json({ error: { type: "not_found_error", message: `no route ${req.method} ${path}` } }, { status: 404 });

      // The rest of a reply max_tokens cut goes to the request that continues it (an assistant prefill, or the
      // agent's "you were cut off" message); any other request takes the next scripted reply.
      const key = JSON.stringify(body?.messages ?? null);
      // (the same request again is answered afresh: the whole reply, as a model would regenerate it)
      const again = pending && key === pendingKey;
      const continues = pending && !again && isContinuation(body);
      const next = again ? pendingWhole! : continues ? pending! : (script.shift() ?? { text: "(fake gateway: no scripted reply left)" });
      if (!continues && !again) pending = undefined;
      const scripted = typeof next === "function" ? await next(rec) : next;
      const limit = Number(body?.max_tokens ?? body?.max_completion_tokens);
      const split = cutAt(scripted, limit);
      pendingWhole = scripted;
      pending = split?.rest;
      pendingKey = key;
      const reply = split?.now ?? scripted;
      const fault = reply.fault;
      if (fault === "hang") {
        return new Promise<Response>((resolve) => {
          const release = () => resolve(new Response("released", { status: 599 }));
          hanging.add(release);
          req.signal.addEventListener("abort", () => hanging.delete(release));
        });
      }
      if (fault === "drop") {
        rec.onFailedReply?.();
        // An errored body before the first byte makes Bun reset the connection: the client sees no status at all.
        return new Response(new ReadableStream({ start: (c) => c.error(undefined) }));
      }
      if (fault && typeof fault === "object") {
        // The real gateway charges nothing for a failed request: the payment is released, no receipt is sent.
        if (fault.status >= 400) rec.onFailedReply?.();
        return new Response(fault.body ?? "", {
          status: fault.status,
          headers: { "content-type": fault.contentType ?? "application/json", ...fault.headers },
        });
      }

      const model = reply.model ?? body?.model ?? "unknown";
      const openai = path === "/v1/chat/completions";
      const headers = { ...reply.headers, ...rec.replyHeaders };
      if (!body?.stream) return Response.json(openai ? openaiJson(reply, model) : anthropicJson(reply, model), { headers });
      const parts = openai ? openaiChunks(reply, model) : anthropicEvents(reply, model);
      return new Response(streamOf(parts, reply, opts.chunkBytes, req.signal), {
        headers: { "content-type": "text/event-stream", "cache-control": "no-cache", ...headers },
      });
    },
  });

  return {
    url: `http://127.0.0.1:${server.port}`,
    requests,
    calls,
    waitForCalls: (n, timeoutMs = 10_000) =>
      new Promise<Recorded[]>((resolve, reject) => {
        const check = () => {
          if (calls().length < n) return;
          arrivals.delete(check);
          clearTimeout(deadline);
          resolve(calls());
        };
        const deadline = setTimeout(() => {
          arrivals.delete(check);
          reject(new Error(`fake gateway: timed out after ${timeoutMs} ms waiting for ${n} model call(s), got ${calls().length}`));
        }, timeoutMs);
        arrivals.add(check);
        check();
      }),
    push: (...replies) => script.push(...replies),
    stop: async () => {
      for (const release of hanging) release();
      server.stop(true);
    },
  };
}
