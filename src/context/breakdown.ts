// `/context` and `/tokens`: where the window goes (system prompt, instruction files, tools, history), counted
// exactly with the tokenizer (loaded here, never on the hot path) or by the fast estimate.
import type { Message, ToolSpec } from "../llm/types";
import { currentView, type ContextState } from "./pipeline";
import { countExact, estimate, textTokens } from "./tokens";

export type Breakdown = {
  system: number;
  /** Instruction files (AGENTS.md, CLAUDE.md, RUNCODE.md) inside the system prompt. */
  files: number;
  tools: number;
  history: number;
  total: number;
  window: number;
  /** total / window, 0..1 */
  used: number;
  messages: number;
  /** Messages currently represented by the compaction summary. */
  compacted: number;
  exact: boolean;
};

const FILES = /<instructions file="[^"]*">[\s\S]*?<\/instructions>/g;

/** The breakdown of what the next request would carry. `exact` loads gpt-tokenizer. */
export async function contextBreakdown(
  s: ContextState,
  o: { system?: string; tools?: readonly ToolSpec[]; history?: readonly Message[]; exact?: boolean } = {},
): Promise<Breakdown> {
  if (o.history) s.history = o.history;
  const view = currentView(s);
  const system = o.system ?? s.last.system ?? "";
  const tools = o.tools ?? s.last.tools;
  const files = (system.match(FILES) ?? []).join("\n");
  const rest = system.replace(FILES, "");
  let parts: { system: number; files: number; tools: number; history: number };
  if (o.exact) {
    const all = await countExact(view, rest, tools);
    parts = { system: all.system, files: (await countExact([], files)).system, tools: all.tools, history: all.messages };
  } else {
    parts = {
      system: textTokens(rest),
      files: files ? textTokens(files) : 0,
      tools: estimate([], undefined, tools),
      history: s.anchor.apply(estimate(view)),
    };
  }
  const total = parts.system + parts.files + parts.tools + parts.history;
  return {
    ...parts,
    total,
    window: s.limits.window,
    used: total / s.limits.window,
    messages: view.length,
    compacted: s.cut,
    exact: !!o.exact,
  };
}
