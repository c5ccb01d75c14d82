import { expect, test } from "bun:test";
import { wrap } from "./wrap.js";

test("wraps at the width", () => {
  expect(wrap("the quick brown fox jumps over the lazy dog", 10)).toEqual(["the quick", "brown fox", "jumps over", "the lazy", "dog"]);
});

test("short text is one line", () => {
  expect(wrap("hello world", 20)).toEqual(["hello world"]);
  expect(wrap("hello", 5)).toEqual(["hello"]);
});

test("a line of exactly width characters is kept whole", () => {
  expect(wrap("hello world", 11)).toEqual(["hello world"]);
  expect(wrap("aa bb cc dd", 5)).toEqual(["aa bb", "cc dd"]);
  expect(wrap("hello world", 10)).toEqual(["hello", "world"]);
});

test("no line is longer than width unless it is a single long word", () => {
  const text = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt";
  for (const width of [6, 8, 12, 20, 33]) {
    const lines = wrap(text, width);
    expect(lines.join(" ")).toBe(text);
    for (const line of lines) expect(line.length <= width || !line.includes(" ")).toBe(true);
    // greedy: the next word would not have fitted on the line before
    for (let i = 1; i < lines.length; i++) {
      expect(lines[i - 1].length + 1 + lines[i].split(" ")[0].length).toBeGreaterThan(width);
    }
  }
});

test("long words get a line of their own", () => {
  expect(wrap("a supercalifragilistic word", 6)).toEqual(["a", "supercalifragilistic", "word"]);
  expect(wrap("abcdefgh", 3)).toEqual(["abcdefgh"]);
});

test("whitespace is normalised", () => {
  expect(wrap("  one   two\n\nthree\tfour  ", 9)).toEqual(["one two", "three", "four"]);
});

test("no words, no lines", () => {
  expect(wrap("", 10)).toEqual([]);
  expect(wrap("   \n\t ", 10)).toEqual([]);
});

test("width 1", () => {
  expect(wrap("a b c", 1)).toEqual(["a", "b", "c"]);
});
