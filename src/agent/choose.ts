// Which model answers, and what stands behind it, by one rule for every front end (ask, edit, the REPL):
//   - without a wallet, free means free: a profile routes among the free models only, and a paid model the user
//     named is refused before anything is sent, with the fix;
//   - a routing profile (auto, eco, premium, free) is decided by the router from the user's last message, never
//     below the session's pinned tier (upgrade only), with the router's chain behind it;
//   - no model named means the best free coding model, with the rest of the free pool behind it (free models are
//     rate limited);
//   - a model the user named is used as asked, never silently replaced; free models stand behind it only after a
//     payment problem, when fallback-to-free allows;
//   - a provider's model (`-m NAME/model`, docs/providers.md) is used as asked with nothing behind it (its
//     conversation never moves to the gateway), wallet or not; profiles and the free pool never choose one.
// Which model follows a failure is the router's one fallback policy (router/fallback.ts); this only says what the
// chain is.
import { ActionableError } from "../core/errors";
import type { AgentEvent } from "../core/events";
import type { CatalogModel } from "../gateway/catalog";
import { providerModel, resolveModel } from "../gateway/models";
import type { Message } from "../llm/types";
import type { ModelChain, Tier } from "../router";
import { freePool } from "../router/chain";
import { profileOf } from "../router/types";

export type Choice = { model: CatalogModel; chain: ModelChain; route?: Extract<AgentEvent, { type: "route.decided" }>; tier?: Tier };

export type ChooseInput = {
  /** -m / default-model; undefined = the best free model. */
  name?: string;
  models: CatalogModel[];
  /** The names of the providers next to the gateway: `NAME/…` is one of their models. */
  providers?: readonly string[];
  /** The conversation; the router scores its last user message that has text. */
  messages: Message[];
  /** Only the user's own system prompt (--system): the project context would skew the classifier. */
  system?: string;
  /** The request will carry write tools (edit, the REPL): the auto profile may use its agentic table. */
  agentic: boolean;
  /** The request will carry tools at all: only models with tool support are routed to. Default: `agentic`. */
  tools?: boolean;
  /** A wallet is set up, so paid models can be paid for. Default true. */
  canPay?: boolean;
  vision?: boolean;
  maxTokens: number;
  config: Record<string, unknown>;
  /** config smart-routing */
  routed: boolean;
  fallbackFree: boolean;
  /** The session's tier so far: a routed decision never goes below it. */
  pinned?: Tier;
};

/**
 * The router compiles its keyword tables when loaded (a few ms), so it is imported only when a profile is asked for:
 * a run on a named model or the default free model never pays for it.
 */
export async function chooseModel(o: ChooseInput): Promise<Choice> {
  const own = o.name ? providerModel(o.name, o.models, o.providers ?? []) : undefined;
  if (own) return { model: own, chain: { models: [own.id], routed: false, freeAfterPayment: false, catalog: [own] } };
  const gateway = { ...o, models: o.models.filter((m) => !m.provider) };
  if (o.canPay === false) return chooseFree(gateway);
  return chooseAny(gateway);
}

/** No wallet: routing profiles decide among the free models; a named paid model is refused with the fix. */
async function chooseFree(o: ChooseInput): Promise<Choice> {
  const profile = o.name ? profileOf(o.name) : undefined;
  if (o.name && !profile) {
    const r = resolveModel(o.name, o.models);
    if ("model" in r && !r.model.free) throw paidWithoutWallet(r.model.id);
    return chooseAny(o);
  }
  const free = o.models.filter((m) => m.free);
  const c = await chooseAny({ ...o, models: free, fallbackFree: false });
  const route = c.route && { ...c.route, signals: [...c.route.signals, "no wallet: free models only"] };
  // The chain's catalog is the whole one (model ids, prices); only free models are in it.
  return { ...c, route, chain: { ...c.chain, catalog: o.models } };
}

export function paidWithoutWallet(id: string): ActionableError {
  return new ActionableError(
    `${id} is a paid model and no wallet is set up`,
    "run `runcode setup` to create and fund one, or use a free model (-m free, or a routing profile: auto, eco, premium)",
    "payment_required",
  );
}

async function chooseAny(o: ChooseInput): Promise<Choice> {
  const chain = (models: CatalogModel[], routed: boolean, tier?: Tier): ModelChain => ({
    models: models.map((m) => m.id),
    routed,
    freeAfterPayment: o.fallbackFree,
    catalog: o.models,
    tier,
    vision: o.vision,
  });
  const profile = o.name ? profileOf(o.name) : undefined;
  if (profile && o.routed) {
    const { decide, requestFromMessages, routerOptions } = await import("../router");
    const d = decide({
      request: requestFromMessages({
        messages: o.messages,
        system: o.system,
        tools: o.tools ?? o.agentic,
        agentic: o.agentic,
        maxTokens: o.maxTokens,
      }),
      profile,
      catalog: o.models,
      options: routerOptions(o.config),
      pinned: o.pinned,
    });
    const byId = new Map(o.models.map((m) => [m.id, m]));
    const [model, ...fallbacks] = [d.model, ...d.fallbacks]
      .map((id) => byId.get(id))
      .filter((m): m is CatalogModel => !!m && (!o.vision || m.vision));
    if (model) {
      const route = {
        type: "route.decided" as const,
        profile: d.profile,
        tier: d.tier,
        model: model.id,
        confidence: d.confidence,
        score: d.score,
        signals: d.signals,
        fallbacks: fallbacks.map((m) => m.id),
        estUsd: d.estUsd,
        savings: d.savings,
      };
      return { model, chain: chain([model, ...fallbacks], true, d.tier), route, tier: d.tier };
    }
  }
  if (!o.name || profile) {
    const pool = freePool(o.models, { vision: o.vision });
    const model = pool[0];
    if (!model)
      throw new ActionableError(
        o.vision ? "no free model in the catalog accepts images" : "the gateway's catalog lists no free model right now",
        "pick a model with -m (run `runcode models`)",
        "unknown_model",
      );
    // Payment problems on the free pool are a gateway asking to be paid for a free model: final, never "fall back".
    return { model, chain: { ...chain(pool, true), freeAfterPayment: false } };
  }
  const r = resolveModel(o.name, o.models);
  if (!("model" in r))
    throw new ActionableError(
      `routing is off (smart-routing false), so "${o.name}" cannot be used`,
      "pick a model with -m, or `runcode config set smart-routing true`",
      "usage",
    );
  return { model: r.model, chain: chain([r.model], false) };
}
