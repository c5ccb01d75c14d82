// @ts-nocheck: this file runs in a task copy, beside the module it imports (in files/), not here.
import { expect, test } from "bun:test";
import { deepMerge, type JsonObject } from "./merge";

test("nested objects are merged", () => {
  expect(deepMerge({ db: { host: "localhost", port: 5432 } }, { db: { port: 6543 } })).toEqual({
    db: { host: "localhost", port: 6543 },
  });
  expect(deepMerge({ a: { b: { c: 1, d: 2 } } }, { a: { b: { d: 3, e: 4 } }, f: 5 })).toEqual({ a: { b: { c: 1, d: 3, e: 4 } }, f: 5 });
});

test("arrays are replaced, not merged", () => {
  expect(deepMerge({ tags: ["a", "b", "c"] }, { tags: ["x"] })).toEqual({ tags: ["x"] });
  expect(deepMerge({ tags: { a: 1 } }, { tags: ["x"] })).toEqual({ tags: ["x"] });
  expect(deepMerge({ tags: ["x"] }, { tags: { a: 1 } })).toEqual({ tags: { a: 1 } });
  expect(Array.isArray(deepMerge({ list: [1, 2] }, { list: [3] }).list)).toBe(true);
});

test("the base object is not modified", () => {
  const base = { db: { host: "localhost" } };
  deepMerge(base, { db: { host: "db.internal" } });
  expect(base).toEqual({ db: { host: "localhost" } });
});

test("neither argument is modified, at any depth", () => {
  const base: JsonObject = { a: { b: { c: 1 } }, list: [1, 2, 3], keep: "x" };
  const override: JsonObject = { a: { b: { c: 2, d: [4] } }, list: [9], extra: null };
  const baseCopy = structuredClone(base);
  const overrideCopy = structuredClone(override);
  const merged = deepMerge(base, override);
  expect(merged).toEqual({ a: { b: { c: 2, d: [4] } }, list: [9], keep: "x", extra: null });
  expect(base).toEqual(baseCopy);
  expect(override).toEqual(overrideCopy);
  expect(merged).not.toBe(base);
});

test("null replaces and is replaced", () => {
  expect(deepMerge({ a: { b: 1 } }, { a: null })).toEqual({ a: null });
  expect(deepMerge({ a: null }, { a: { b: 1 } })).toEqual({ a: { b: 1 } });
  expect(deepMerge({ a: 1 }, { a: { b: 1 } })).toEqual({ a: { b: 1 } });
  expect(deepMerge({ a: { b: 1 } }, { a: "flat" })).toEqual({ a: "flat" });
});

test("undefined values in override are ignored", () => {
  expect(deepMerge({ a: 1, b: { c: 2 } }, { a: undefined, b: { c: undefined } as never })).toEqual({ a: 1, b: { c: 2 } });
});

test("empty override and empty base", () => {
  expect(deepMerge({ a: 1 }, {})).toEqual({ a: 1 });
  expect(deepMerge({}, { a: [1] })).toEqual({ a: [1] });
});
