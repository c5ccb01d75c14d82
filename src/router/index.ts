// The router's public surface. Everything here is pure: callers bring the catalog, the config and the session pin.
export { classify, BOUNDARIES, CONFIDENCE, KEYWORD_RULES, maxTier } from "./classify";
export { decide, price, explainTier, type DecideInput } from "./decide";
export { bestFree, filterChain, freePool, resolveChain, resolveId, tableChain } from "./chain";
export {
  failureReason,
  isPaymentError,
  looping,
  nextModel,
  REASONS,
  type Failure,
  type FallbackInput,
  type FallbackReason,
  type ModelChain,
  type Tried,
} from "./fallback";
export { routerOptions, type RouterOptions, type TableOverrides } from "./options";
export { ROUTING_SETTINGS } from "./settings";
export {
  BUDGET_MODES,
  BUDGET_SETTINGS,
  budgetSettings,
  DEFAULT_BUDGET,
  nextBudget,
  outputBudget,
  WRITE_TOOLS,
  writesLikely,
  type BudgetMode,
  type BudgetRequest,
  type BudgetSettings,
} from "./budget";
export { requestFromMessages } from "./request";
export { explain } from "./explain";
export { TABLES, BASELINE, MAX_CHAIN } from "./tables";
export * from "./types";
