// Output budgets through the proxy (src/router/budget.ts): a client's max_tokens is an upper bound, not what is paid
// for. The request goes upstream with a smaller budget; when the answer stops at it, the proxy continues it upstream
// (the text so far as an assistant prefill, twice the budget) and hands the client one answer, as if it had been
// sent with the client's own budget. Anthropic Messages only, streamed and not: Chat Completions has no prefill, and
// a request with extended thinking cannot be continued (a thinking answer forbids prefill); both go with the
// client's own budget.
//
// Tool calls: a tool_use block is held until the next block starts or the answer ends, since only then is it known
// complete. One cut by the limit is dropped; if complete calls came before it, the answer ends there (stop_reason
// tool_use) and the client runs those, and the model sends the missing call in its next answer; else the text is
// continued and the model writes the call again whole.
import { nextBudget } from "../router/budget";

type Block = { type: string; text?: string; [k: string]: unknown };

export type Extension = {
  budget: number;
  upper: number;
  /** Sends the continuation: the client's body with `max_tokens` and the assistant prefill; an ok response or throws. */
  next: (maxTokens: number, prefill: Block[]) => Promise<Response>;
};

/** The prefill's text without trailing whitespace (the API refuses it), and what was taken off. */
function prefillOf(blocks: Block[]): { prefill: Block[]; trimmed: boolean } {
  const prefill = blocks.filter((b) => b.type === "text" && b.text).map((b) => ({ type: "text", text: b.text! }));
  const last = prefill.at(-1);
  if (!last) return { prefill, trimmed: false };
  const t = last.text.replace(/\s+$/, "");
  const trimmed = t.length !== last.text.length;
  if (t) last.text = t;
  else prefill.pop();
  return { prefill, trimmed };
}

/** A non-streamed answer continued until it is whole (or at the upper bound). */
export async function extendJson(text: string, x: Extension): Promise<string> {
  let answer = JSON.parse(text) as { content: Block[]; stop_reason: string; usage: Record<string, number> };
  let budget = x.budget;
  const usage = { ...answer.usage };
  let content = answer.content ?? [];
  while (answer.stop_reason === "max_tokens" && budget < x.upper) {
    if (content.at(-1)?.type === "tool_use") content = content.slice(0, -1);
    if (content.some((b) => b.type === "tool_use")) {
      answer = { ...answer, stop_reason: "tool_use" };
      break;
    }
    budget = nextBudget(budget, x.upper);
    const { prefill, trimmed } = prefillOf(content);
    const more = JSON.parse(await (await x.next(budget, prefill)).text()) as typeof answer;
    usage.output_tokens = (usage.output_tokens ?? 0) + (more.usage?.output_tokens ?? 0);
    const [first, ...rest] = more.content ?? [];
    const last = content.at(-1);
    if (first?.type === "text" && last?.type === "text") {
      const add = trimmed ? first.text!.replace(/^\s+/, "") : first.text!;
      content = [...content.slice(0, -1), { ...last, text: last.text! + add }, ...rest];
    } else content = [...content, ...(first ? [first] : []), ...rest];
    answer = more;
  }
  return JSON.stringify({ ...answer, content, usage });
}

type Sse = { event: string; data: any; raw: string };

async function* sseEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<Sse> {
  const decoder = new TextDecoder();
  let buf = "";
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buf += decoder.decode(chunk, { stream: true });
    for (let end = buf.indexOf("\n\n"); end >= 0; end = buf.indexOf("\n\n")) {
      const raw = buf.slice(0, end + 2);
      buf = buf.slice(end + 2);
      let event = "";
      let data = "";
      for (const line of raw.split("\n")) {
        if (line.startsWith("event:")) event = line.slice(6).trim();
        else if (line.startsWith("data:")) data += line.slice(5).trim();
      }
      let parsed: any;
      try {
        parsed = data ? JSON.parse(data) : undefined;
      } catch {
        parsed = undefined;
      }
      yield { event: event || parsed?.type || "", data: parsed, raw };
    }
  }
  if (buf.trim()) yield { event: "", data: undefined, raw: buf };
}

const sse = (data: { type: string; [k: string]: unknown }) => `event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`;

