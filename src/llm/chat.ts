// One model call over the gateway: adapter = protocol + endpoint + framing. Yields StreamEvents; the final
// `done` carries what was paid for the call.
import type { Gateway } from "../gateway/client";
import * as anthropic from "./anthropic";
import * as openai from "./openai";
import type { ChatRequest, StreamEvent } from "./types";

export type Protocol = "messages" | "chat-completions";

export async function* chat(gw: Gateway, protocol: Protocol, req: ChatRequest, signal?: AbortSignal): AsyncGenerator<StreamEvent> {
  const p = protocol === "messages" ? anthropic : openai;
  const path = protocol === "messages" ? "/v1/messages" : "/v1/chat/completions";
  const { response, usd } = await gw.post(path, p.body(req, true), { signal, model: req.model, headers: p.headers(req.model) });
  for await (const ev of p.stream(response, req.model, signal)) yield ev.type === "done" ? { ...ev, usd } : ev;
}
