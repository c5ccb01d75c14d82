// Weak models sometimes write a tool call as text instead of using the tool-calling interface:
//   <tool_call>{"name": "Read", "arguments": {...}}</tool_call>      (Hermes/Qwen)
//   <function=Read>{"file_path": "a.ts"}</function>                  (Llama)
//   ```json {"name": "Read", "input": {...}} ```                      (anything)
// When the text holds such calls to known tools and nothing else was called, the loop runs them as real calls.
import type { ToolUseBlock } from "../llm/types";

type Named = { name?: unknown; tool?: unknown; arguments?: unknown; input?: unknown; parameters?: unknown };

export function textToolCalls(text: string, known: (name: string) => boolean): ToolUseBlock[] {
  const found: Array<{ name: string; input: Record<string, unknown> }> = [];
  const add = (name: unknown, input: unknown) => {
    let args = input;
    if (typeof args === "string") {
      try {
        args = JSON.parse(args);
      } catch {
        return;
      }
    }
    if (typeof name === "string" && known(name) && args && typeof args === "object" && !Array.isArray(args))
      found.push({ name, input: args as Record<string, unknown> });
  };
  const fromJson = (s: string) => {
    try {
      const v = JSON.parse(s) as Named | Named[];
      for (const o of Array.isArray(v) ? v : [v]) add(o?.name ?? o?.tool, o?.arguments ?? o?.input ?? o?.parameters ?? {});
    } catch {
      // not a call
    }
  };
  for (const m of text.matchAll(/<tool_call>\s*([\s\S]*?)\s*<\/tool_call>/g)) fromJson(m[1]!);
  for (const m of text.matchAll(/<function=([\w-]+)>\s*([\s\S]*?)\s*<\/function>/g)) add(m[1], m[2]!.trim() || "{}");
  if (!found.length) for (const m of text.matchAll(/```(?:json)?\s*\n(\{[\s\S]*?\})\s*\n```/g)) fromJson(m[1]!);
  if (!found.length && /^\s*\{[\s\S]*\}\s*$/.test(text)) fromJson(text.trim());
  return found.map((f, n) => ({ type: "tool_use", id: `text_call_${Date.now().toString(36)}_${n}`, name: f.name, input: f.input }));
}
