// count_tokens answered locally: Claude Code calls it to size its context, and a paid round trip for a count would
// cost money and latency. The count is the exact o200k one from src/context (the tokenizer loads on the first call,
// and only then); a body it cannot count falls back to the same fast estimate the agent uses.
import type { Message, ToolSpec } from "../llm/types";

type Body = { system?: unknown; messages?: unknown; tools?: unknown };

/** Anthropic's `system` may be a string or a list of text blocks. */
function systemText(system: unknown): string | undefined {
  if (typeof system === "string") return system;
  if (!Array.isArray(system)) return undefined;
  return system.map((b: { text?: unknown }) => (typeof b?.text === "string" ? b.text : "")).join("\n");
}

export async function countTokens(body: Body): Promise<number> {
  const messages = (Array.isArray(body.messages) ? body.messages : []) as Message[];
  const tools = (Array.isArray(body.tools) ? body.tools : undefined) as ToolSpec[] | undefined;
  const system = systemText(body.system);
  const { countExact, estimate } = await import("../context");
  try {
    return (await countExact(messages, system, tools)).total;
  } catch {
    return estimate(messages, system, tools);
  }
}
