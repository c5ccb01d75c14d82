import { expect, test } from "bun:test";
import { retry } from "./retry";

const noSleep = async () => {};

test("returns the value of the first successful call", async () => {
  let calls = 0;
  const value = await retry(
    async () => {
      calls++;
      if (calls < 2) throw new Error("flaky");
      return "ok";
    },
    { attempts: 3, delayMs: 10, sleep: noSleep },
  );
  expect(value).toBe("ok");
  expect(calls).toBe(2);
});
