// The router's vocabulary. The router depends on a plain array of models shaped like the gateway catalog's entries,
// never on the catalog module itself, so it stays pure and testable with hand-written catalogs.
import type { CatalogModel } from "../gateway/catalog";

export const TIERS = ["SIMPLE", "MEDIUM", "COMPLEX", "REASONING"] as const;
export type Tier = (typeof TIERS)[number];

/** User-facing profiles. `agentic` is not a profile: it is the table `auto` switches to for tool-driven work. */
import type { Profile } from "../gateway/models";
export { PROFILES, type Profile } from "../gateway/models";
export type TableName = Profile | "agentic";

/** The catalog's model entry, which the router reads (a type only: the router stays free of IO). Prices: USD per 1M. */
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
  tools?: boolean;
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
