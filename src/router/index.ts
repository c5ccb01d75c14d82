// The router's public surface. Everything here is pure: callers bring the catalog, the config and the session pin.
export { classify, BOUNDARIES, CONFIDENCE, KEYWORD_RULES, maxTier } from "./classify";
export { decide, price, profileOf, explainTier, type DecideInput } from "./decide";
export { filterChain, freeChain, resolveChain, resolveId, tableChain } from "./chain";
export { shouldFallBack, nextModel, looping, type Attempt, type FallbackReason, type NextInput } from "./fallback";
export { routerOptions, type RouterOptions, type TableOverrides } from "./options";
export { ROUTING_KEYS } from "./keys";
export { requestFromMessages } from "./request";
export { explain } from "./explain";
export { TABLES, BASELINE, MAX_CHAIN } from "./tables";
export * from "./types";
