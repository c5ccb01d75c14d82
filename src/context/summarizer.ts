// Who writes the compaction summary: a cheaper model than the session's (the same vendor's cheapest, which
// summarises well and shares its tokenizer), or the best free model when the session is free; a model of a
// provider next to the gateway (docs/providers.md) writes its own.
import type { Gateway } from "../gateway/client";
import type { CatalogModel } from "../gateway/catalog";
import { bestFree } from "../router/chain";
import { chat, type Protocol } from "../llm/chat";
import { COMPACT_SYSTEM, type Summarize } from "./compact";

/** The model to summarise with for a session on `model`. */
export function pickSummarizer(model: CatalogModel, models: readonly CatalogModel[]): CatalogModel {
  // A provider's conversation stays with it (docs/providers.md): it summarises itself.
  if (model.provider) return model;
  if (model.free) return bestFree([...models]) ?? model;
  const vendor = (m: CatalogModel) => m.id.split("/")[0];
  const price = (m: CatalogModel) => m.input + m.output;
  // Big enough to read a summariser prompt for this session (the prompt is capped at about two-thirds of a window).
  const fits = (m: CatalogModel) => m.context >= Math.min(model.context, 64_000);
  const cheaper = models.filter((m) => !m.free && fits(m) && price(m) <= price(model));
  cheaper.sort((a, b) => Number(vendor(b) === vendor(model)) - Number(vendor(a) === vendor(model)) || price(a) - price(b));
  return cheaper[0] ?? model;
}

/** A Summarize that calls `model` through the gateway and reports what the call cost. */
export function modelSummarizer(gw: Gateway, protocol: Protocol, model: CatalogModel, maxTokens = 4096): Summarize {
  return async (prompt, signal) => {
    let out = { text: "", model: model.id, input: 0, output: 0, usd: 0 };
    const req = {
      model: model.id,
      system: COMPACT_SYSTEM,
      messages: [{ role: "user" as const, content: prompt }],
      maxTokens: Math.min(maxTokens, model.maxOutput || maxTokens),
    };
    for await (const ev of chat(gw, protocol, req, signal)) {
      if (ev.type !== "done") continue;
      const text = ev.content.map((b) => (b.type === "text" ? b.text : "")).join("");
      out = { text, model: ev.model, input: ev.usage.input, output: ev.usage.output, usd: ev.usd };
    }
    return out;
  };
}
