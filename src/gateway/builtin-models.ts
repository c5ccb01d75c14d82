// Used only when the gateway's catalog cannot be reached and nothing is cached. The live catalog always wins:
// the free pool rotates, so this list is a last resort, not a source of truth.
import type { CatalogModel } from "../router/types";

const m = (id: string, input: number, output: number, context: number, categories: string[], maxOutput = 16384): CatalogModel => ({
  id,
  free: input === 0 && output === 0,
  input,
  output,
  context,
  maxOutput,
  tools: categories.includes("tools") || categories.includes("coding"),
  vision: categories.includes("vision"),
  reasoning: categories.includes("reasoning"),
  categories,
});

export const BUILTIN_MODELS: CatalogModel[] = [
  m("nvidia/qwen3-coder-480b", 0, 0, 131072, ["coding", "tools"]),
  m("nvidia/gpt-oss-120b", 0, 0, 131072, ["chat", "reasoning", "tools"]),
  m("nvidia/devstral-2-123b", 0, 0, 131072, ["coding", "tools"]),
  m("nvidia/deepseek-v3.2", 0, 0, 131072, ["chat", "coding", "tools"]),
  m("nvidia/llama-4-maverick", 0, 0, 131072, ["chat", "vision"]),
  m("anthropic/claude-sonnet-4.6", 3, 15, 200000, ["coding", "tools", "vision", "reasoning"], 64000),
  m("anthropic/claude-opus-4.6", 5, 25, 200000, ["coding", "tools", "vision", "reasoning"], 32000),
  m("anthropic/claude-haiku-4.5", 1, 5, 200000, ["coding", "tools", "vision"], 64000),
  m("openai/gpt-5.4", 2.5, 15, 400000, ["coding", "tools", "vision", "reasoning"], 128000),
  m("openai/gpt-5.3-codex", 1.75, 14, 400000, ["coding", "tools", "reasoning"], 128000),
  m("openai/gpt-5-mini", 0.25, 2, 400000, ["chat", "tools"], 128000),
  m("openai/gpt-5-nano", 0.05, 0.4, 400000, ["chat", "tools"], 128000),
  m("google/gemini-3.1-pro", 2, 12, 1048576, ["coding", "tools", "vision", "reasoning"], 65536),
  m("google/gemini-2.5-flash", 0.3, 2.5, 1048576, ["chat", "tools", "vision"], 65536),
  m("google/gemini-2.5-flash-lite", 0.1, 0.4, 1048576, ["chat", "tools"], 65536),
  m("xai/grok-4-1-fast-reasoning", 0.2, 0.5, 2000000, ["reasoning", "tools"], 30000),
  m("deepseek/deepseek-chat", 0.28, 0.42, 128000, ["chat", "coding", "tools"], 8192),
  m("deepseek/deepseek-reasoner", 0.55, 2.19, 128000, ["reasoning"], 32000),
  m("minimax/minimax-m2.7", 0.3, 1.2, 204800, ["coding", "tools"]),
  m("moonshot/kimi-k2.5", 0.6, 3, 262144, ["coding", "tools"]),
  m("zai/glm-5.1", 0.6, 2.2, 200000, ["coding", "tools"]),
];
