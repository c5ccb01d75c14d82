// count_tokens answered locally: Claude Code calls it often to size its context, and a paid round trip for an
// estimate would cost money and latency. The heuristic is the original RunCode's (re-anchored there on the API's
// reported input_tokens): ceil(utf8 bytes / 4 × 1.33) for text, bytes / 2 for JSON, +16 per tool_use, +4 per message.
type Block = { type?: string; text?: string; thinking?: string; input?: unknown; content?: unknown; source?: unknown };
type Body = { system?: unknown; messages?: Array<{ content?: unknown }>; tools?: unknown[] };

const bytes = (s: string) => Buffer.byteLength(s, "utf8");
const text = (s: string) => Math.ceil((bytes(s) / 4) * 1.33);
const json = (v: unknown) => Math.ceil(bytes(JSON.stringify(v) ?? "") / 2);

function content(c: unknown): number {
  if (typeof c === "string") return text(c);
  if (!Array.isArray(c)) return 0;
  let n = 0;
  for (const b of c as Block[]) {
    if (b.type === "text" && typeof b.text === "string") n += text(b.text);
    else if (b.type === "thinking" && typeof b.thinking === "string") n += text(b.thinking);
    else if (b.type === "tool_use") n += 16 + json(b.input);
    else if (b.type === "tool_result") n += content(b.content);
    // An image costs about 1,600 tokens at typical sizes; counting its base64 bytes would overstate it tenfold.
    else if (b.type === "image" || b.type === "document") n += 1600;
    else n += json(b);
  }
  return n;
}

export function estimateTokens(body: Body): number {
  let n = content(body.system);
  for (const m of body.messages ?? []) n += 4 + content(m.content);
  if (body.tools?.length) n += json(body.tools);
  return Math.max(1, n);
}
