// One hook command: `bash -c` in its own process group, the event as JSON on stdin, stdout and stderr collected.
// At its timeout (or when the run is interrupted) the whole group is killed, so nothing it started outlives it.
export type Ran = { exit: number | null; stdout: string; stderr: string; ms: number; timedOut: boolean };

/** What is kept of each stream; a hook that floods its pipe is still read to its end, so it never blocks on it. */
const KEEP = 256 * 1024;
/** After the shell exits, how long a background child may keep its pipes open before runcode stops reading. */
const DRAIN_MS = 300;

const shell = () => Bun.which("bash") ?? "/bin/sh";

export async function spawnHook(
  command: string,
  stdin: string,
  o: { cwd: string; env: Record<string, string>; timeoutMs: number; signal?: AbortSignal; now?: () => number },
): Promise<Ran> {
  const now = o.now ?? performance.now.bind(performance);
  const t0 = now();
  let proc: ReturnType<typeof Bun.spawn<"pipe", "pipe", "pipe">>;
  try {
    proc = Bun.spawn([shell(), "-c", command], {
      cwd: o.cwd,
      env: o.env,
      detached: true,
      stdin: "pipe",
      stdout: "pipe",
      stderr: "pipe",
    });
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return { exit: null, stdout: "", stderr: `could not start the hook: ${why}`, ms: Math.round(now() - t0), timedOut: false };
  }
  let timedOut = false;
  const kill = () => {
    try {
      process.kill(-proc.pid, "SIGKILL");
    } catch {
      // the group is already gone
    }
  };
  const timer = setTimeout(() => {
    timedOut = true;
    kill();
  }, o.timeoutMs);
  o.signal?.addEventListener("abort", kill, { once: true });
  const out = read(proc.stdout);
  const err = read(proc.stderr);
  // Written while its output is read: a hook that prints before it reads never waits on a full pipe.
  void (async () => {
    proc.stdin.write(stdin);
    await proc.stdin.end();
  })().catch(() => undefined); // EPIPE: it exited or closed stdin without reading, which is its right
  const exit = await proc.exited;
  clearTimeout(timer);
  o.signal?.removeEventListener("abort", kill);
  const drained = Promise.all([out.done, err.done]);
  await Promise.race([drained, Bun.sleep(DRAIN_MS)]);
  out.stop();
  err.stop();
  return {
    exit: timedOut || proc.signalCode ? null : exit,
    stdout: out.text(),
    stderr: err.text(),
    ms: Math.round(now() - t0),
    timedOut,
  };
}

function read(stream: ReadableStream<Uint8Array>) {
  const reader = stream.getReader();
  const dec = new TextDecoder();
  let text = "";
  const done = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        if (text.length < KEEP) text += dec.decode(value, { stream: true });
      }
    } catch {
      // cancelled, or the pipe was torn down by a kill
    }
  })();
  return {
    done,
    stop: () => void reader.cancel().catch(() => undefined),
    text: () => (text.length > KEEP ? text.slice(0, KEEP) : text),
  };
}
