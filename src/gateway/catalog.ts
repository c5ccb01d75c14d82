// The model catalog: GET /v1/models (both documented shapes), cached under the home dir with a TTL, refreshed
// in the background when stale, and a small built-in list for when the gateway cannot be reached.
import { readFileSync } from "node:fs";
import { writePrivate } from "../core/private";
import { ActionableError } from "../core/errors";
import { log } from "../core/log";
import type { Gateway } from "./client";
import type { CatalogModel } from "../router/types";
import { BUILTIN_MODELS } from "./builtin-models";

// The entry type belongs to the router (which must not import gateway/); every reader of the catalog gets it here.
export type { CatalogModel };

export type Catalog = { models: CatalogModel[]; source: "live" | "cache" | "builtin"; fetchedAt: number };

const num = (v: unknown, d: number) =>
  typeof v === "number" && Number.isFinite(v) ? v : typeof v === "string" && v.trim() && Number.isFinite(Number(v)) ? Number(v) : d;

/** Accepts `{data:[{id, billing_mode, pricing:{input,output}, context_window, max_output, categories}]}` and `{models:[{id, inputPrice, outputPrice, …}]}`. */
export function normalize(raw: unknown): CatalogModel[] {
  const r = raw as { data?: unknown; models?: unknown } | unknown[];
  const list = Array.isArray(r) ? r : Array.isArray(r?.data) ? r.data : Array.isArray(r?.models) ? r.models : null;
  if (!list) throw new Error("catalog has neither `data` nor `models`");
  const out: CatalogModel[] = [];
  for (const m of list as Array<Record<string, any>>) {
    if (!m || typeof m.id !== "string" || m.available === false) continue;
    const input = num(m.pricing?.input ?? m.inputPrice ?? m.input_price, 0);
    const output = num(m.pricing?.output ?? m.outputPrice ?? m.output_price, 0);
    const categories: string[] = Array.isArray(m.categories) ? m.categories.filter((c: unknown) => typeof c === "string") : [];
    const free = m.billing_mode ? m.billing_mode === "free" : input === 0 && output === 0;
    out.push({
      id: m.id,
      free,
      input,
      output,
      context: num(m.context_window ?? m.contextWindow ?? m.context_length, 128_000),
      maxOutput: num(m.max_output ?? m.maxOutput ?? m.max_output_tokens, 8192),
      tools: m.supports_tools ?? (categories.length ? categories.includes("tools") || categories.includes("coding") : true),
      vision: m.supports_vision ?? categories.includes("vision"),
      reasoning: m.supports_reasoning ?? categories.includes("reasoning"),
      categories,
    });
  }
  return out;
}

type CacheFile = { fetchedAt: number; baseUrl: string; models: CatalogModel[] };

function readCache(file: string, baseUrl: string): CacheFile | "corrupt" | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  try {
    const c = JSON.parse(text) as CacheFile;
    if (typeof c.fetchedAt !== "number" || !Array.isArray(c.models)) return "corrupt";
    return c.baseUrl === baseUrl ? c : undefined;
  } catch {
    return "corrupt";
  }
}

/** The models of the cached catalog of this gateway; undefined when there is none, it is another's, or unreadable. */
export function cachedModels(file: string, baseUrl: string): CatalogModel[] | undefined {
  const c = readCache(file, baseUrl);
  return c && c !== "corrupt" ? c.models : undefined;
}

function writeCache(file: string, c: CacheFile) {
  try {
    writePrivate(file, JSON.stringify(c));
  } catch (err) {
    log(`cannot write catalog cache ${file}: ${err}`);
  }
}

export type CatalogOptions = {
  gateway: Gateway;
  cacheFile: string;
  ttlMs: number;
  now?: () => number;
  warn?: (message: string) => void;
  /** Skip the cache and ask the gateway. */
  refresh?: boolean;
  /**
   * A gateway host that cannot be reached at all (refused, no DNS, no route) is thrown, not papered over with the
   * built-in list: a run that needs the gateway next stops at once with one line instead of trying every model.
   */
  failUnreachable?: boolean;
  /** How the models are fetched; default the gateway's GET /v1/models (a provider's listing: gateway/providers.ts). */
  list?: () => Promise<CatalogModel[]>;
  /** What stands in when nothing is cached and the listing fails, and what is said then; default the built-in list. */
  fallback?: { models: CatalogModel[]; warning: (err: unknown) => string };
  /**
   * Send nothing: the cache whatever its age (no background refresh), else the fallback list without a word. A run
   * on a provider's model does not tell the gateway it happened.
   */
  offline?: boolean;
};

export async function fetchCatalog(gw: Gateway, timeoutMs = 5000): Promise<CatalogModel[]> {
  const res = await gw.get("/v1/models", { timeoutMs });
  return normalize(await res.json());
}

/**
 * The catalog to use now. A fresh cache answers at once; a stale one answers at once and `pending` refreshes it;
 * no cache means one fetch; an unreachable gateway means the built-in list (with a warning).
 */
export async function loadCatalog(o: CatalogOptions): Promise<{ catalog: Catalog; pending?: Promise<void> }> {
  const now = (o.now ?? Date.now)();
  const cached = o.refresh ? undefined : readCache(o.cacheFile, o.gateway.baseUrl);
  const fallback = o.fallback ?? {
    models: BUILTIN_MODELS,
    warning: () => "could not load the model catalog from the gateway; using the built-in list",
  };
  if (o.offline) {
    if (cached && cached !== "corrupt") return { catalog: { models: cached.models, source: "cache", fetchedAt: cached.fetchedAt } };
    return { catalog: { models: fallback.models, source: "builtin", fetchedAt: 0 } };
  }
  if (cached === "corrupt") o.warn?.(`model cache ${o.cacheFile} was corrupt; fetching the catalog again`);
  const refresh = async () => {
    const models = await (o.list ?? (() => fetchCatalog(o.gateway)))();
    writeCache(o.cacheFile, { fetchedAt: (o.now ?? Date.now)(), baseUrl: o.gateway.baseUrl, models });
    return models;
  };
  if (cached && cached !== "corrupt") {
    const catalog: Catalog = { models: cached.models, source: "cache", fetchedAt: cached.fetchedAt };
    if (now - cached.fetchedAt < o.ttlMs) return { catalog };
    const pending = refresh().then(
      () => undefined,
      (err) => log(`background catalog refresh failed: ${err}`),
    );
    return { catalog, pending };
  }
  try {
    return { catalog: { models: await refresh(), source: "live", fetchedAt: now } };
  } catch (err) {
    log(`catalog fetch failed: ${err}`);
    if (o.failUnreachable && err instanceof ActionableError && err.code === "gateway_unreachable") throw err;
    o.warn?.(fallback.warning(err));
    return { catalog: { models: fallback.models, source: "builtin", fetchedAt: 0 } };
  }
}
