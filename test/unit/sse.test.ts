import { describe, expect, test } from "bun:test";
import { parseSse } from "../../src/llm/sse";

const enc = new TextEncoder();
function streamOf(bytes: Uint8Array, size: number) {
  return new ReadableStream<Uint8Array>({
    start(c) {
      for (let i = 0; i < bytes.length; i += size) c.enqueue(bytes.subarray(i, i + size));
      c.close();
    },
  });
}
async function all(text: string, size: number) {
  const out = [];
  for await (const e of parseSse(streamOf(enc.encode(text), size))) out.push(e);
  return out;
}

describe("parseSse", () => {
  const text = 'event: a\ndata: {"t":"héllo 世界 🙂"}\n\n: a comment\n\nevent: b\r\ndata: line1\r\ndata: line2\r\n\r\ndata: no-event\n\n';
  test.each([1, 2, 3, 5, 7, 64])("same events whatever the chunk size (%i bytes)", async (size) => {
    expect(await all(text, size)).toEqual([
      { event: "a", data: '{"t":"héllo 世界 🙂"}' },
      { event: "b", data: "line1\nline2" },
      { event: "message", data: "no-event" },
    ]);
  });
  test("a final event without its blank line still counts", async () => {
    expect(await all("event: x\ndata: 1\n\ndata: 2", 4)).toEqual([
      { event: "x", data: "1" },
      { event: "message", data: "2" },
    ]);
  });
  test("comments and empty events are skipped", async () => {
    expect(await all(": ping\n\n\n\nevent: only-event\n\n", 3)).toEqual([]);
  });
});
