// Endpoints next to the gateway (docs/providers.md): named providers that speak OpenAI Chat Completions or Anthropic
// Messages (Ollama, LM Studio, vLLM, OpenRouter, a vendor's API with its key), kept in the home's providers.json
// (0600, a secret file). Here: reading and writing that file, one Gateway per provider (its URL, its own auth header,
// never a payer), and its models (GET {url}/models, cached as the gateway's catalog is). Which call goes where is the
// Gateway's `provider(model)`, read by llm/chat.ts; model names are resolved in gateway/models.ts.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { ActionableError } from "../core/errors";
import { writePrivateJson } from "../core/private";
import { type Catalog, type CatalogModel, loadCatalog, normalize } from "./catalog";
import { Gateway, type Protocol, type Provider } from "./client";

/** One provider in providers.json (`{"providers": {NAME: entry}}`). */
export type ProviderConfig = {
  /** The API base: its models are at `{url}/models`, its answers at `{url}/chat/completions` (or `/messages`). */
  url: string;
  protocol: "openai" | "anthropic";
  /** The environment variable that holds its API key, read at each run (the key itself is not stored). */
  apiKeyEnv?: string;
  /** The API key itself (`--api-key-stdin`). */
  apiKey?: string;
};
export type Providers = Record<string, ProviderConfig>;

/** A provider's name: the prefix of its models' ids (`ollama/qwen2.5-coder`). */
export const PROVIDER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

const damaged = (file: string, why: string) =>
  new ActionableError(`${file} is damaged (${why})`, "fix it by hand, or remove it and add the providers again", "config");

/** The providers in `file`; none when there is no file. A damaged file is an error: its entries are the user's. */
export function readProviders(file: string): Providers {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    // No file, or a home that is not there (a path through a file): no providers.
    if (["ENOENT", "ENOTDIR"].includes((err as NodeJS.ErrnoException).code ?? "")) return {};
    throw damaged(file, (err as Error).message);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw damaged(file, "not JSON");
  }
  const list = (raw as { providers?: unknown })?.providers;
  if (!list || typeof list !== "object" || Array.isArray(list)) throw damaged(file, "no `providers` object");
  const out: Providers = {};
  for (const [name, v] of Object.entries(list as Record<string, Partial<ProviderConfig>>)) {
    if (!PROVIDER_NAME.test(name) || typeof v?.url !== "string" || !URL.canParse(v.url)) throw damaged(file, `entry "${name}"`);
    out[name] = {
      url: v.url,
      protocol: v.protocol === "anthropic" ? "anthropic" : "openai",
      ...(typeof v.apiKeyEnv === "string" ? { apiKeyEnv: v.apiKeyEnv } : {}),
      ...(typeof v.apiKey === "string" ? { apiKey: v.apiKey } : {}),
    };
  }
  return out;
}

export function writeProviders(file: string, providers: Providers) {
  writePrivateJson(file, { providers });
}

/** The providers in `file`, read loosely: none when it is damaged (said by whatever needs them to run). */
export function providersIn(file: string): Providers {
  try {
    return readProviders(file);
  } catch {
    return {};
  }
}

/** The URL as stored: no trailing slash, and `/v1` when it names only a host (`http://localhost:11434`). */
export function apiBase(url: string): string {
  const u = new URL(url);
  if (u.pathname === "/" || u.pathname === "") u.pathname = "/v1";
  return u.toString().replace(/\/+$/, "");
}

const wire = (c: ProviderConfig): Protocol => (c.protocol === "anthropic" ? "messages" : "chat-completions");

/** One Gateway per provider: its URL, its own auth header, no payer (a 402 from it is an error, never paid). */
export function openProviders(
  list: Providers,
  o: { env: Record<string, string | undefined>; userAgent: string; idleTimeoutMs?: number },
): Provider[] {
  return Object.entries(list).map(([name, c]) => {
    const key = c.apiKey ?? (c.apiKeyEnv ? o.env[c.apiKeyEnv] : undefined);
    const protocol = wire(c);
    const auth: Record<string, string> = key ? (protocol === "messages" ? { "x-api-key": key } : { authorization: `Bearer ${key}` }) : {};
    const headers = protocol === "messages" ? { "anthropic-version": "2023-06-01", ...auth } : auth;
    const problem =
      c.apiKeyEnv && !key
        ? new ActionableError(
            `provider ${name} takes its API key from ${c.apiKeyEnv}, which is not set`,
            `export ${c.apiKeyEnv}, or store the key: \`runcode providers add ${name} --url ${c.url} --api-key-stdin\``,
            "config",
          )
        : undefined;
    const gateway = new Gateway({ baseUrl: c.url, userAgent: o.userAgent, headers, idleTimeoutMs: o.idleTimeoutMs, provider: name });
    return { name, gateway, protocol, problem };
  });
}

/** A provider's models as the catalog lists them: `NAME/id`, costing runcode nothing (the provider bills its own). */
export async function listModels(p: Provider, timeoutMs = 5000): Promise<CatalogModel[]> {
  if (p.problem) throw p.problem;
  const res = await p.gateway.get("/models", { timeoutMs });
  return normalize(await res.json()).map((m) => ({ ...m, id: `${p.name}/${m.id}`, provider: p.name, free: true, input: 0, output: 0 }));
}

/** Where provider `name`'s models are cached: next to the gateway's catalog cache. */
export const providerCacheFile = (catalogCache: string, name: string) => join(dirname(catalogCache), "providers", `${name}.json`);

/** A provider's models from their cache (refreshed when stale), or from the provider; none when it cannot list them. */
export function providerCatalog(
  p: Provider,
  o: { cacheFile: string; ttlMs: number; refresh: boolean; warn?: (line: string) => void },
): Promise<{ catalog: Catalog; pending?: Promise<void> }> {
  return loadCatalog({
    gateway: p.gateway,
    cacheFile: o.cacheFile,
    ttlMs: o.ttlMs,
    refresh: o.refresh,
    warn: o.warn,
    list: () => listModels(p),
    fallback: {
      models: [],
      warning: (err) =>
        `could not list the models of provider ${p.name} (${err instanceof Error ? err.message : String(err)}); -m ${p.name}/MODEL still works`,
    },
  });
}
