// Profile → tier → chain, as data (ClawRouter's April 2026 tables). Users override any cell with
// `runcode config set routing.tiers.<table>.<TIER>.primary|fallbacks …`; every id is checked against the catalog
// before use, so a stale id here costs nothing but a skipped entry. The free profile has no table: it is built
// from the catalog's free models (see chain.ts).
import type { TableName, TierTable } from "./types";

export const TABLES: Record<Exclude<TableName, "free">, TierTable> = {
  auto: {
    SIMPLE: {
      primary: "google/gemini-2.5-flash",
      fallbacks: [
        "google/gemini-3-flash-preview",
        "deepseek/deepseek-chat",
        "nvidia/kimi-k2.5",
        "google/gemini-2.5-flash-lite",
        "nvidia/gpt-oss-120b",
      ],
    },
    MEDIUM: {
      primary: "nvidia/kimi-k2.5",
      fallbacks: [
        "google/gemini-3-flash-preview",
        "deepseek/deepseek-chat",
        "google/gemini-2.5-flash",
        "openai/gpt-5-mini",
        "nvidia/gpt-oss-120b",
      ],
    },
    COMPLEX: {
      primary: "google/gemini-3.1-pro",
      fallbacks: [
        "google/gemini-3-pro-preview",
        "xai/grok-4-0709",
        "google/gemini-2.5-pro",
        "anthropic/claude-sonnet-4.6",
        "openai/gpt-5.4",
      ],
    },
    REASONING: {
      primary: "xai/grok-4-1-fast-reasoning",
      fallbacks: ["xai/grok-4-fast-reasoning", "deepseek/deepseek-reasoner", "openai/o4-mini", "openai/o3"],
    },
  },
  eco: {
    SIMPLE: { primary: "nvidia/gpt-oss-120b", fallbacks: ["nvidia/gpt-oss-20b", "google/gemini-3.1-flash-lite", "openai/gpt-5.4-nano"] },
    MEDIUM: {
      primary: "google/gemini-3.1-flash-lite",
      fallbacks: ["openai/gpt-5.4-nano", "google/gemini-2.5-flash-lite", "google/gemini-2.5-flash"],
    },
    COMPLEX: {
      primary: "google/gemini-3.1-flash-lite",
      fallbacks: ["google/gemini-2.5-flash-lite", "google/gemini-2.5-flash", "deepseek/deepseek-chat"],
    },
    REASONING: { primary: "xai/grok-4-1-fast-reasoning", fallbacks: ["deepseek/deepseek-reasoner"] },
  },
  premium: {
    SIMPLE: { primary: "nvidia/kimi-k2.5", fallbacks: ["google/gemini-2.5-flash", "anthropic/claude-haiku-4.5"] },
    MEDIUM: {
      primary: "openai/gpt-5.3-codex",
      fallbacks: ["nvidia/kimi-k2.5", "google/gemini-2.5-pro", "anthropic/claude-sonnet-4.6"],
    },
    COMPLEX: {
      primary: "anthropic/claude-opus-4.6",
      fallbacks: ["openai/gpt-5.4", "openai/gpt-5.3-codex", "anthropic/claude-sonnet-4.6", "google/gemini-3.1-pro"],
    },
    REASONING: {
      primary: "anthropic/claude-sonnet-4.6",
      fallbacks: ["anthropic/claude-opus-4.6", "xai/grok-4-1-fast-reasoning", "openai/o4-mini", "openai/o3"],
    },
  },
  agentic: {
    SIMPLE: { primary: "openai/gpt-4o-mini", fallbacks: ["nvidia/kimi-k2.5", "anthropic/claude-haiku-4.5"] },
    MEDIUM: {
      primary: "nvidia/kimi-k2.5",
      fallbacks: ["xai/grok-4-1-fast-non-reasoning", "anthropic/claude-haiku-4.5", "deepseek/deepseek-chat"],
    },
    COMPLEX: {
      primary: "anthropic/claude-sonnet-4.6",
      fallbacks: ["anthropic/claude-opus-4.6", "google/gemini-3.1-pro", "openai/gpt-5.4"],
    },
    REASONING: { primary: "anthropic/claude-sonnet-4.6", fallbacks: ["anthropic/claude-opus-4.6", "deepseek/deepseek-reasoner"] },
  },
};

/** Savings are reported against Claude Opus 4.6 (USD per 1M tokens). */
export const BASELINE = { id: "anthropic/claude-opus-4.6", input: 5, output: 25 } as const;
/** Output tokens assumed for the estimate when the request does not say. */
export const DEFAULT_MAX_OUTPUT = 4096;
/** Models tried for one answer, primary included. */
export const MAX_CHAIN = 5;
/** Headroom on the context window: a model needs (input + max output) × 1.1 tokens. */
export const CONTEXT_MARGIN = 1.1;
