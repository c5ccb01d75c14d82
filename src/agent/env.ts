// What a run is assembled from: the environment read once at the edge (the CLI context, cli/context.ts, is one),
// and the two things every front end builds from it the same way: the gateway client and the model catalog.
import type { Config } from "../core/config";
import type { Paths } from "../core/home";
import { loadCatalog, type Catalog } from "../gateway/catalog";
import { Gateway, type Payer } from "../gateway/client";
import { openProviders, providerCacheFile, providerCatalog, readProviders } from "../gateway/providers";
import { type Team, teamFetch } from "../gateway/team";
import type { Protocol } from "../llm/chat";
import type { Chain } from "../money/chain";
import { VERSION } from "../version";

export type RunEnv = {
  env: Record<string, string | undefined>;
  paths: Paths;
  config: Config;
  get: (key: string) => unknown;
  chain: Chain;
  baseUrl: string;
  protocol: Protocol;
  cwd: string;
  /** The team server this developer is logged in to (`runcode login`): then `baseUrl` is its API and the team pays. */
  team?: Team;
};

/**
 * The gateway client. `providers`: with the endpoints of providers.json behind it (docs/providers.md), so a model
 * `NAME/…` goes to provider NAME; front ends that only forward to the gateway (the proxy, the team server) leave it.
 */
export function openGateway(
  run: Pick<RunEnv, "baseUrl" | "get" | "team" | "paths" | "env">,
  payer?: Payer,
  o: { providers?: boolean } = {},
): Gateway {
  const { team } = run;
  const userAgent = `runcode/${VERSION}`;
  const idleTimeoutMs = (run.get("request-timeout") as number) * 1000;
  return new Gateway({
    baseUrl: run.baseUrl,
    userAgent,
    payer,
    headers: team ? { authorization: `Bearer ${team.token}` } : undefined,
    fetch: team?.ca ? teamFetch(team.ca) : undefined,
    idleTimeoutMs,
    providers: o.providers ? openProviders(readProviders(run.paths.providers), { env: run.env, userAgent, idleTimeoutMs }) : undefined,
  });
}

/**
 * The catalog from its cache (refreshed in the background when stale: `pending`), or from the gateway; with the
 * gateway's providers' models after the gateway's. `offline`: nothing is sent to the gateway (a run on a provider's
 * model); `providers: "warn"`: a provider that cannot list its models is said (`runcode models`), else only logged.
 */
export async function openCatalog(
  run: Pick<RunEnv, "paths" | "get">,
  gw: Gateway,
  o: { warn: (line: string) => void; refresh?: boolean; failUnreachable?: boolean; offline?: boolean; providers?: "warn" },
): Promise<{ catalog: Catalog; pending?: Promise<void> }> {
  const ttlMs = (run.get("catalog-ttl") as number) * 1000;
  const refresh = o.refresh ?? false;
  const [main, ...own] = await Promise.all([
    loadCatalog({
      gateway: gw,
      cacheFile: run.paths.catalogCache,
      ttlMs,
      warn: o.warn,
      refresh,
      failUnreachable: o.failUnreachable,
      offline: o.offline,
    }),
    ...[...gw.providers.values()].map((p) =>
      providerCatalog(p, {
        cacheFile: providerCacheFile(run.paths.catalogCache, p.name),
        ttlMs,
        refresh,
        warn: o.providers === "warn" ? o.warn : undefined,
      }),
    ),
  ]);
  if (!own.length) return main;
  // A provider's name wins over gateway ids with the same prefix: `NAME/…` always goes to the provider.
  const models = [...main.catalog.models.filter((m) => !gw.provider(m.id)), ...own.flatMap((c) => c.catalog.models)];
  const pending = [main, ...own].flatMap((c) => c.pending ?? []);
  return { catalog: { ...main.catalog, models }, pending: pending.length ? Promise.all(pending).then(() => undefined) : undefined };
}
