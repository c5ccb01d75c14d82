// From a table cell to the models actually tried: resolve ids against the catalog (ids drift between providers and
// spellings), build the free profile from the catalog, and filter by what the request needs.
import type { TableOverrides } from "./options";
import { CONTEXT_MARGIN, MAX_CHAIN, TABLES } from "./tables";
import type { RouterModel, TableName, Tier } from "./types";

/**
 * The one spelling-insensitive form of a model id, for every comparison of ids in the tree: "claude-opus-4-6" and
 * "claude-opus-4.6" name the same model, as do "gpt5.4" and "gpt-5.4" (a separator before a version number is
 * dropped); so do "nvidia/kimi-k2.5" and "moonshot/kimi-k2.5" (same `base`).
 */
const norm = (id: string) =>
  id
    .toLowerCase()
    .replace(/(\d)[-_.](\d)/g, "$1.$2")
    .replace(/([a-z])[-_ ](\d)/g, "$1$2");
const base = (id: string) => norm(id).split("/").at(-1) ?? "";

type Index = { byId: Map<string, RouterModel>; byNorm: Map<string, string>; byBase: Map<string, string> };
/** Lookups per catalog array, built once: decide() runs per request and must stay far under 1 ms. */
const INDEXES = new WeakMap<RouterModel[], Index>();

export function catalogIndex(catalog: RouterModel[]): Index {
  let ix = INDEXES.get(catalog);
  if (ix) return ix;
  ix = { byId: new Map(), byNorm: new Map(), byBase: new Map() };
  for (const m of catalog) {
    ix.byId.set(m.id, m);
    if (!ix.byNorm.has(norm(m.id))) ix.byNorm.set(norm(m.id), m.id);
    if (!ix.byBase.has(base(m.id))) ix.byBase.set(base(m.id), m.id);
  }
  INDEXES.set(catalog, ix);
  return ix;
}

/** The catalog's id for `id`: exact, else the same model under another spelling or vendor; undefined if absent. */
export function resolveId(id: string, catalog: RouterModel[]): string | undefined {
  const ix = catalogIndex(catalog);
  if (ix.byId.has(id)) return id;
  return ix.byNorm.get(norm(id)) ?? ix.byBase.get(base(id));
}

/** Table ids for a tier with the user's overrides applied (primary first). */
export function tableChain(table: Exclude<TableName, "free">, tier: Tier, overrides: TableOverrides = {}): string[] {
  const cell = TABLES[table][tier];
  const o = overrides[table]?.[tier];
  return [o?.primary ?? cell.primary, ...(o?.fallbacks ?? cell.fallbacks)];
}

/** Parameter count read from an id like "qwen3-coder-480b" (0 when absent): a rough size/quality proxy. */
const size = (id: string) => Number(/(\d+)b\b/.exec(id)?.[1] ?? 0);

/**
 * The free pool ranked for a tier ("best free coding model"), the one ranking of free models in the tree: coding
 * models with tool calling first, reasoning models first for REASONING, then larger models. Deterministic: ties
 * break by id. `vision`: only models that accept images. Never a provider's model: they cost nothing to runcode,
 * but the user's own endpoint is used only when named.
 */
export function freePool(catalog: RouterModel[], o: { tier?: Tier; vision?: boolean } = {}): RouterModel[] {
  const rank = (m: RouterModel) =>
    (m.categories.includes("coding") ? 4 : 0) + (m.tools ? 2 : 0) + (o.tier === "REASONING" && m.reasoning ? 8 : 0);
  return catalog
    .filter((m) => m.free && !m.provider && (!o.vision || m.vision))
    .sort((a, b) => rank(b) - rank(a) || size(b.id) - size(a.id) || a.id.localeCompare(b.id));
}

/** The first of the free pool: what `-m free` and "no model named" start on. */
export const bestFree = (catalog: RouterModel[], o: { vision?: boolean } = {}): RouterModel | undefined => freePool(catalog, o)[0];

/** Catalog ids for the given ids, missing ones dropped, duplicates removed, order kept. */
export function resolveChain(ids: string[], catalog: RouterModel[]): string[] {
  const out: string[] = [];
  for (const id of ids) {
    const r = resolveId(id, catalog);
    if (r && !out.includes(r)) out.push(r);
  }
  return out;
}

export type Needs = { tokens: number; tools?: boolean; images?: boolean; exclude?: string[] };

/**
 * Keep the models that can serve the request, capped at MAX_CHAIN. A filter that would leave nothing is skipped
 * (trying a model that might fail beats refusing outright); `dropped` says what each filter removed.
 */
export function filterChain(ids: string[], catalog: RouterModel[], needs: Needs) {
  const { byId } = catalogIndex(catalog);
  const excluded = new Set((needs.exclude ?? []).map(norm));
  const filters: Array<[string, (m: RouterModel | undefined, id: string) => boolean]> = [
    ["excluded", (_, id) => !excluded.has(norm(id))],
    ["context", (m) => !m || m.context >= needs.tokens * CONTEXT_MARGIN],
    ["tools", (m) => !needs.tools || !m || m.tools],
    ["vision", (m) => !needs.images || !m || m.vision],
  ];
  let chain = ids;
  const dropped: string[] = [];
  for (const [name, keep] of filters) {
    const next = chain.filter((id) => keep(byId.get(id), id));
    if (next.length === 0 || next.length === chain.length) continue;
    dropped.push(`${name}: ${chain.filter((id) => !next.includes(id)).join(", ")}`);
    chain = next;
  }
  return { chain: chain.slice(0, MAX_CHAIN), dropped };
}
