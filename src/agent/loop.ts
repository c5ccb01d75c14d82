// The agent loop: model call → (tool calls → results → next call)… → exactly one `result`. No terminal IO here:
// it yields AgentEvents and the renderers decide what the user sees.
import { ActionableError, describe, type ResultError } from "../core/errors";
import type { AgentEvent } from "../core/events";
import type { Gateway } from "../gateway/client";
import type { CatalogModel } from "../gateway/catalog";
import { chat, type Protocol } from "../llm/chat";
import type { Message } from "../llm/types";
import { VERSION } from "../version";

export type AgentOptions = {
  gateway: Gateway;
  protocol: Protocol;
  model: CatalogModel;
  system?: string;
  /** The conversation so far, ending with the new user message. Assistant messages are appended in place. */
  messages: Message[];
  maxTokens: number;
  temperature?: number;
  session: string;
  cwd: string;
  contextFiles?: string[];
  signal: AbortSignal;
  now?: () => number;
};

export async function* runAgent(o: AgentOptions): AsyncGenerator<AgentEvent> {
  const now = o.now ?? Date.now;
  const started = now();
  yield { type: "session.started", session: o.session, model: o.model.id, version: VERSION, cwd: o.cwd, schema: 1, ...(o.contextFiles ? { context: o.contextFiles } : {}) };
  let text = "";
  let model = o.model.id;
  let usd = 0;
  let turns = 0;
  const total = { input: 0, output: 0 };
  let error: ResultError | undefined;
  try {
    turns++;
    yield { type: "turn.started", turn: turns, model };
    const req = { model: o.model.id, system: o.system, messages: o.messages, maxTokens: Math.min(o.maxTokens, o.model.maxOutput || o.maxTokens), temperature: o.temperature };
    for await (const ev of chat(o.gateway, o.protocol, req, o.signal)) {
      switch (ev.type) {
        case "start":
          if (ev.model !== o.model.id) {
            model = ev.model;
            yield { type: "model.substituted", requested: o.model.id, model: ev.model };
          }
          break;
        case "text":
          text += ev.text;
          yield { type: "text.delta", text: ev.text };
          break;
        case "thinking":
          yield { type: "reasoning.delta", text: ev.text };
          break;
        case "done": {
          usd += ev.usd;
          total.input += ev.usage.input;
          total.output += ev.usage.output;
          o.messages.push({ role: "assistant", content: ev.content });
          yield { type: "usage", model: ev.model, input: ev.usage.input, output: ev.usage.output, usd: ev.usd };
          yield { type: "turn.completed", turn: turns, stop: ev.stop, usage: ev.usage };
          if (!text.trim() && !ev.content.some((b) => b.type === "tool_use"))
            throw new ActionableError(`${model} returned an empty answer`, "retry, or pick another model with -m", "empty_answer");
          break;
        }
        case "tool_use.start":
        case "tool_use.done":
        case "usage":
          break;
        default:
          ev satisfies never;
      }
    }
  } catch (err) {
    const d = describe(o.signal.aborted ? o.signal.reason ?? err : err);
    error = { code: d.code, message: d.message };
  }
  yield { type: "result", ok: !error, text, model, usd, usage: total, turns, ms: now() - started, ...(error ? { error } : {}) };
}
