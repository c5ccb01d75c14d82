// Builds synthetic agent histories for the context tests and the bench: a user task, then turns of
// assistant tool_use → user tool_result, with facts planted in the results and instructions in user messages.
import type { Message } from "../../src/llm/types";

export const fact = (i: number) => `FACT-${i}: the value of knob ${i} is ${(i * 7919) % 10007}`;
export const instruction = (i: number) => `INSTRUCTION-${i}: always prefix commit messages with [${i}]`;

export function filler(bytes: number, seed = 0): string {
  const lines: string[] = [];
  for (let n = 0, size = 0; size < bytes; n++) {
    const l = `${String(n + 1).padStart(5)}\tconst v${seed}_${n} = compute(${n}, "${"x".repeat(40)}");`;
    lines.push(l);
    size += l.length + 1;
  }
  return lines.join("\n");
}

export type Opts = { turns: number; resultBytes?: number; userEvery?: number; tool?: string; thinking?: boolean };

/** `turns` tool exchanges; every `userEvery` turns the user says something (an instruction). */
export function history(o: Opts): Message[] {
  const ms: Message[] = [{ role: "user", content: `${instruction(0)}\nRefactor the project.` }];
  for (let t = 1; t <= o.turns; t++) {
    const id = `toolu_${t}`;
    ms.push({
      role: "assistant",
      content: [
        ...(o.thinking ? [{ type: "thinking" as const, thinking: `reasoning ${t} `.repeat(50) }] : []),
        { type: "text", text: `Step ${t}: reading file ${t % 40}.` },
        { type: "tool_use", id, name: o.tool ?? "Read", input: { file_path: `src/f${t % 40}.ts` } },
      ],
    });
    ms.push({
      role: "user",
      content: [{ type: "tool_result", tool_use_id: id, content: `${fact(t)}\n${filler(o.resultBytes ?? 2000, t)}` }],
    });
    if (o.userEvery && t % o.userEvery === 0) {
      ms.push({ role: "assistant", content: [{ type: "text", text: `Done with batch ${t}.` }] });
      ms.push({ role: "user", content: instruction(t) });
    }
  }
  return ms;
}

/** Every tool_use has its tool_result in the next message and every result follows its use. */
export function pairsIntact(ms: readonly Message[]): boolean {
  for (let i = 0; i < ms.length; i++) {
    const m = ms[i]!;
    if (typeof m.content === "string") continue;
    for (const b of m.content) {
      if (b.type === "tool_use") {
        const next = ms[i + 1];
        if (!next || typeof next.content === "string" || !next.content.some((r) => r.type === "tool_result" && r.tool_use_id === b.id))
          return false;
      }
      if (b.type === "tool_result") {
        const prev = ms[i - 1];
        if (!prev || typeof prev.content === "string" || !prev.content.some((u) => u.type === "tool_use" && u.id === b.tool_use_id))
          return false;
      }
    }
  }
  return true;
}

export const allText = (ms: readonly Message[]) => JSON.stringify(ms);
