// Pieces of the REPL on their own: streaming Markdown, history file, the input router (paste, hold, keys).
import { expect, test } from "bun:test";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { appendHistory, loadHistory } from "../../src/repl/history";
import { InputRouter } from "../../src/repl/input";
import { MarkdownStream } from "../../src/render/markdown";
import { tempDir, waitFor } from "../helpers";

const render = (text: string, width = 40, chunk = 3, color = false) => {
  const m = new MarkdownStream({ color, width: () => width });
  let out = "";
  for (let i = 0; i < text.length; i += chunk) out += m.push(text.slice(i, i + chunk));
  return out + m.end();
};

test("markdown: headings, bold, code, lists, quotes, fences, wrapping — the same for any chunking", () => {
  const text =
    "# Title\nSome **bold** text and `code` that is long enough to wrap around forty columns.\n- item one\n2. second\n> quoted\n```ts\nconst x = 1;\n```\nend";
  const want =
    "Title\nSome bold text and code that is long\nenough to wrap around forty columns.\n• item one\n2. second\n│ quoted\n```ts\n│ const x = 1;\n```\nend\n";
  for (const chunk of [1, 2, 5, 1000]) expect(render(text, 40, chunk)).toBe(want);
});

test("markdown streams a paragraph word by word, before its line ends", () => {
  const m = new MarkdownStream({ color: false, width: () => 80 });
  expect(m.push("Hello wor")).toBe("Hello");
  expect(m.push("ld and")).toBe(" world");
  expect(m.end()).toBe(" and\n");
});

test("markdown colours bold and code, and highlights code blocks", () => {
  const out = render("**b** `c`\n```\nconst s = 'x'\n```\n", 80, 4, true);
  expect(out).toContain("\x1b[1mb\x1b[22m");
  expect(out).toContain("\x1b[36mc\x1b[39m");
  expect(out).toContain("\x1b[35mconst\x1b[39m");
  expect(out).toContain("\x1b[32m'x'\x1b[39m");
});

test("history: newest first, multi-line entries survive, capped", () => {
  const f = join(tempDir(), "sub", "repl-history");
  appendHistory(f, "one");
  appendHistory(f, "two\nlines \\n literal");
  expect(loadHistory(f)).toEqual(["two\nlines \\n literal", "one"]);
  for (let i = 0; i < 30; i++) appendHistory(f, `e${i}`);
  expect(loadHistory(f, 10)).toHaveLength(10);
  expect(loadHistory(f, 10)[0]).toBe("e29");
});

test("input router: paste breaks counted, typeahead held during a turn and replayed, Ctrl-C interrupts, keys answer", async () => {
  const src = new PassThrough();
  const r = new InputRouter(src, true);
  let got = "";
  r.out.on("data", (d: Buffer) => (got += d.toString()));
  let interrupts = 0;
  r.onInterrupt = () => interrupts++;
  // Everything readline would have been given so far: a marker written behind it arrives after all of it.
  const delivered = async () => {
    const marker = "\u0000delivered\u0000";
    r.out.write(marker);
    await waitFor(() => got.endsWith(marker), { timeoutMs: 2000, what: "the router's output to pass the marker" });
    got = got.slice(0, -marker.length);
    return got;
  };
  src.write("\x1b[200~a\nb\r\nc\x1b[201~");
  await waitFor(() => got.length >= "a\rb\rc".length, { timeoutMs: 2000, what: "the paste to reach readline" });
  expect(await delivered()).toBe("a\rb\rc");
  expect(r.pasteBreaks).toBe(2);
  r.hold();
  src.write("queued\r\x03");
  await waitFor(() => interrupts > 0, { timeoutMs: 2000, what: "Ctrl-C to interrupt the turn" });
  expect(interrupts).toBe(1);
  expect(await delivered()).toBe("a\rb\rc"); // held, not passed on
  const key = r.nextKey();
  src.write("y");
  expect(await key).toBe("y");
  r.release();
  expect(await delivered()).toBe("a\rb\rcqueued\r");
});
