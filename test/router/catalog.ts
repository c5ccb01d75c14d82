// A test catalog holding every id of the built-in tables (April 2026 prices, USD per 1M tokens), so router tests
// do not depend on the gateway's fallback list, which is shorter and changes with the free pool.
import type { RouterModel } from "../../src/router/types";

/** flags: t = tool calling, v = vision, r = reasoning. Context and max output in thousands of tokens. */
const m = (id: string, input: number, output: number, ctxK: number, outK: number, flags: string, cats = ""): RouterModel => ({
  id,
  free: input === 0 && output === 0,
  input,
  output,
  context: ctxK * 1000,
  maxOutput: outK * 1000,
  tools: flags.includes("t"),
  vision: flags.includes("v"),
  reasoning: flags.includes("r"),
  categories: cats ? cats.split(",") : [],
});

export const TEST_MODELS: RouterModel[] = [
  m("anthropic/claude-opus-4.6", 5, 25, 200, 32, "tvr", "coding,chat,reasoning"),
  m("anthropic/claude-sonnet-4.6", 3, 15, 200, 64, "tvr", "coding,chat,reasoning"),
  m("anthropic/claude-haiku-4.5", 1, 5, 200, 64, "tv", "coding,chat"),
  m("openai/gpt-5.4", 2.5, 15, 400, 128, "tvr", "coding,chat,reasoning"),
  m("openai/gpt-5.3-codex", 1.75, 14, 400, 128, "tvr", "coding"),
  m("openai/gpt-5-mini", 0.25, 2, 400, 128, "tvr", "chat"),
  m("openai/gpt-5-nano", 0.05, 0.4, 400, 128, "tv", "chat"),
  m("openai/gpt-5.4-nano", 0.2, 1.25, 400, 128, "tv", "chat"),
  m("openai/gpt-4o-mini", 0.15, 0.6, 128, 16, "tv", "chat"),
  m("openai/o3", 2, 8, 200, 100, "tvr", "reasoning"),
  m("openai/o4-mini", 1.1, 4.4, 200, 100, "tvr", "reasoning"),
  m("google/gemini-3.1-pro", 2, 12, 1000, 64, "tvr", "coding,chat,reasoning"),
  m("google/gemini-3-pro-preview", 2, 12, 1000, 64, "tvr", "coding,chat,reasoning"),
  m("google/gemini-2.5-pro", 1.25, 10, 1000, 64, "tvr", "coding,chat,reasoning"),
  m("google/gemini-3-flash-preview", 0.5, 3, 1000, 64, "tvr", "chat"),
  m("google/gemini-2.5-flash", 0.3, 2.5, 1000, 64, "tvr", "chat"),
  m("google/gemini-3.1-flash-lite", 0.25, 1.5, 1000, 64, "tv", "chat"),
  m("google/gemini-2.5-flash-lite", 0.1, 0.4, 1000, 64, "tv", "chat"),
  m("xai/grok-4-0709", 3, 15, 256, 64, "tvr", "reasoning"),
  m("xai/grok-4-1-fast-reasoning", 0.2, 0.5, 2000, 30, "tvr", "reasoning"),
  m("xai/grok-4-fast-reasoning", 0.2, 0.5, 2000, 30, "tvr", "reasoning"),
  m("xai/grok-4-1-fast-non-reasoning", 0.2, 0.5, 2000, 30, "tv", "chat"),
  m("deepseek/deepseek-chat", 0.28, 0.42, 128, 8, "t", "coding,chat"),
  m("deepseek/deepseek-reasoner", 0.28, 0.42, 128, 64, "tr", "reasoning"),
  m("moonshot/kimi-k2.5", 0.6, 3, 262, 32, "tv", "coding,chat"),
  m("minimax/minimax-m2.7", 0.3, 1.2, 204, 128, "t", "coding"),
  m("nvidia/gpt-oss-120b", 0, 0, 128, 32, "tr", "chat,reasoning"),
  m("nvidia/gpt-oss-20b", 0, 0, 128, 32, "tr", "chat"),
  m("nvidia/qwen3-coder-480b", 0, 0, 128, 32, "t", "coding"),
  m("nvidia/devstral-2-123b", 0, 0, 128, 32, "t", "coding"),
  m("nvidia/deepseek-v3.2", 0, 0, 128, 32, "tr", "coding,chat,reasoning"),
  m("nvidia/nemotron-ultra-253b", 0, 0, 128, 32, "tr", "chat,reasoning"),
  m("nvidia/glm-4.7", 0, 0, 128, 32, "t", "coding,chat"),
  m("nvidia/llama-4-maverick", 0, 0, 128, 32, "tv", "chat"),
];
