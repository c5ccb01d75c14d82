// The `routing.*` config keys, registered in core/config.ts KEY_PATTERNS so `runcode config set` validates and
// documents them. Kept apart from options.ts so config.ts can import it without an import cycle.
import type { KeyDef } from "../core/config";

export const TABLE_KEY = /^routing\.tiers\.(auto|eco|premium|free|agentic)\.(simple|medium|complex|reasoning)\.(primary|fallbacks)$/i;

export const ROUTING_KEYS: Array<{ pattern: RegExp; def: KeyDef }> = [
  {
    pattern: TABLE_KEY,
    def: { kind: "string", doc: "routing table cell: routing.tiers.<auto|eco|premium|free|agentic>.<TIER>.primary (a model id) or .fallbacks (comma-separated ids)" },
  },
  { pattern: /^routing\.agentic$/, def: { kind: "bool", default: true, doc: "auto profile: use the agentic table when a request carries tools or scores agentic ≥ 0.5" } },
  { pattern: /^routing\.exclude$/, def: { kind: "string", doc: "comma-separated model ids the router never picks" } },
  { pattern: /^routing\.free-on-payment-failure$/, def: { kind: "bool", default: true, doc: "when a payment fails, fall back to a free model instead of stopping" } },
  { pattern: /^routing\.pin$/, def: { kind: "bool", default: true, doc: "keep a session's routed tier unless a later message scores higher (upgrade only)" } },
];
