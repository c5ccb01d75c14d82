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
});
