// Which gateway models a proxied request goes to, in order. Precedence: a conversation's own `use <model>` switch,
// then `--model`, then what the client asked for. Native Claude ids (Claude Code sends several per session: a small
// model for titles, the main one for work) map to the configured gateway ids; profiles are routed by the router;
// shortcuts resolve as on the command line; provider/model ids pass through even when the catalog is stale.
import type { CatalogModel } from "../gateway/catalog";
import { resolveModel } from "../gateway/models";
import { decide, profileOf, resolveId, type RouteRequest, type RouterOptions, type Tier } from "../router";

export type Target = {
  /** Models to try in order; the first is the choice, the rest are fallbacks. */
  chain: string[];
  /** What the request named, after switch/override (for the log). */
  asked: string;
  /** Set when the router chose. */
  tier?: Tier;
};

export type MapInput = {
  requested: string;
  override?: string;
  switched?: string;
  get: (key: string) => unknown;
  catalog: CatalogModel[];
  request: RouteRequest;
  options: RouterOptions;
  fallback: boolean;
  /** The conversation's routed tier so far: a routed decision never goes below it. */
  pinned?: Tier;
};

/** `claude-sonnet-4-5-20250929`, `claude-3-5-haiku-latest` … → the configured gateway id; else undefined. */
export function nativeClaude(id: string, get: (key: string) => unknown): string | undefined {
  if (id.includes("/") || !/^claude-/i.test(id)) return undefined;
  const family = /opus/i.test(id) ? "opus" : /haiku/i.test(id) ? "haiku" : "sonnet";
  return String(get(`${family}-model`));
}

export function mapModel(o: MapInput): Target {
  const asked = o.switched ?? o.override ?? o.requested;
  const name = nativeClaude(asked, o.get) ?? asked;
  if (profileOf(name)) {
    const d = decide({ request: o.request, profile: name, catalog: o.catalog, options: o.options, pinned: o.pinned });
    return { chain: o.fallback ? [d.model, ...d.fallbacks] : [d.model], asked, tier: d.tier };
  }
  const id = name.includes("/") ? (resolveId(name, o.catalog) ?? name) : pick(name, o.catalog);
  if (!o.fallback) return { chain: [id], asked };
  // An explicit model falls back to the free pool only: a failure must never turn into a surprise paid model.
  return { chain: [id, ...freeFallbacks(o).filter((m) => m !== id)], asked };
}

function freeFallbacks(o: MapInput): string[] {
  try {
    const d = decide({ request: o.request, profile: "free", catalog: o.catalog, options: o.options });
    return [d.model, ...d.fallbacks];
  } catch {
    return []; // no free model in the catalog: no fallback rather than no answer
  }
}

/** A shortcut or bare id; throws the "did you mean" ActionableError for unknown names. */
function pick(name: string, catalog: CatalogModel[]): string {
  const r = resolveModel(name, catalog);
  if ("model" in r) return r.model.id;
  return name; // a profile: handled by the caller before this point
}

/** Whether `use <name>` names something the proxy can route to (checked before confirming a switch). */
export function validName(name: string, catalog: CatalogModel[], get: (key: string) => unknown): string {
  if (profileOf(name) || nativeClaude(name, get) || name.includes("/")) return name;
  return pick(name, catalog);
}