/** A streamed answer continued until it is whole: one message to the client, blocks renumbered, usage summed. */
export function extendStream(first: ReadableStream<Uint8Array>, x: Extension): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  let cancelled = false;
  return new ReadableStream<Uint8Array>({
    async start(ctl) {
      const emit = (s: string) => {
        if (!cancelled) ctl.enqueue(enc.encode(s));
      };
      const blocks: Block[] = []; // what the client has been sent, by client index
      let output = 0;
      let toolSent = false;
      let heldStop: number | undefined; // a text block's stop, held: its text may be continued
      let heldTool: { index: number; events: string[]; block: Block } | undefined;
      const flush = () => {
        if (heldStop !== undefined) emit(sse({ type: "content_block_stop", index: heldStop }));
        heldStop = undefined;
        if (heldTool) {
          for (const e of heldTool.events) emit(e);
          blocks[heldTool.index] = heldTool.block;
          toolSent = true;
        }
        heldTool = undefined;
      };
      let body = first;
      let budget = x.budget;
      let merge: { index: number; strip: boolean } | undefined;
      try {
        for (let part = 0; ; part++) {
          const map = new Map<number, number>();
          let stop: string | undefined;
          let delta: any;
          for await (const e of sseEvents(body)) {
            const d = e.data;
            switch (e.event) {
              case "message_start":
                if (part === 0) emit(e.raw);
                break;
              case "content_block_start": {
                const cb = d.content_block as Block;
                if (merge && cb.type === "text") {
                  map.set(d.index, merge.index);
                  heldStop = undefined;
                  break;
                }
                flush();
                merge = undefined;
                const index = blocks.length;
                map.set(d.index, index);
                blocks[index] = { ...cb };
                if (cb.type === "tool_use") heldTool = { index, events: [sse({ ...d, index })], block: { ...cb } };
                else emit(sse({ ...d, index }));
                break;
              }
              case "content_block_delta": {
                const index = map.get(d.index) ?? d.index;
                let dd = d.delta;
                if (dd?.type === "text_delta") {
                  if (merge?.strip) {
                    dd = { ...dd, text: String(dd.text).replace(/^\s+/, "") };
                    if (dd.text) merge.strip = false;
                  }
                  const b = blocks[index];
                  if (b) b.text = (b.text ?? "") + dd.text;
                }
                const out = sse({ ...d, index, delta: dd });
                if (heldTool?.index === index) heldTool!.events.push(out);
                else emit(out);
                break;
              }
              case "content_block_stop": {
                const index = map.get(d.index) ?? d.index;
                if (heldTool?.index === index) heldTool!.events.push(sse({ ...d, index }));
                else if (blocks[index]?.type === "text") heldStop = index;
                else emit(sse({ ...d, index }));
                break;
              }
              case "message_delta":
                stop = d.delta?.stop_reason;
                delta = d;
                output += Number(d.usage?.output_tokens ?? 0);
                break;
              case "message_stop":
                break;
              case "ping":
                if (part === 0) emit(e.raw);
                break;
              default:
                emit(e.raw); // an error event, or something new: the client's to read
            }
          }
          if (stop === undefined) {
            flush();
            break; // ended without an answer's end: the meter reports it to the client
          }
          if (stop === "max_tokens" && budget < x.upper) {
            // The block the limit cut: never sent, and its index is the next block's.
            if (heldTool) blocks.length = heldTool.index;
            heldTool = undefined;
            if (toolSent) {
              flush();
              emit(sse({ ...delta, delta: { ...delta.delta, stop_reason: "tool_use" }, usage: { ...delta.usage, output_tokens: output } }));
              emit(sse({ type: "message_stop" }));
              break;
            }
            budget = nextBudget(budget, x.upper);
            const { prefill, trimmed } = prefillOf(blocks.filter(Boolean));
            const last = blocks.length - 1;
            merge = blocks[last]?.type === "text" && heldStop === last ? { index: last, strip: trimmed } : undefined;
            if (!merge) flush();
            body = (await x.next(budget, prefill)).body!;
            continue;
          }
          flush();
          emit(sse({ ...delta, usage: { ...delta.usage, output_tokens: output } }));
          emit(sse({ type: "message_stop" }));
          break;
        }
      } catch (err) {
        flush();
        emit(
          sse({
            type: "error",
            error: {
              type: "api_error",
              message: `the continuation of the answer failed: ${err instanceof Error ? err.message : String(err)}`,
            },
          }),
        );
      }
      if (!cancelled) ctl.close();
    },
    cancel() {
      cancelled = true;
      return first.cancel().catch(() => {});
    },
  });
}
