// Turning what the user typed (-m sonnet, -m free, -m openai/gpt-5.4, -m ollama/qwen2.5-coder) into a catalog model.
// Which free model is best and when two ids name the same model are the router's decisions (router/chain.ts); this
// file only reads names.
import { ActionableError, closest } from "../core/errors";
import { bestFree, catalogIndex, resolveId } from "../router/chain";
import { PROFILES, profileOf, type CatalogModel, type Profile } from "../router/types";

/** Shortcuts the original accepted. A value is a list of candidate ids, first one present in the catalog wins. */
export const SHORTCUTS: Record<string, string[]> = {
  sonnet: ["anthropic/claude-sonnet-4.6"],
  claude: ["anthropic/claude-sonnet-4.6"],
  opus: ["anthropic/claude-opus-4.6"],
  haiku: ["anthropic/claude-haiku-4.5"],
  gpt: ["openai/gpt-5.4"],
  gpt5: ["openai/gpt-5.4"],
  codex: ["openai/gpt-5.3-codex"],
  nano: ["openai/gpt-5-nano", "openai/gpt-5.4-nano"],
  mini: ["openai/gpt-5-mini", "openai/gpt-5.4-mini"],
  o3: ["openai/o3"],
  o4: ["openai/o4-mini"],
  gemini: ["google/gemini-3.1-pro", "google/gemini-2.5-pro"],
  flash: ["google/gemini-2.5-flash", "google/gemini-3-flash-preview"],
  grok: ["xai/grok-4-0709", "xai/grok-4-1-fast-reasoning"],
  "grok-fast": ["xai/grok-4-1-fast-reasoning"],
  deepseek: ["deepseek/deepseek-chat"],
  r1: ["deepseek/deepseek-reasoner"],
  nemotron: ["nvidia/nemotron-ultra-253b", "nvidia/nemotron-3-super-120b", "nvidia/nemotron-super-49b"],
  "qwen-coder": ["nvidia/qwen3-coder-480b"],
  devstral: ["nvidia/devstral-2-123b"],
  maverick: ["nvidia/llama-4-maverick"],
  minimax: ["minimax/minimax-m2.7"],
  glm: ["zai/glm-5.1", "nvidia/glm-4.7"],
  kimi: ["moonshot/kimi-k2.5", "nvidia/kimi-k2.5"],
};

/**
 * A name `NAME/model` of provider NAME (gateway/providers.ts): the model as its listing has it (Ollama's
 * `qwen2.5-coder:latest` for `qwen2.5-coder`), else an unlisted one the provider will accept or refuse itself (a
 * listing may be partial, or down). undefined: not a provider's name.
 */
export function providerModel(name: string, models: CatalogModel[], providers: readonly string[]): CatalogModel | undefined {
  const n = name.trim();
  const i = n.indexOf("/");
  const provider = n.slice(0, i);
  if (i <= 0 || i === n.length - 1 || !providers.includes(provider)) return undefined;
  const listed = models.find((m) => m.id === n) ?? models.find((m) => m.id === `${n}:latest`);
  if (listed) return listed;
  const unlisted = { id: n, provider, free: true, input: 0, output: 0, context: 128_000, maxOutput: 8192 };
  return { ...unlisted, tools: true, vision: false, reasoning: false, categories: [] };
}

/**
 * Resolve a model name against the catalog. Profiles other than `free` need the router and are returned as
 * `{profile}` for the caller to route. Unknown names get a "did you mean" list. `providers`: the names of the
 * providers next to the gateway; a name with one's prefix is that provider's model, any other is the gateway's.
 */
export function resolveModel(
  name: string,
  models: CatalogModel[],
  providers: readonly string[] = [],
): { model: CatalogModel } | { profile: Profile } {
  const n = name.trim();
  const own = providerModel(n, models, providers);
  if (own) return { model: own };
  const profile = profileOf(n);
  if (profile === "free") {
    const m = bestFree(models);
    if (!m)
      throw new ActionableError(
        "the gateway's catalog lists no free model right now",
        "pick a paid model with -m (run `runcode models`)",
        "unknown_model",
      );
    return { model: m };
  }
  if (profile) return { profile };
  // An id in any spelling (`OpenAI/GPT-5.4`, the dash/dot drift `claude-opus-4-6`, `claude-sonnet-4.6` without its
  // vendor), else a shortcut's first candidate the catalog has. Only the gateway's: a provider's are named whole.
  const gateway = models.filter((m) => !m.provider);
  const id = resolveId(n, gateway) ?? (SHORTCUTS[n.toLowerCase()] ?? []).map((c) => resolveId(c, gateway)).find((c) => c !== undefined);
  const model = id === undefined ? undefined : catalogIndex(gateway).byId.get(id);
  if (model) return { model };
  // `nosuch/model`: neither a provider nor one of the gateway's vendors.
  const prefix = n.includes("/") ? n.slice(0, n.indexOf("/")) : "";
  if (prefix && prefix !== "blockrun" && !gateway.some((m) => m.id.startsWith(`${prefix}/`)))
    throw new ActionableError(
      `unknown model "${n}": no provider is called "${prefix}"`,
      `add it with \`runcode providers add ${prefix} --url URL\`, or see \`runcode providers list\` and \`runcode models\``,
      "unknown_model",
    );
  const near = closest(n, [...models.map((m) => m.id), ...Object.keys(SHORTCUTS), ...PROFILES]);
  throw new ActionableError(
    `unknown model "${n}"`,
    near.length ? `did you mean ${near.join(", ")}? (\`runcode models\` lists all)` : "run `runcode models` to see the available models",
    "unknown_model",
  );
}
