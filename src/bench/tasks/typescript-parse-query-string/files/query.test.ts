import { expect, test } from "bun:test";
import { parseQuery } from "./query";

test("simple pairs", () => {
  expect(parseQuery("a=1&b=2")).toEqual({ a: "1", b: "2" });
});

test("repeated keys become arrays", () => {
  expect(parseQuery("?tag=x&tag=y")).toEqual({ tag: ["x", "y"] });
});
