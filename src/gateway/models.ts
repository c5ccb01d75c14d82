// Turning what the user typed (-m sonnet, -m free, -m openai/gpt-5.4) into a catalog model.
import { ActionableError, closest } from "../core/errors";
import type { CatalogModel } from "./catalog";

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

export const PROFILES = ["auto", "eco", "premium", "free"] as const;
export type Profile = (typeof PROFILES)[number];

/** `auto`, `blockrun/auto`, … → the profile; anything else → undefined. */
export function profileOf(name: string): Profile | undefined {
  const n = name.toLowerCase().replace(/^blockrun\//, "");
  return (PROFILES as readonly string[]).includes(n) ? (n as Profile) : undefined;
}

/** Free models ranked for coding: coding-tagged first, then known strong coders, then the largest context. */
const FREE_PREFERENCE = ["qwen3-coder", "devstral", "deepseek-v3", "kimi", "gpt-oss-120b", "glm", "nemotron-ultra", "mistral-large", "nemotron"];
export function bestFree(models: CatalogModel[], need: { vision?: boolean } = {}): CatalogModel | undefined {
  const rank = (m: CatalogModel) => {
    const i = FREE_PREFERENCE.findIndex((p) => m.id.includes(p));
    return (m.categories.includes("coding") ? 0 : 100) + (i < 0 ? 50 : i);
  };
  return models
    .filter((m) => m.free && (!need.vision || m.vision))
    .sort((a, b) => rank(a) - rank(b) || b.context - a.context || a.id.localeCompare(b.id))[0];
}

/**
 * Resolve a model name against the catalog. Profiles other than `free` need the router and are returned as
 * `{profile}` for the caller to route. Unknown names get a "did you mean" list.
 */
export function resolveModel(name: string, models: CatalogModel[]): { model: CatalogModel } | { profile: Profile } {
  const n = name.trim();
  const profile = profileOf(n);
  if (profile === "free") {
    const m = bestFree(models);
    if (!m) throw new ActionableError("the gateway's catalog lists no free model right now", "pick a paid model with -m (run `runcode models`)", "unknown_model");
    return { model: m };
  }
  if (profile) return { profile };
  const byId = new Map(models.map((m) => [m.id.toLowerCase(), m]));
  const exact = byId.get(n.toLowerCase());
  if (exact) return { model: exact };
  for (const id of SHORTCUTS[n.toLowerCase()] ?? []) {
    const hit = byId.get(id);
    if (hit) return { model: hit };
  }
  // `claude-sonnet-4.6` without provider, or the dash/dot drift `claude-opus-4-6`.
  const loose = (s: string) => s.toLowerCase().replace(/^[^/]+\//, "").replace(/[-.]/g, "");
  const drift = models.find((m) => loose(m.id) === loose(n));
  if (drift) return { model: drift };
  const near = closest(n, [...models.map((m) => m.id), ...Object.keys(SHORTCUTS), ...PROFILES]);
  throw new ActionableError(
    `unknown model "${n}"`,
    near.length ? `did you mean ${near.join(", ")}? (\`runcode models\` lists all)` : "run `runcode models` to see the available models",
    "unknown_model",
  );
}
