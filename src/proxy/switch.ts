// In-session model switching: a last user message `use <model>` switches the model for that conversation only.
// The original kept one global switch per process, so one Claude Code window switching changed every other one;
// here switches are keyed by the client's session header, else by a hash of the conversation's first user message
// (stable for the whole conversation, since clients resend the full history each turn).
type Block = { type?: string; text?: string };
export type Msg = { role?: string; content?: unknown };

const SESSION_HEADERS = ["x-claude-code-session-id", "x-session-id", "session_id"];
const USE = /^use\s+([A-Za-z0-9][\w./:@-]{0,120})\s*[.!]?$/i;

/** The user's own words in a message: text blocks, minus the reminders clients inject around them. */
export function userText(content: unknown): string {
  if (typeof content === "string") return content.trim();
  if (!Array.isArray(content)) return "";
  return (content as Block[])
    .filter((b) => b?.type === "text" && typeof b.text === "string" && !/^\s*<(system-reminder|command-)/.test(b.text))
    .map((b) => b.text!)
    .join("\n")
    .trim();
}

/** The model named by `use <model>` when that is the whole last user message; else undefined. */
export function switchCommand(messages: Msg[] | undefined): string | undefined {
  const last = messages?.at(-1);
  if (!last || last.role !== "user") return undefined;
  return USE.exec(userText(last.content))?.[1];
}

export function conversationKey(headers: Headers, messages: Msg[] | undefined): string {
  for (const h of SESSION_HEADERS) {
    const v = headers.get(h);
    if (v) return `h:${v}`;
  }
  const first = messages?.find((m) => m.role === "user");
  return `m:${Bun.hash(JSON.stringify(first?.content ?? "")).toString(36)}`;
}

/** Per-conversation memory (model switches, routed tiers), the most recent 1,000 conversations. */
export class Recent<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly max = 1000) {}
  get(key: string): V | undefined {
    return this.map.get(key);
  }
  set(key: string, value: V) {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value!);
  }
}
