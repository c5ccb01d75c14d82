// The embedded-data o200k counter must count exactly as gpt-tokenizer's own o200k encoding does.
import { expect, test } from "bun:test";
import { encode as reference } from "gpt-tokenizer";
import { countExact } from "../../src/context";
import { o200k } from "../../src/context/tokenizer";

const samples = [
  "hello world",
  "export function fetchUser(id: string): Promise<User> { return db.find(id); }",
  "Grüße aus München — ¿qué tal? 日本語のテキストと中文字符 и немного русского 🙂👍🏽",
  "    indented\n\ttabs\r\nwindows line\n\n\n",
  "\u0000\u0001 odd bytes \uFFFD and a lone surrogate \uD83D end",
  "<|endoftext|> is plain text here",
  "a".repeat(5000),
];

const plain = { allowedSpecial: new Set<string>(), disallowedSpecial: new Set<string>() };

test("tokens match gpt-tokenizer's own o200k_base", async () => {
  const enc = await o200k();
  for (const s of samples) expect(enc.encode(s, plain)).toEqual(reference(s, plain));
});

test("the exact count treats special-token text as plain text instead of throwing", async () => {
  const messages = [{ role: "user" as const, content: "a file with <|endoftext|> inside" }];
  const n = await countExact(messages);
  expect(n.total).toBeGreaterThan(reference("a file with <|endoftext|> inside", plain).length - 1);
});

test("a long run without whitespace is counted in pieces: 256 KB of one symbol is counted, not a CPU stall", async () => {
  const text = "€".repeat(256 * 1024);
  const n = (await countExact([{ role: "user", content: text }])).total;
  // "€" is one o200k token; the pieces cost at most a few tokens of framing each.
  expect(n).toBeGreaterThanOrEqual(text.length);
  expect(n).toBeLessThan(text.length * 1.01);
  // Ordinary text is still counted exactly, whole.
  const prose = "the quick brown fox jumps over the lazy dog ".repeat(200);
  expect((await countExact([{ role: "user", content: prose }])).total - (await countExact([{ role: "user", content: "" }])).total).toBe(
    reference(prose).length,
  );
});
