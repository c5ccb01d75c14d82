// @ts-nocheck: this file runs in a task copy, beside the module it imports (in files/), not here.
import { expect, test } from "bun:test";
import { parseQuery } from "./query";

test("simple pairs", () => {
  expect(parseQuery("a=1&b=2")).toEqual({ a: "1", b: "2" });
});

test("repeated keys become arrays", () => {
  expect(parseQuery("?tag=x&tag=y")).toEqual({ tag: ["x", "y"] });
  expect(parseQuery("n=1&m=2&n=3&n=4")).toEqual({ n: ["1", "3", "4"], m: "2" });
  expect(parseQuery("a=&a=")).toEqual({ a: ["", ""] });
});

test("leading ? and empty input", () => {
  expect(parseQuery("")).toEqual({});
  expect(parseQuery("?")).toEqual({});
  expect(parseQuery("?x=1")).toEqual({ x: "1" });
});

test("empty pairs are skipped", () => {
  expect(parseQuery("a=1&&b=2&")).toEqual({ a: "1", b: "2" });
  expect(parseQuery("&&&")).toEqual({});
});

test("only the first = separates", () => {
  expect(parseQuery("t=a=b")).toEqual({ t: "a=b" });
  expect(parseQuery("token=YWJj==")).toEqual({ token: "YWJj==" });
  expect(parseQuery("e=")).toEqual({ e: "" });
});

test("a pair without = has the value empty string", () => {
  expect(parseQuery("flag&x=1")).toEqual({ flag: "", x: "1" });
  expect(parseQuery("flag&flag")).toEqual({ flag: ["", ""] });
});

test("plus and percent decoding", () => {
  expect(parseQuery("q=hello+world")).toEqual({ q: "hello world" });
  expect(parseQuery("q=hello%20world")).toEqual({ q: "hello world" });
  expect(parseQuery("sum=1%2B1")).toEqual({ sum: "1+1" });
  expect(parseQuery("name=Ren%C3%A9e")).toEqual({ name: "Renée" });
  expect(parseQuery("first+name=a&x%5B%5D=1&x%5B%5D=2")).toEqual({ "first name": "a", "x[]": ["1", "2"] });
  expect(parseQuery("amp=%26&eq=%3D")).toEqual({ amp: "&", eq: "=" });
});

test("malformed escapes throw a URIError", () => {
  expect(() => parseQuery("a=%zz")).toThrow(URIError);
  expect(() => parseQuery("a=%E0%A4")).toThrow(URIError);
  expect(() => parseQuery("%=1")).toThrow(URIError);
});

test("keys that are also names on Object.prototype", () => {
  expect(parseQuery("constructor=1&toString=x&toString=y")).toEqual({ constructor: "1", toString: ["x", "y"] });
});

test("a single value is a string, not an array", () => {
  const q = parseQuery("one=1");
  expect(typeof q.one).toBe("string");
});
