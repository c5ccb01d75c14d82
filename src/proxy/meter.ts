// Piping an upstream answer to the client as it arrives, while reading token usage on the fly for the request log.
// Chunks are passed on untouched the moment they arrive; only lines that mention usage are parsed. A stream that
// breaks (or ends without message_stop) after bytes were sent cannot be retried, so it is closed with an error
// event in the client's protocol, which SDKs surface as an error instead of a silently truncated answer.
import { streamErrorEvent, type Flavor } from "./shapes";

export type Usage = { input: number; output: number };
export type Outcome = { usage: Usage; error?: string };

const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : 0);

/** Usage from one parsed Anthropic event / OpenAI chunk / whole non-streamed body; fields absent stay as they were. */
export function readUsage(j: unknown, u: Usage): void {
  const o = j as { type?: string; message?: { usage?: Record<string, unknown> }; usage?: Record<string, unknown> } | null;
  const usage = o?.message?.usage ?? o?.usage;
  if (!usage) return;
  if ("input_tokens" in usage)
    u.input = num(usage.input_tokens) + num(usage.cache_creation_input_tokens) + num(usage.cache_read_input_tokens);
  if ("prompt_tokens" in usage) u.input = num(usage.prompt_tokens);
  if ("output_tokens" in usage) u.output = num(usage.output_tokens);
  if ("completion_tokens" in usage) u.output = num(usage.completion_tokens);
}

export function meter(upstream: ReadableStream<Uint8Array>, flavor: Flavor, done: (o: Outcome) => void): ReadableStream<Uint8Array> {
  const reader = upstream.getReader();
  const decoder = new TextDecoder();
  const usage: Usage = { input: 0, output: 0 };
  let carry = "";
  let stopped = false;
  let finished = false;
  const finish = (error?: string) => {
    if (finished) return;
    finished = true;
    done({ usage, error });
  };
  const scan = (text: string) => {
    carry += text;
    const end = carry.lastIndexOf("\n");
    if (end < 0) return;
    const complete = carry.slice(0, end);
    carry = carry.slice(end + 1);
    if (complete.includes("message_stop")) stopped = true;
    if (!complete.includes('"usage"')) return;
    for (const line of complete.split("\n")) {
      if (!line.startsWith("data:") || !line.includes('"usage"')) continue;
      try {
        readUsage(JSON.parse(line.slice(5)), usage);
      } catch {
        // not our business: the client parses the stream; we only count
      }
    }
  };
  return new ReadableStream<Uint8Array>({
    async pull(ctl) {
      try {
        const { done: end, value } = await reader.read();
        if (end) {
          if (flavor === "anthropic" && !stopped) {
            ctl.enqueue(new TextEncoder().encode(streamErrorEvent(flavor, "the upstream stream ended before the answer was complete")));
            finish("stream ended early");
          } else finish();
          ctl.close();
          return;
        }
        scan(decoder.decode(value, { stream: true }));
        ctl.enqueue(value);
      } catch (err) {
        const msg = err instanceof Error ? err.message : String(err);
        ctl.enqueue(new TextEncoder().encode(streamErrorEvent(flavor, `the upstream stream failed: ${msg}`)));
        finish(msg);
        ctl.close();
      }
    },
    cancel(reason) {
      finish("client closed the connection");
      return reader.cancel(reason);
    },
  });
}
