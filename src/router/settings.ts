// The `routing.*` settings, spread into the program's table (src/settings.ts) so `runcode config set` validates and
// documents them; options.ts reads them back with the same definitions.
import type { SettingPattern } from "../core/config";

export const TABLE_CELL = /^routing\.tiers\.(auto|eco|premium|free|agentic)\.(simple|medium|complex|reasoning)\.(primary|fallbacks)$/i;

export const ROUTING_SETTINGS: SettingPattern[] = [
  {
    pattern: TABLE_CELL,
    def: {
      kind: "string",
      doc: "routing table cell: routing.tiers.<auto|eco|premium|free|agentic>.<TIER>.primary (a model id) or .fallbacks (comma-separated ids)",
    },
  },
  {
    pattern: /^routing\.agentic$/,
    def: { kind: "bool", default: true, doc: "auto profile: use the agentic table when a request carries tools or scores agentic ≥ 0.5" },
  },
  { pattern: /^routing\.exclude$/, def: { kind: "string", doc: "comma-separated model ids the router never picks" } },
  {
    pattern: /^routing\.free-on-payment-failure$/,
    // Kept so config files that set it still load; it never changed anything. The one decision is fallback-to-free.
    def: { kind: "bool", doc: "ignored (an old name): use fallback-to-free" },
  },
  {
    pattern: /^routing\.pin$/,
    def: { kind: "bool", default: true, doc: "keep a session's routed tier unless a later message scores higher (upgrade only)" },
  },
];
