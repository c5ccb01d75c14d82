// Routing for the REPL's profiles (auto, eco, premium): each message is classified and sent to the profile's model
// for it, like `runcode route` shows. A router failure falls back to the model already in use, never ends the turn.
import type { AgentEvent } from "../core/events";
import type { CatalogModel } from "../gateway/catalog";
import { decide } from "../router";

export function routeTurn(profile: string, prompt: string, system: string, models: CatalogModel[]): { model: CatalogModel; event: AgentEvent } | undefined {
  try {
    const d = decide({ request: { prompt, system, tools: true }, profile, catalog: models });
    const model = models.find((m) => m.id === d.model);
    if (!model) return undefined;
    const event: AgentEvent = {
      type: "route.decided", profile: d.profile, tier: d.tier, model: d.model, confidence: d.confidence, score: d.score,
      signals: d.signals, fallbacks: d.fallbacks, estUsd: d.estUsd, savings: d.savings,
    };
    return { model, event };
  } catch {
    return undefined;
  }
}
