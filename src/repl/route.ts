// The model for each REPL message and what to fall back on, by the same rules as ask/edit (src/cli/run.ts): a
// routing profile (auto, eco, premium) is decided per message from the whole conversation; the default (no model
// named, or `free`) is the best free coding model with the rest of the free pool behind it; a model the user named is
// used as asked, with free models behind it only after a payment problem when fallback-to-free allows (on by default
// in the REPL).
import type { ModelChain } from "../agent/fallback";
import type { AgentEvent } from "../core/events";
import type { CatalogModel } from "../gateway/catalog";
import { bestFree, resolveModel } from "../gateway/models";
import type { Message } from "../llm/types";
import { decide, profileOf, requestFromMessages, routerOptions } from "../router";

export type Choice = { model: CatalogModel; chain: ModelChain; route?: Extract<AgentEvent, { type: "route.decided" }> };

/** The router only needs to know the request carries tools. */
const AGENTIC_MARK = { name: "Edit", description: "", input_schema: {} };

export function chooseModel(o: {
  name: string;
  models: CatalogModel[];
  messages: Message[];
  system: string;
  maxTokens: number;
  config: Record<string, unknown>;
  routed: boolean;
  fallbackFree: boolean;
}): Choice {
  const best = bestFree(o.models);
  const pool = best ? [best, ...o.models.filter((m) => m.free && m !== best).sort((a, b) => b.context - a.context)] : [];
  const free = o.fallbackFree ? pool : [];
  const profile = profileOf(o.name);
  if (profile && profile !== "free" && o.routed) {
    try {
      const d = decide({ request: requestFromMessages({ messages: o.messages, system: o.system, tools: [AGENTIC_MARK], maxTokens: o.maxTokens }), profile, catalog: o.models, options: routerOptions(o.config) });
      const byId = new Map(o.models.map((m) => [m.id, m]));
      const [model, ...fallbacks] = [d.model, ...d.fallbacks].map((id) => byId.get(id)).filter((m): m is CatalogModel => !!m);
      if (model) {
        const route = { type: "route.decided" as const, profile: d.profile, tier: d.tier, model: model.id, confidence: d.confidence, score: d.score, signals: d.signals, fallbacks: fallbacks.map((m) => m.id), estUsd: d.estUsd, savings: d.savings };
        return { model, chain: { fallbacks, free }, route };
      }
    } catch {
      // a router failure falls through to the free pool, never ends the turn
    }
  }
  if (profile) {
    const [model, ...fallbacks] = pool;
    if (model) return { model, chain: { fallbacks: fallbacks.slice(0, 4), free: [] } };
  }
  const r = resolveModel(o.name, o.models);
  if (!("model" in r)) throw new Error(`no model available for "${o.name}"`);
  return { model: r.model, chain: { fallbacks: [], free } };
}
