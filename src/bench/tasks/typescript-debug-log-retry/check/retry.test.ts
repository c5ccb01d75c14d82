// @ts-nocheck: this file runs in a task copy, beside the module it imports (in files/), not here.
import { expect, test } from "bun:test";
import { retry } from "./retry";

function failing(times: number, value = "ok") {
  const state = { calls: 0 };
  const fn = async () => {
    state.calls++;
    if (state.calls <= times) throw new Error(`failure ${state.calls}`);
    return value;
  };
  return { fn, state };
}

function recorder() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

test("returns the value of the first successful call", async () => {
  const { fn, state } = failing(1);
  const { waits, sleep } = recorder();
  expect(await retry(fn, { attempts: 3, delayMs: 10, sleep })).toBe("ok");
  expect(state.calls).toBe(2);
  expect(waits).toEqual([10]);
});

test("makes exactly `attempts` calls and throws the last error", async () => {
  const { fn, state } = failing(100);
  const { waits, sleep } = recorder();
  const err = await retry(fn, { attempts: 3, delayMs: 200, sleep }).catch((e) => e);
  expect(err).toBeInstanceOf(Error);
  expect((err as Error).message).toBe("failure 3");
  expect(state.calls).toBe(3);
  expect(waits).toEqual([200, 400]);
});

test("succeeds on the last attempt", async () => {
  const { fn, state } = failing(4, "done");
  const { waits, sleep } = recorder();
  expect(await retry(fn, { attempts: 5, delayMs: 1, sleep })).toBe("done");
  expect(state.calls).toBe(5);
  expect(waits).toEqual([1, 2, 4, 8]);
});

test("attempts: 1 calls once, never waits", async () => {
  const ok = failing(0, "first");
  const r1 = recorder();
  expect(await retry(ok.fn, { attempts: 1, delayMs: 0, sleep: r1.sleep })).toBe("first");
  expect(ok.state.calls).toBe(1);

  const bad = failing(100);
  const r2 = recorder();
  const err = await retry(bad.fn, { attempts: 1, delayMs: 50, sleep: r2.sleep }).catch((e) => e);
  expect((err as Error).message).toBe("failure 1");
  expect(bad.state.calls).toBe(1);
  expect(r2.waits).toEqual([]);
  expect(r1.waits).toEqual([]);
});

test("no wait when the first call succeeds", async () => {
  const { fn } = failing(0);
  const { waits, sleep } = recorder();
  await retry(fn, { attempts: 4, delayMs: 100, sleep });
  expect(waits).toEqual([]);
});

test("the real timer is used when no sleep is given", async () => {
  const { fn, state } = failing(1);
  const started = Date.now();
  expect(await retry(fn, { attempts: 2, delayMs: 20 })).toBe("ok");
  expect(state.calls).toBe(2);
  expect(Date.now() - started).toBeGreaterThanOrEqual(15);
});
