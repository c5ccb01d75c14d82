import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { Bash } from "../../src/tools/bash";
import { testCtx } from "./ctx";

/** Running (a killed child may linger as a zombie until PID 1 reaps it; that is not alive). */
const alive = (pid: number) => {
  try {
    if (!existsSync("/proc")) return process.kill(pid, 0);
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
};

describe("Bash", () => {
  test("streams each line as it is written: `a` arrives well before `b` exists", async () => {
    const ctx = testCtx();
    const t0 = performance.now();
    const r = await Bash.run({ command: "echo a; sleep 1.5; echo b" }, ctx);
    expect(r).toEqual({ output: "a\nb\n" });
    const [a, b] = ctx.out;
    expect(a).toMatchObject({ stream: "stdout", text: "a" });
    expect(b).toMatchObject({ stream: "stdout", text: "b" });
    // generous bound: `a` must be seen long before the command sleeps its way to `b`
    expect(a!.at - t0).toBeLessThan(1000);
    expect(b!.at - a!.at).toBeGreaterThan(1000);
  });

  test("reports the exit code and stderr, interleaved in order", async () => {
    const ctx = testCtx();
    const r = await Bash.run({ command: "echo out; echo err >&2; exit 3" }, ctx);
    expect(r).toEqual({ output: "out\nerr\n\n[exit code 3]", error: true });
    expect(ctx.out.map((o) => o.stream)).toEqual(["stdout", "stderr"]);
  });

  test("the working directory persists between calls", async () => {
    const ctx = testCtx();
    mkdirSync(join(ctx.root, "sub"));
    await Bash.run({ command: "cd sub" }, ctx);
    expect(ctx.cwd).toBe(realpathSync(join(ctx.root, "sub")));
    expect((await Bash.run({ command: "pwd" }, ctx)).output).toBe(`${ctx.cwd}\n`);
    await Bash.run({ command: "cd .. && exit 1" }, ctx);
    expect(ctx.cwd).toBe(ctx.root);
  });

  test("a command that never ends is killed at its timeout, children included", async () => {
    const ctx = testCtx();
    const t0 = Date.now();
    const r = await Bash.run({ command: "sleep 60 & echo $! ; wait", timeout: 500 }, ctx);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(r.error).toBe(true);
    expect(r.output).toContain("[timed out after 500 ms; the command and its children were killed]");
    const child = Number(ctx.out[0]!.text);
    await Bun.sleep(100);
    expect(alive(child)).toBe(false);
  });

  test("a command ignoring SIGTERM is SIGKILLed after the grace period", async () => {
    const ctx = testCtx();
    const t0 = Date.now();
    const r = await Bash.run({ command: "trap '' TERM; echo ready; while true; do sleep 0.1; done", timeout: 300 }, ctx);
    const ms = Date.now() - t0;
    expect(r.output).toContain("timed out");
    expect(ms).toBeGreaterThanOrEqual(300 + 400); // timeout + (most of) the 500 ms grace
    expect(ms).toBeLessThan(5000);
  });

  test("abort kills the running command", async () => {
    const ac = new AbortController();
    const ctx = testCtx({ signal: ac.signal });
    setTimeout(() => ac.abort(), 200);
    const r = await Bash.run({ command: "echo started; sleep 30" }, ctx);
    expect(r).toEqual({ output: "started\n\n[interrupted by the user]", error: true });
  });

  test("timeout above the maximum is lowered and says so", async () => {
    const ctx = testCtx({ limits: { bashTimeoutMs: 30_000, bashTimeoutMaxMs: 1000, killGraceMs: 100, outputCap: 32768 } });
    expect((await Bash.run({ command: "echo hi", timeout: 99_999 }, ctx)).output).toBe("[timeout lowered to the maximum of 1000 ms]\nhi\n");
  });

  test("100 MB of output: the model gets 32 KB head+tail, memory stays bounded, the user sees everything", async () => {
    let seen = 0;
    const ctx = testCtx();
    ctx.emit = (_s, text) => {
      seen += text.length + 1;
    };
    // Live heap after a full collection: what the tool still holds. (RSS lags the collector and made this flaky.)
    Bun.gc(true);
    const before = process.memoryUsage().heapUsed;
    const r = await Bash.run({ command: "head -c 100000000 /dev/zero | tr '\\0' 'x' | fold -w 99; echo END" }, ctx);
    Bun.gc(true);
    const grown = process.memoryUsage().heapUsed - before;
    expect(r.error).toBeUndefined();
    expect(Buffer.byteLength(r.output)).toBeLessThan(34 * 1024);
    expect(r.output).toContain("bytes truncated; the output was 10");
    expect(r.output.endsWith("END\n")).toBe(true);
    expect(seen).toBeGreaterThanOrEqual(100_000_000);
    expect(grown).toBeLessThan(16 * 1048576); // holding the output would be ≥ 100 MB
  }, 60_000);

  test("no output and empty commands", async () => {
    const ctx = testCtx();
    expect(await Bash.run({ command: "true" }, ctx)).toEqual({ output: "(no output)" });
    expect(await Bash.run({ command: "  " }, ctx)).toEqual({ output: "command is empty", error: true });
  });
});
