// `runcode providers add|list|remove`: endpoints next to the gateway (Ollama, LM Studio, vLLM, OpenRouter, a
// vendor's API key) in the home's providers.json; their models are `-m NAME/model`. See docs/providers.md.
import { err, out, tty } from "../cli/io";
import { defineCommand } from "citty";
import { openGateway } from "../agent/env";
import { context } from "../cli/context";
import { ui } from "../cli/ui";
import { usageError } from "../core/errors";
import { rmSync } from "node:fs";
import { BUILTIN_MODELS } from "../gateway/builtin-models";
import { cachedModels } from "../gateway/catalog";
import {
  apiBase,
  PROVIDER_NAME,
  providerCacheFile,
  providerCatalog,
  readProviders,
  writeProviders,
  type ProviderConfig,
} from "../gateway/providers";
import { PROFILES } from "../router/types";

const KEY_ENV = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Where a provider's key comes from, without the key. */
const auth = (c: ProviderConfig) => (c.apiKey ? "stored key" : c.apiKeyEnv ? `$${c.apiKeyEnv}` : "none");

export default defineCommand({
  meta: { name: "providers", description: "Models from your own endpoints next to the gateway: Ollama, LM Studio, vLLM, OpenRouter…" },
  subCommands: {
    add: defineCommand({
      meta: { name: "add", description: "Add or replace a provider: NAME --url URL [--protocol openai|anthropic] [--api-key-env VAR]" },
      args: {
        name: { type: "positional", required: true, description: "its name, the prefix of its models (-m NAME/model)" },
        url: { type: "string", description: "its API base, e.g. http://localhost:11434/v1 (a bare host gets /v1)" },
        protocol: { type: "string", description: "openai (Chat Completions, default) or anthropic (Messages)" },
        "api-key-env": { type: "string", description: "the environment variable holding its API key (only the name is stored)" },
        "api-key-stdin": { type: "boolean", description: "read its API key from stdin and store it in providers.json (0600)" },
      },
      async run({ args }) {
        const ctx = context();
        const name = args.name;
        if (!PROVIDER_NAME.test(name)) throw usageError(`bad provider name "${name}"`, "use letters, digits, _ . and -");
        // A gateway vendor's name would hide the gateway's models of that vendor (`openai/…` would go to the provider).
        const vendors = new Set(
          (cachedModels(ctx.paths.catalogCache, ctx.baseUrl) ?? BUILTIN_MODELS).map((m) => m.id.split("/")[0]!.toLowerCase()),
        );
        if (vendors.has(name.toLowerCase()) || ["blockrun", "gateway", ...PROFILES].includes(name.toLowerCase()))
          throw usageError(`"${name}" already names the gateway's models or a profile`, `pick another name, e.g. ${name}-direct`);
        if (!args.url) throw usageError("missing --url", "e.g. `runcode providers add ollama --url http://localhost:11434/v1`");
        const u = URL.canParse(args.url) ? new URL(args.url) : undefined;
        if (!u || (u.protocol !== "http:" && u.protocol !== "https:"))
          throw usageError(`--url is not an http(s) URL: ${args.url}`, "e.g. --url http://localhost:11434/v1");
        const protocol = args.protocol ?? "openai";
        if (protocol !== "openai" && protocol !== "anthropic")
          throw usageError(`--protocol must be openai or anthropic, got "${protocol}"`, "e.g. --protocol anthropic");
        const env = args["api-key-env"];
        if (env !== undefined && !KEY_ENV.test(env))
          throw usageError(`bad variable name "${env}"`, "e.g. --api-key-env OPENROUTER_API_KEY");
        if (env !== undefined && args["api-key-stdin"]) throw usageError("give --api-key-env or --api-key-stdin, not both");
        let apiKey: string | undefined;
        if (args["api-key-stdin"]) {
          apiKey = tty.in ? undefined : (await new Response(Bun.stdin.stream()).text()).trim();
          if (!apiKey)
            throw usageError("no API key on stdin", "pipe it in: `printenv MY_KEY | runcode providers add NAME --url URL --api-key-stdin`");
        }
        const entry: ProviderConfig = {
          url: apiBase(args.url),
          protocol,
          ...(env ? { apiKeyEnv: env } : {}),
          ...(apiKey ? { apiKey } : {}),
        };
        const all = readProviders(ctx.paths.providers);
        const replaced = name in all;
        writeProviders(ctx.paths.providers, { ...all, [name]: entry });
        rmSync(providerCacheFile(ctx.paths.catalogCache, name), { force: true });
        err(`${replaced ? "replaced" : "added"} provider "${name}" (${entry.url}, ${protocol}) in ${ctx.paths.providers}\n`);
        // A first look at its models (cached for the runs after): a wrong URL or key is said now, not at the first question.
        const p = openGateway(ctx, undefined, { providers: true }).providers.get(name)!;
        const cacheFile = providerCacheFile(ctx.paths.catalogCache, name);
        const ttlMs = (ctx.get("catalog-ttl") as number) * 1000;
        const { models } = (await providerCatalog(p, { cacheFile, ttlMs, refresh: true, warn: ui.warn })).catalog;
        if (models.length)
          err(`${models.length} model${models.length === 1 ? "" : "s"}, e.g. -m ${models[0]!.id} (\`runcode models\` lists them)\n`);
        return 0;
      },
    }),
    list: defineCommand({
      meta: { name: "list", description: "Show the providers: name, URL, protocol and where the API key comes from" },
      args: { json: { type: "boolean", description: "print as JSON (keys left out)" } },
      run({ args }) {
        const ctx = context();
        const rows = Object.entries(readProviders(ctx.paths.providers)).map(([name, c]) => ({
          name,
          url: c.url,
          protocol: c.protocol,
          auth: auth(c),
        }));
        if (args.json) {
          out(`${JSON.stringify(rows, null, 2)}\n`);
          return 0;
        }
        if (!rows.length) {
          err("no providers: add one with `runcode providers add NAME --url URL` (docs/providers.md)\n");
          return 0;
        }
        const w = (k: "name" | "url" | "protocol") => Math.max(...rows.map((r) => r[k].length));
        for (const r of rows)
          out(`${r.name.padEnd(w("name"))}  ${r.url.padEnd(w("url"))}  ${r.protocol.padEnd(w("protocol"))}  ${r.auth}\n`);
        return 0;
      },
    }),
    remove: defineCommand({
      meta: { name: "remove", description: "Remove a provider (and its stored key) from providers.json" },
      args: { name: { type: "positional", required: true, description: "provider name" } },
      run({ args }) {
        const ctx = context();
        const { [args.name]: gone, ...rest } = readProviders(ctx.paths.providers);
        if (!gone) throw usageError(`no provider "${args.name}" in ${ctx.paths.providers}`, "see `runcode providers list`");
        writeProviders(ctx.paths.providers, rest);
        rmSync(providerCacheFile(ctx.paths.catalogCache, args.name), { force: true });
        err(`removed provider "${args.name}" from ${ctx.paths.providers}\n`);
        return 0;
      },
    }),
  },
});
