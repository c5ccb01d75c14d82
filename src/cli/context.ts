// The CLI context: what every command needs, built once at the edge (environment, home paths, config, chain and
// gateway URL), and the gateway and catalog built from it with the CLI's warnings (stderr).
import type { RunEnv } from "../agent/env";
import { openCatalog, openGateway } from "../agent/env";
import { readConfig } from "../core/config";
import { homeDir, paths } from "../core/home";
import { addSecret } from "../core/secrets";
import type { Catalog } from "../gateway/catalog";
import type { Gateway, Payer } from "../gateway/client";
import { activeTeam, teamBase } from "../gateway/team";
import type { Protocol } from "../llm/chat";
import { resolveBaseUrl, resolveChain } from "../money/chain";
import { getValue } from "../settings";
import { protect, runEnv } from "./secrets";
import { ui } from "./ui";

export type CliContext = RunEnv & { env: NodeJS.ProcessEnv };

export function context(env: NodeJS.ProcessEnv = runEnv()): CliContext {
  const p = paths(homeDir(env));
  const config = readConfig(p.config);
  const get = (key: string) => getValue(config, key, p.config);
  protect(env);
  addSecret(get("proxy-token") as string | undefined);
  const chain = resolveChain(env, p.chain);
  // A team login wins over the config's api-url; RUNCODE_API_URL wins over the login (docs/team.md).
  const team = activeTeam(env, p.login);
  return {
    env,
    paths: p,
    config,
    get,
    chain,
    team,
    baseUrl: team ? teamBase(team.url) : resolveBaseUrl(env, get("api-url"), chain),
    protocol: get("protocol") as Protocol,
    cwd: process.cwd(),
  };
}

export const gateway = (ctx: CliContext, payer?: Payer): Gateway => openGateway(ctx, payer);

export const catalog = (ctx: CliContext, gw: Gateway, refresh = false): Promise<{ catalog: Catalog; pending?: Promise<void> }> =>
  openCatalog(ctx, gw, { warn: ui.warn, refresh });
