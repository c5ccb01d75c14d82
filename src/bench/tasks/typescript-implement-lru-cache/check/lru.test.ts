// @ts-nocheck: this file runs in a task copy, beside the module it imports (in files/), not here.
import { expect, test } from "bun:test";
import { LRUCache } from "./lru";

test("stores and returns values", () => {
  const cache = new LRUCache<string, number>(2);
  cache.set("a", 1);
  expect(cache.get("a")).toBe(1);
  expect(cache.get("b")).toBeUndefined();
});

test("evicts the least recently used entry", () => {
  const cache = new LRUCache<string, number>(2);
  cache.set("a", 1).set("b", 2).set("c", 3);
  expect(cache.has("a")).toBe(false);
  expect(cache.keys()).toEqual(["b", "c"]);
  expect(cache.size).toBe(2);
});

test("capacity must be a positive integer", () => {
  for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
    expect(() => new LRUCache(bad)).toThrow(RangeError);
  }
  expect(() => new LRUCache(1)).not.toThrow();
});

test("get makes a key the most recently used", () => {
  const cache = new LRUCache<string, number>(2);
  cache.set("a", 1).set("b", 2);
  expect(cache.get("a")).toBe(1);
  cache.set("c", 3);
  expect(cache.keys()).toEqual(["a", "c"]);
  expect(cache.get("b")).toBeUndefined();
});

test("get of a missing key changes nothing", () => {
  const cache = new LRUCache<string, number>(2);
  cache.set("a", 1).set("b", 2);
  expect(cache.get("zzz")).toBeUndefined();
  expect(cache.keys()).toEqual(["a", "b"]);
  expect(cache.size).toBe(2);
});

test("has does not change recency", () => {
  const cache = new LRUCache<string, number>(2);
  cache.set("a", 1).set("b", 2);
  expect(cache.has("a")).toBe(true);
  cache.set("c", 3);
  expect(cache.has("a")).toBe(false);
  expect(cache.keys()).toEqual(["b", "c"]);
});

test("set on an existing key updates it, refreshes it and evicts nothing", () => {
  const cache = new LRUCache<string, number>(3);
  cache.set("a", 1).set("b", 2).set("c", 3);
  cache.set("a", 10);
  expect(cache.size).toBe(3);
  expect(cache.keys()).toEqual(["b", "c", "a"]);
  expect(cache.get("a")).toBe(10);
  cache.set("d", 4);
  expect(cache.keys()).toEqual(["c", "a", "d"]);
});

test("set returns the cache", () => {
  const cache = new LRUCache<number, string>(1);
  expect(cache.set(1, "one")).toBe(cache);
});

test("delete", () => {
  const cache = new LRUCache<string, number>(2);
  cache.set("a", 1).set("b", 2);
  expect(cache.delete("a")).toBe(true);
  expect(cache.delete("a")).toBe(false);
  expect(cache.size).toBe(1);
  expect(cache.keys()).toEqual(["b"]);
  cache.set("c", 3);
  expect(cache.keys()).toEqual(["b", "c"]);
});

test("capacity 1", () => {
  const cache = new LRUCache<string, number>(1);
  cache.set("a", 1).set("b", 2);
  expect(cache.keys()).toEqual(["b"]);
  expect(cache.get("a")).toBeUndefined();
  expect(cache.get("b")).toBe(2);
});

test("falsy keys and values", () => {
  const cache = new LRUCache<number | string, number>(3);
  cache.set(0, 0).set("", 0);
  expect(cache.has(0)).toBe(true);
  expect(cache.get(0)).toBe(0);
  expect(cache.get("")).toBe(0);
  expect(cache.size).toBe(2);
});

test("object keys are compared by identity", () => {
  const k1 = { id: 1 };
  const cache = new LRUCache<object, string>(2);
  cache.set(k1, "x");
  expect(cache.get(k1)).toBe("x");
  expect(cache.get({ id: 1 })).toBeUndefined();
});
