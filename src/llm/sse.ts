// Server-Sent Events, parsed from a byte stream. Survives chunk boundaries anywhere (inside a UTF-8 character,
// inside a line, between \r and \n), skips comments, and joins multi-line data fields (WHATWG rules).

export type SseEvent = { event: string; data: string };

export async function* parseSse(body: ReadableStream<Uint8Array>, signal?: AbortSignal): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder("utf-8");
  const reader = body.getReader();
  let buf = "";
  let event = "";
  let data: string[] = [];
  const onAbort = () => reader.cancel().catch(() => {});
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (signal?.aborted) throw signal.reason ?? new DOMException("aborted", "AbortError");
      // stream:true keeps a split multi-byte character in the decoder until its last byte arrives.
      buf += done ? decoder.decode() : decoder.decode(value, { stream: true });
      let nl: number;
      while ((nl = nextBreak(buf, done)) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(buf[nl] === "\r" && buf[nl + 1] === "\n" ? nl + 2 : nl + 1);
        if (line === "") {
          if (data.length) yield { event: event || "message", data: data.join("\n") };
          event = "";
          data = [];
          continue;
        }
        if (line.startsWith(":")) continue;
        const colon = line.indexOf(":");
        const field = colon < 0 ? line : line.slice(0, colon);
        let val = colon < 0 ? "" : line.slice(colon + 1);
        if (val.startsWith(" ")) val = val.slice(1);
        if (field === "event") event = val;
        else if (field === "data") data.push(val);
      }
      if (done) {
        // A final event without its blank line still counts.
        if (buf) {
          if (buf.startsWith("data:")) data.push(buf.slice(5).trimStart());
          buf = "";
        }
        if (data.length) yield { event: event || "message", data: data.join("\n") };
        return;
      }
    }
  } finally {
    signal?.removeEventListener("abort", onAbort);
    reader.releaseLock();
  }
}

/** Index of the next line break. A lone trailing \r may be the first half of \r\n, so wait unless the stream ended. */
function nextBreak(buf: string, done: boolean): number {
  const n = buf.indexOf("\n");
  const r = buf.indexOf("\r");
  if (r < 0 || (n >= 0 && n < r)) return n;
  return r + 1 < buf.length || done ? r : -1;
}
