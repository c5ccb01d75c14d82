// What every command needs, built once at the edge: environment, home paths, config, the gateway and catalog.
import { readConfig, type Config } from "../core/config";
import { homeDir, paths, type Paths } from "../core/home";
import { resolveBaseUrl, resolveChain, type Chain } from "../money/chain";
import { Gateway, type Payer } from "../gateway/client";
import { loadCatalog, type Catalog } from "../gateway/catalog";
import type { Protocol } from "../llm/chat";
import { addSecret } from "../core/secrets";
import { getValue } from "../settings";
import { VERSION } from "../version";
import { protect, runEnv } from "./secrets";
import { ui } from "./ui";

export type Context = {
  env: NodeJS.ProcessEnv;
  paths: Paths;
  config: Config;
  get: (key: string) => unknown;
  chain: Chain;
  baseUrl: string;
  protocol: Protocol;
  cwd: string;
};

export function context(env: NodeJS.ProcessEnv = runEnv()): Context {
  const p = paths(homeDir(env));
  const config = readConfig(p.config);
  const get = (key: string) => getValue(config, key, p.config);
  protect(env);
  addSecret(get("proxy-token") as string | undefined);
  const chain = resolveChain(env, p.chain);
  return {
    env,
    paths: p,
    config,
    get,
    chain,
    baseUrl: resolveBaseUrl(env, get("api-url"), chain),
    protocol: get("protocol") as Protocol,
    cwd: process.cwd(),
  };
}

export function gateway(ctx: Context, payer?: Payer): Gateway {
  return new Gateway({
    baseUrl: ctx.baseUrl,
    userAgent: `runcode/${VERSION}`,
    payer,
    idleTimeoutMs: (ctx.get("request-timeout") as number) * 1000,
  });
}

export async function catalog(ctx: Context, gw: Gateway, refresh = false): Promise<{ catalog: Catalog; pending?: Promise<void> }> {
  return loadCatalog({
    gateway: gw,
    cacheFile: ctx.paths.catalogCache,
    ttlMs: (ctx.get("catalog-ttl") as number) * 1000,
    warn: ui.warn,
    refresh,
  });
}
