// The 15-dimension classifier (ClawRouter's weights, thresholds and boundaries; see docs/router.md). Pure: the same
// request always yields the same classification; keyword matchers are compiled once at module load.
import { KEYWORDS, type KeywordDim } from "./keywords";
import { compile } from "./matcher";
import type { Classification, Dimension, DimensionName, Tier } from "./types";

/** A keyword dimension: score `low` from `at[0]` distinct hits, `high` from `at[1]`. */
type KeywordRule = { name: DimensionName; dim: KeywordDim; weight: number; at: [number, number]; low: number; high: number };

export const KEYWORD_RULES: KeywordRule[] = [
  { name: "codePresence", dim: "code", weight: 0.15, at: [1, 2], low: 0.5, high: 1.0 },
  { name: "reasoningMarkers", dim: "reasoning", weight: 0.18, at: [1, 2], low: 0.7, high: 1.0 },
  { name: "technicalTerms", dim: "technical", weight: 0.1, at: [2, 4], low: 0.5, high: 1.0 },
  { name: "creativeMarkers", dim: "creative", weight: 0.05, at: [1, 2], low: 0.5, high: 0.7 },
  { name: "simpleIndicators", dim: "simple", weight: 0.02, at: [1, 2], low: -1.0, high: -1.0 },
  { name: "imperativeVerbs", dim: "imperative", weight: 0.03, at: [1, 2], low: 0.3, high: 0.5 },
  { name: "constraintCount", dim: "constraint", weight: 0.04, at: [1, 3], low: 0.3, high: 0.7 },
  { name: "outputFormat", dim: "outputFormat", weight: 0.03, at: [1, 2], low: 0.4, high: 0.7 },
  { name: "referenceComplexity", dim: "reference", weight: 0.02, at: [1, 2], low: 0.3, high: 0.5 },
  { name: "negationComplexity", dim: "negation", weight: 0.01, at: [2, 3], low: 0.3, high: 0.5 },
  { name: "domainSpecificity", dim: "domain", weight: 0.02, at: [1, 2], low: 0.5, high: 0.8 },
];
const W = { tokenCount: 0.08, multiStepPatterns: 0.12, questionComplexity: 0.05, agenticTask: 0.04 };

/** Score boundaries between tiers: SIMPLE < 0.0 ≤ MEDIUM < 0.3 ≤ COMPLEX < 0.5 ≤ REASONING. */
export const BOUNDARIES = { simpleMedium: 0.0, mediumComplex: 0.3, complexReasoning: 0.5 } as const;
/** Sigmoid steepness and the confidence under which a decision counts as ambiguous (→ MEDIUM, 0.5). */
export const CONFIDENCE = { steepness: 12, threshold: 0.7 } as const;
export const LARGE_CONTEXT_TOKENS = 100_000;

const DIMS = KEYWORD_RULES.map((r) => r.dim).concat("agentic");
const MATCHER = compile(DIMS.map((d) => Object.values(KEYWORDS[d]).flatMap((s) => s.split("|"))));
const AGENTIC = DIMS.length - 1;

const MULTI_STEP = [
  /\bfirst\b.*\bthen\b/,
  /\bstep \d/,
  /\d\.\s/,
  /首先.*然后/,
  /第[一二三四五六七八九十\d]步/,
  /まず.*(?:次に|それから)/,
  /\b(?:сначала|затем)\b.*\b(?:потом|затем)\b/u,
  /\b(?:zuerst|erst)\b.*\bdann\b/,
  /\bprimero\b.*\b(?:luego|después)\b/,
  /\bd'abord\b.*\b(?:ensuite|puis)\b/,
  /\bprimeiro\b.*\bdepois\b/,
];
const STRUCTURED_SYSTEM = /json|structured|schema/i;

const tierRank = (t: Tier) => ["SIMPLE", "MEDIUM", "COMPLEX", "REASONING"].indexOf(t);
export const maxTier = (a: Tier, b: Tier): Tier => (tierRank(a) >= tierRank(b) ? a : b);

/**
 * Classify the last user message. `system` only counts toward tokens and the structured-output override;
 * `contextTokens` (the whole conversation, when known) feeds the large-context override.
 */
export function classify(prompt: string, system = "", contextTokens = 0): Classification {
  const text = prompt.toLowerCase();
  const tokens = Math.ceil(`${system} ${prompt}`.length / 4);
  const hits = MATCHER.match(text);
  const dimensions: Dimension[] = [];
  const push = (name: DimensionName, weight: number, score: number, found: string[]) =>
    dimensions.push({ name, weight, score, hits: found });

  push("tokenCount", W.tokenCount, tokens < 50 ? -1 : tokens > 500 ? 1 : 0, [`${tokens} tokens`]);
  KEYWORD_RULES.forEach((r, i) => {
    const found = hits[i]!;
    const score = found.length >= r.at[1] ? r.high : found.length >= r.at[0] ? r.low : 0;
    push(r.name, r.weight, score, found);
    if (r.name === "simpleIndicators") {
      const steps = MULTI_STEP.filter((re) => re.test(text)).map((re) => re.source);
      push("multiStepPatterns", W.multiStepPatterns, steps.length ? 0.5 : 0, steps.length ? ["multi-step"] : []);
      const q = (text.match(/[?？]/g) ?? []).length;
      push("questionComplexity", W.questionComplexity, q > 3 ? 0.5 : 0, q ? [`${q} questions`] : []);
    }
  });
  const agentic = hits[AGENTIC]!;
  const agenticScore = agentic.length >= 4 ? 1 : agentic.length >= 3 ? 0.6 : agentic.length >= 1 ? 0.2 : 0;
  push("agenticTask", W.agenticTask, agenticScore, agentic);

  const score = round(dimensions.reduce((s, d) => s + d.score * d.weight, 0));
  const { tier: rawTier, distance } = byScore(score);
  const overrides: string[] = [];
  let confidence = sigmoid(distance);
  let tier = rawTier;
  let ambiguous = false;
  if ((hits[1]?.length ?? 0) >= 2) {
    // Two reasoning markers ("prove … step by step") are a strong, cheap signal: trust them over the sum.
    tier = "REASONING";
    confidence = Math.max(confidence, 0.85);
    overrides.push("reasoning-override");
  } else if (confidence < CONFIDENCE.threshold) {
    tier = "MEDIUM";
    confidence = 0.5;
    ambiguous = true;
  }
  if (Math.max(tokens, contextTokens) > LARGE_CONTEXT_TOKENS && tierRank(tier) < tierRank("COMPLEX")) {
    tier = "COMPLEX";
    overrides.push("large-context");
  }
  if (STRUCTURED_SYSTEM.test(system) && tier === "SIMPLE") {
    tier = "MEDIUM";
    overrides.push("structured-output");
  }
  return { tier, score, confidence: round(confidence), rawTier, ambiguous, tokens, agenticScore, dimensions, overrides };
}

function byScore(s: number): { tier: Tier; distance: number } {
  const { simpleMedium: a, mediumComplex: b, complexReasoning: c } = BOUNDARIES;
  if (s < a) return { tier: "SIMPLE", distance: a - s };
  if (s < b) return { tier: "MEDIUM", distance: Math.min(s - a, b - s) };
  if (s < c) return { tier: "COMPLEX", distance: Math.min(s - b, c - s) };
  return { tier: "REASONING", distance: s - c };
}

const sigmoid = (d: number) => 1 / (1 + Math.exp(-CONFIDENCE.steepness * d));
/** Six decimals: enough to compare, and stops 0.1 + 0.2 noise from flipping a boundary test. */
const round = (n: number) => Math.round(n * 1e6) / 1e6;
