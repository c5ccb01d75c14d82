// One model call over the gateway: adapter = protocol + endpoint + framing. Yields StreamEvents; the final
// `done` carries what was paid for the call.
import { ActionableError, isAbort } from "../core/errors";
import { timeoutError, type Gateway } from "../gateway/client";
import * as anthropic from "./anthropic";
import * as openai from "./openai";
import type { ChatRequest, StreamEvent } from "./types";

export type Protocol = "messages" | "chat-completions";

export async function* chat(gw: Gateway, protocol: Protocol, req: ChatRequest, signal?: AbortSignal): AsyncGenerator<StreamEvent> {
  const p = protocol === "messages" ? anthropic : openai;
  const path = protocol === "messages" ? "/v1/messages" : "/v1/chat/completions";
  const { response, usd } = await gw.post(path, p.body(req, true), { signal, model: req.model, headers: p.headers(req.model) });
  try {
    for await (const ev of p.stream(response, req.model, signal)) yield ev.type === "done" ? { ...ev, usd } : ev;
  } catch (err) {
    throw bodyError(err, signal);
  }
}

/** Errors while the body streams: the user's abort stays an abort; the idle timer is a timeout; the rest is a cut stream. */
function bodyError(err: unknown, signal?: AbortSignal): unknown {
  if (err instanceof ActionableError) return err;
  if (signal?.aborted) return signal.reason ?? err;
  if (err instanceof Error && err.name === "TimeoutError") return timeoutError();
  if (isAbort(err)) return err;
  return anthropic.streamError("the answer stream was cut before the end of the message");
}
