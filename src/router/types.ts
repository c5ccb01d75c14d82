// The router's vocabulary, owned here so the router imports nothing from gateway/: the gateway's catalog parses
// /v1/models into the model entry defined below, and the router takes a plain array of them (pure, and testable
// with hand-written catalogs).

export const TIERS = ["SIMPLE", "MEDIUM", "COMPLEX", "REASONING"] as const;
export type Tier = (typeof TIERS)[number];

/** User-facing profiles. `agentic` is not a profile: it is the table `auto` switches to for tool-driven work. */
export const PROFILES = ["auto", "eco", "premium", "free"] as const;
export type Profile = (typeof PROFILES)[number];
export type TableName = Profile | "agentic";

/** `auto`, `blockrun/auto`, … → the profile; anything else (a model id, a shortcut) → undefined. */
export function profileOf(name: string): Profile | undefined {
  const n = name.toLowerCase().replace(/^blockrun\//, "");
  return (PROFILES as readonly string[]).includes(n) ? (n as Profile) : undefined;
}

/** One model of the gateway's catalog (gateway/catalog.ts fills it from /v1/models, or the built-in list). */
export type CatalogModel = {
  id: string;
  free: boolean;
  /** USD per 1M tokens. */
  input: number;
  output: number;
  context: number;
  maxOutput: number;
  tools: boolean;
  vision: boolean;
  reasoning: boolean;
  categories: string[];
  /**
   * Set on the models of a provider next to the gateway (gateway/providers.ts): its name. The router never routes
   * to them and the free pool never holds them; they are used only when named (`-m NAME/model`).
   */
  provider?: string;
};

/** The same entry under the name the router's code and tests use. */
export type RouterModel = CatalogModel;

/** One tier's chain: the primary model, then fallbacks in order. */
export type TierRoute = { primary: string; fallbacks: string[] };
export type TierTable = Record<Tier, TierRoute>;

/** What the router needs to know about a request. Build it from messages with `requestFromMessages`. */
export type RouteRequest = {
  /** Text of the last user message: the only text keyword dimensions are scored on. */
  prompt: string;
  system?: string;
  /** Characters of the whole conversation (system + all messages); defaults to system + prompt. */
  contextChars?: number;
  /** The request carries tools: only models the catalog marks with tool support are routed to. */
  tools?: boolean;
  /** The request drives an agent with write tools (edit, the REPL): `auto` may use its agentic table. Default: `tools`. */
  agentic?: boolean;
  images?: boolean;
  /** Requested max output tokens; used for the context-window filter and the cost estimate. */
  maxOutput?: number;
};

export type DimensionName =
  | "tokenCount"
  | "codePresence"
  | "reasoningMarkers"
  | "technicalTerms"
  | "creativeMarkers"
  | "simpleIndicators"
  | "multiStepPatterns"
  | "questionComplexity"
  | "imperativeVerbs"
  | "constraintCount"
  | "outputFormat"
  | "referenceComplexity"
  | "negationComplexity"
  | "domainSpecificity"
  | "agenticTask";

/** One scored dimension. `hits` are the keywords (or the measure) that produced the score. */
export type Dimension = { name: DimensionName; weight: number; score: number; hits: string[] };

export type Classification = {
  tier: Tier;
  /** Weighted sum of the dimension scores. */
  score: number;
  /** Sigmoid of the distance to the nearest tier boundary; 0.5 when ambiguous. */
  confidence: number;
  /** The tier the score alone pointed at before the ambiguity default and overrides. */
  rawTier: Tier;
  ambiguous: boolean;
  /** Estimated prompt tokens: ceil((system + " " + prompt).length / 4). */
  tokens: number;
  agenticScore: number;
  dimensions: Dimension[];
  /** Overrides that moved the tier, in the order applied (e.g. "reasoning-override"). */
  overrides: string[];
};

/** Everything `route.decided` carries, plus what callers need to run the chain. */
export type Decision = {
  profile: Profile;
  tier: Tier;
  model: string;
  /** The models to try after `model`, already filtered and capped (chain length ≤ 5). */
  fallbacks: string[];
  confidence: number;
  score: number;
  /** Human-readable reasons, most important first. */
  signals: string[];
  /** Estimated cost of one call to `model` in USD. */
  estUsd: number;
  /** Fraction saved vs. Claude Opus 4.6 at $5/$25 per 1M tokens, 0..1. */
  savings: number;
  agentic: boolean;
  /** True when the session pin raised the tier above what this message scored. */
  pinned: boolean;
  /** Estimated input tokens of the whole request (for the context filter and cost). */
  tokens: number;
  classification: Classification;
};
