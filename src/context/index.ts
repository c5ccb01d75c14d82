// The context-management API, for the agent loop (prepareContext, observeUsage), the REPL (/compact, /context,
// /tokens) and the proxy (count_tokens). See docs/context.md.
export {
  createContext,
  prepareContext,
  observeUsage,
  overflowed,
  compactNow,
  currentView,
  budgets,
  MAX_FAILURES,
  type ContextState,
  type ContextOptions,
  type Request,
} from "./pipeline";
export { contextBreakdown, type Breakdown } from "./breakdown";
export { countExact, estimate, limitsOf, messageTokens, Anchor, type ExactCount, type Limits } from "./tokens";
export { pickSummarizer, modelSummarizer } from "./summarizer";
export { COMPACT_SYSTEM, SECTIONS, type Summarize, type Summary, type Extras } from "./compact";
export { contextFor, type ContextFor } from "./agent";
