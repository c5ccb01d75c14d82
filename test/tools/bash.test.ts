import { describe, expect, test } from "bun:test";
import { mkdirSync, realpathSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Bash } from "../../src/tools/bash";
import { alive, waitFor } from "../helpers";
import { testCtx, type TestCtx } from "./ctx";

/** Calls `then` after each line the command streams (the recording in ctx.out still happens first). */
const onLine = (ctx: TestCtx, then: (text: string) => void) => {
  const emit = ctx.emit;
  ctx.emit = (stream, text) => {
    emit(stream, text);
    then(text);
  };
};

describe("Bash", () => {
  test("streams each line as it is written: `a` arrives while the command still waits to write `b`", async () => {
    const ctx = testCtx();
    // The command writes `b` only once the file `go` exists, and the test creates it only on receiving `a`: output
    // held back until the command ends would leave it waiting until its timeout killed it.
    onLine(ctx, (text) => text === "a" && writeFileSync(join(ctx.root, "go"), ""));
    const r = await Bash.run({ command: "echo a; until [ -e go ]; do sleep 0.01; done; echo b", timeout: 10_000 }, ctx);
    expect(r).toEqual({ output: "a\nb\n" });
    expect(ctx.out.map((o) => [o.stream, o.text])).toEqual([
      ["stdout", "a"],
      ["stdout", "b"],
    ]);
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
    const r = await Bash.run({ command: "sleep 60 & echo $! ; wait", timeout: 500 }, ctx);
    expect(r.error).toBe(true);
    expect(r.output).toContain("[timed out after 500 ms; the command and its children were killed]");
    const child = Number(ctx.out[0]!.text);
    await waitFor(() => !alive(child), { timeoutMs: 5000, what: `the timed-out command's background child (pid ${child}) to be killed` });
  });

  test("a command ignoring SIGTERM is SIGKILLed after the grace period", async () => {
    const ctx = testCtx();
    // The shell reports the SIGTERM and carries on; its background child ignores SIGTERM: only SIGKILL ends either.
    const r = await Bash.run(
      { command: "trap 'echo got TERM' TERM; (trap '' TERM; exec sleep 60) & echo $!; while true; do sleep 0.1; done", timeout: 300 },
      ctx,
    );
    expect(r.error).toBe(true);
    // SIGTERM came first and the command outlived it (it ran its handler), then it was killed anyway
    expect(r.output).toEndWith("\ngot TERM\n\n[timed out after 300 ms; the command and its children were killed]");
    const child = Number(ctx.out[0]!.text);
    await waitFor(() => !alive(child), { timeoutMs: 5000, what: `the SIGTERM-proof child (pid ${child}) to be SIGKILLed` });
  });

  test("abort kills the running command", async () => {
    const ac = new AbortController();
    const ctx = testCtx({ signal: ac.signal });
    onLine(ctx, (text) => text === "started" && ac.abort());
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
