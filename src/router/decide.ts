// One routing decision: classify, pick the profile's table (agentic when the work is tool-driven and the user did
// not turn that off), resolve against the catalog, filter, price, and say why. Pure: no IO, no clock.
import { ActionableError } from "../core/errors";
import { catalogIndex, filterChain, freePool, resolveChain, tableChain } from "./chain";
import { classify, maxTier } from "./classify";
import type { RouterOptions } from "./options";
import { BASELINE, DEFAULT_MAX_OUTPUT } from "./tables";
import { profileOf, type Classification, type Decision, type RouteRequest, type RouterModel, type Tier } from "./types";

export type DecideInput = {
  request: RouteRequest;
  /** auto | eco | premium | free, or blockrun/<profile>. */
  profile: string;
  catalog: RouterModel[];
  options?: RouterOptions;
  /** The session's pinned tier: the decision never goes below it (upgrade only). */
  pinned?: Tier;
};

export function decide({ request, profile: name, catalog, options = {}, pinned }: DecideInput): Decision {
  const profile = profileOf(name);
  if (!profile) throw new ActionableError(`unknown routing profile "${name}"`, "use auto, eco, premium or free", "usage");
  const inputTokens = Math.ceil((request.contextChars ?? `${request.system ?? ""} ${request.prompt}`.length) / 4);
  const c = classify(request.prompt, request.system, inputTokens);
  const usePin = options.pin !== false && pinned !== undefined;
  const tier = usePin ? maxTier(c.tier, pinned) : c.tier;
  const agentic = profile === "auto" && options.agentic !== false && ((request.agentic ?? request.tools) === true || c.agenticScore >= 0.5);

  const fromTable =
    profile === "free"
      ? freeWithOverrides(tier, catalog, options)
      : resolveChain(tableChain(agentic ? "agentic" : profile, tier, options.overrides), catalog);
  // Every table id may have drifted out of the catalog: the free pool is better than sending an unknown id.
  const ids = fromTable.length ? fromTable : freeIds(tier, catalog);
  if (!ids.length)
    throw new ActionableError(
      `no model for the ${profile} profile's ${tier} tier is in the model catalog`,
      "run `runcode route --catalog live` to refresh the catalog, or set routing.tiers.* to ids it has",
      "unknown_model",
    );

  const maxOutput = request.maxOutput ?? DEFAULT_MAX_OUTPUT;
  const { chain, dropped } = filterChain(ids, catalog, {
    tokens: inputTokens + maxOutput,
    tools: request.tools,
    images: request.images,
    exclude: options.exclude,
  });
  const model = chain[0]!;
  const { estUsd, savings } = price(catalogIndex(catalog).byId.get(model), inputTokens, maxOutput);
  const notes = [
    usePin && tier !== c.tier ? `pinned: session stays at ${tier} (this message scored ${c.tier})` : "",
    agentic
      ? (request.agentic ?? request.tools)
        ? "agentic table: request carries tools"
        : `agentic table: agentic score ${c.agenticScore}`
      : "",
    fromTable.length ? "" : "table models missing from catalog: free pool used",
    ...dropped.map((d) => `filtered ${d}`),
  ];
  return {
    profile,
    tier,
    model,
    fallbacks: chain.slice(1),
    confidence: c.confidence,
    score: c.score,
    signals: [...explainTier(c), ...notes.filter(Boolean)],
    estUsd,
    savings,
    agentic,
    pinned: usePin && tier !== c.tier,
    tokens: inputTokens,
    classification: c,
  };
}

/** The free pool for a tier; a user override for the free table may reorder it but never add a paid model. */
function freeWithOverrides(tier: Tier, catalog: RouterModel[], options: RouterOptions): string[] {
  const pool = freeIds(tier, catalog);
  const o = options.overrides?.free?.[tier];
  if (!o) return pool;
  const free = catalog.filter((m) => m.free);
  const wanted = resolveChain([...(o.primary ? [o.primary] : []), ...(o.fallbacks ?? pool)], free);
  return wanted.length ? wanted : pool;
}

const freeIds = (tier: Tier, catalog: RouterModel[]) => freePool(catalog, { tier }).map((m) => m.id);

/** Cost of one call (input + max output at list price) and the fraction saved against Claude Opus 4.6. */
export function price(m: RouterModel | undefined, inputTokens: number, maxOutput: number) {
  const out = Math.min(maxOutput, m?.maxOutput || maxOutput);
  const cost = m ? (inputTokens * m.input + out * m.output) / 1e6 : 0;
  const baseline = (inputTokens * BASELINE.input + maxOutput * BASELINE.output) / 1e6;
  const savings = baseline > 0 ? Math.max(0, (baseline - cost) / baseline) : 0;
  return { estUsd: Math.round(cost * 1e6) / 1e6, savings: Math.round(savings * 1e4) / 1e4 };
}

/** Why this tier, most important first: overrides, the ambiguity default, then the top 3 contributing dimensions. */
export function explainTier(c: Classification): string[] {
  const why: string[] = [];
  if (c.overrides.includes("reasoning-override")) why.push("2+ reasoning markers → REASONING");
  if (c.ambiguous) why.push(`ambiguous score ${c.score} (${c.rawTier}?) → MEDIUM`);
  if (c.overrides.includes("large-context")) why.push("over 100k tokens of context → COMPLEX");
  if (c.overrides.includes("structured-output")) why.push("system prompt asks for structured output → MEDIUM");
  const top = c.dimensions
    .filter((d) => d.score !== 0)
    .sort((a, b) => Math.abs(b.score * b.weight) - Math.abs(a.score * a.weight) || a.name.localeCompare(b.name))
    .slice(0, 3)
    .map((d) => `${d.name} ${signed(d.score * d.weight)}${d.hits.length ? `: ${d.hits.slice(0, 3).join(", ")}` : ""}`);
  return [...why, ...top];
}

const signed = (n: number) => `${n >= 0 ? "+" : ""}${n.toFixed(3)}`;
