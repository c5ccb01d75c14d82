import { expect, test } from "bun:test";
import { wrap } from "./wrap.js";

test("wraps at the width", () => {
  expect(wrap("the quick brown fox jumps over the lazy dog", 10)).toEqual(["the quick", "brown fox", "jumps over", "the lazy", "dog"]);
});

test("short text is one line", () => {
  expect(wrap("hello world", 20)).toEqual(["hello world"]);
});
