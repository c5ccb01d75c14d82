// The edge of secret handling: the environment is captured once (runcode itself reads keys from this copy), every
// secret runcode may load is registered in core/secrets, and the secret variables are removed from the process
// environment, so no child (Bash, custom tools, MCP servers, git, ripgrep) can inherit them by default.
import { readFileSync } from "node:fs";
import { homeDir, paths } from "../core/home";
import { addSecret, addSecretEnv, addSecretFile, scrubProcessEnv } from "../core/secrets";
import { providersIn } from "../gateway/providers";
import { KEY_ENV, keyFiles } from "../money/wallet/keys";

let snapshot: NodeJS.ProcessEnv | undefined;

/** The environment as runcode started with it, secrets included. Only runcode's own code reads it. */
export function runEnv(): NodeJS.ProcessEnv {
  if (snapshot) return snapshot;
  snapshot = { ...process.env };
  protect(snapshot);
  scrubProcessEnv();
  return snapshot;
}

/**
 * Registers the wallet keys (from the environment and the key files) and the files under the home that hold
 * secrets. Every CLI context calls it (commands, the REPL); registering twice changes nothing.
 */
export function protect(env: Record<string, string | undefined>) {
  const p = paths(homeDir(env as NodeJS.ProcessEnv));
  for (const name of KEY_ENV) addSecretEnv(name, env[name]);
  for (const f of keyFiles(p)) {
    addSecretFile(f);
    addSecret(readIfAny(f));
  }
  // The config may hold `proxy-token`; mcp.json may hold servers' API tokens in headers and env; the team login
  // holds the developer's token (read loosely: a damaged login is said by the command that uses it, not here).
  addSecretFile(p.config);
  addSecretFile(p.mcp);
  addSecretFile(p.login);
  addSecret(/"token"\s*:\s*"([^"]+)"/.exec(readIfAny(p.login) ?? "")?.[1]);
  // providers.json may hold API keys (--api-key-stdin); the variables it names hold the others (--api-key-env).
  addSecretFile(p.providers);
  for (const c of Object.values(providersIn(p.providers))) {
    addSecret(c.apiKey);
    if (c.apiKeyEnv) addSecretEnv(c.apiKeyEnv, env[c.apiKeyEnv]);
  }
}

function readIfAny(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}
