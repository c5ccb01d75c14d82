// One model call over the gateway, or over the provider that serves the model (`NAME/…`, docs/providers.md):
// adapter = protocol + endpoint + auth + framing. Yields StreamEvents; the final `done` carries what was paid for it.
import { ActionableError, isAbort } from "../core/errors";
import { timeoutError, type Gateway, type Protocol } from "../gateway/client";
import * as anthropic from "./anthropic";
import * as openai from "./openai";
import type { ChatRequest, StreamEvent } from "./types";

export type { Protocol };

export async function* chat(gw: Gateway, protocol: Protocol, req: ChatRequest, signal?: AbortSignal): AsyncGenerator<StreamEvent> {
  const own = gw.provider(req.model);
  if (own?.provider.problem) throw own.provider.problem;
  const wire = own?.provider.protocol ?? protocol;
  const p = wire === "messages" ? anthropic : openai;
  // A provider's URL is its API base (…/v1): the gateway's paths without their /v1, its model ids without the prefix,
  // and its own auth header (in its Gateway's headers) instead of the gateway's x402 placeholder.
  const path = `${own ? "" : "/v1"}${wire === "messages" ? "/messages" : "/chat/completions"}`;
  const model = own?.model ?? req.model;
  const { response, usd } = await (own?.provider.gateway ?? gw).post(path, p.body({ ...req, model }, true), {
    signal,
    model: req.model,
    headers: p.headers(model, own ? "" : undefined),
  });
  try {
    for await (const ev of p.stream(response, model, signal)) {
      // A provider names its models its own way (`qwen2.5-coder:latest`): the run knows them by the id it asked for.
      const named = own && (ev.type === "start" || ev.type === "done") ? { ...ev, model: req.model } : ev;
      yield named.type === "done" ? { ...named, usd } : named;
    }
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
