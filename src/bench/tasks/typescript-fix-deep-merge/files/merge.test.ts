import { expect, test } from "bun:test";
import { deepMerge } from "./merge";

test("nested objects are merged", () => {
  expect(deepMerge({ db: { host: "localhost", port: 5432 } }, { db: { port: 6543 } })).toEqual({
    db: { host: "localhost", port: 6543 },
  });
});

test("arrays are replaced, not merged", () => {
  expect(deepMerge({ tags: ["a", "b", "c"] }, { tags: ["x"] })).toEqual({ tags: ["x"] });
});

test("the base object is not modified", () => {
  const base = { db: { host: "localhost" } };
  deepMerge(base, { db: { host: "db.internal" } });
  expect(base).toEqual({ db: { host: "localhost" } });
});
