// The JSONL renderer: one JSON object per line on stdout, each with `type` and `ts` (ms epoch). Display flags
// (-q, colour, TTY) never reach this file, so they cannot change the stream. Schema: docs/jsonl.schema.json.
import type { AgentEvent } from "../core/events";

export function jsonlRenderer(write: (s: string) => void, now: () => number = Date.now) {
  return (e: AgentEvent) => write(`${JSON.stringify({ ...e, ts: now() })}\n`);
}
