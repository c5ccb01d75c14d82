// What a run is assembled from: the environment read once at the edge (the CLI context, cli/context.ts, is one),
// and the two things every front end builds from it the same way: the gateway client and the model catalog.
import type { Config } from "../core/config";
import type { Paths } from "../core/home";
import { loadCatalog, type Catalog } from "../gateway/catalog";
import { Gateway, type Payer } from "../gateway/client";
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

export function openGateway(run: Pick<RunEnv, "baseUrl" | "get" | "team">, payer?: Payer): Gateway {
  const { team } = run;
  return new Gateway({
    baseUrl: run.baseUrl,
    userAgent: `runcode/${VERSION}`,
    payer,
    headers: team ? { authorization: `Bearer ${team.token}` } : undefined,
    fetch: team?.ca ? teamFetch(team.ca) : undefined,
    idleTimeoutMs: (run.get("request-timeout") as number) * 1000,
  });
}

/** The catalog from its cache (refreshed in the background when stale: `pending`), or from the gateway. */
export function openCatalog(
  run: Pick<RunEnv, "paths" | "get">,
  gw: Gateway,
  o: { warn: (line: string) => void; refresh?: boolean; failUnreachable?: boolean },
): Promise<{ catalog: Catalog; pending?: Promise<void> }> {
  return loadCatalog({
    gateway: gw,
    cacheFile: run.paths.catalogCache,
    ttlMs: (run.get("catalog-ttl") as number) * 1000,
    warn: o.warn,
    refresh: o.refresh ?? false,
    failUnreachable: o.failUnreachable,
  });
}
