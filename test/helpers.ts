// Spawning the real CLI for end-to-end tests. RUNCODE_TEST_BIN points at a compiled binary (CI does this);
// otherwise the source runs under the same Bun that runs the tests. Every run gets a temp RUNCODE_HOME, so no
// test ever reads or writes the real home directory.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const ROOT = resolve(import.meta.dir, "..");
const MAIN = join(ROOT, "src", "main.ts");

export function cliCommand(): string[] {
  const bin = process.env.RUNCODE_TEST_BIN;
  return bin ? [resolve(bin)] : [process.execPath, MAIN];
}

// Every temp dir of this test process lives under one root, removed when the process exits: a test run leaves
// nothing behind in the system's temp folder (thousands of leftovers slow every program that lists it).
let root: string | undefined;
export function tempDir(prefix = "runcode-test-"): string {
  if (!root) {
    const made = mkdtempSync(join(tmpdir(), "runcode-tests-"));
    root = made;
    process.once("exit", () => rmSync(made, { recursive: true, force: true }));
  }
  return mkdtempSync(join(root, prefix));
}

export type RunOptions = {
  stdin?: string | Uint8Array | "inherit-none";
  env?: Record<string, string | undefined>;
  cwd?: string;
  home?: string;
  timeoutMs?: number;
};

export type RunResult = { stdout: string; stderr: string; code: number; home: string };

/** The environment a spawned CLI sees: nothing from the developer's machine that could change its behaviour. */
export function cliEnv(home: string, extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: home,
    RUNCODE_HOME: home,
    NO_COLOR: "1",
    TERM: "dumb",
    TMPDIR: process.env.TMPDIR ?? tmpdir(),
  };
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

export async function runCli(args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const home = opts.home ?? tempDir();
  const proc = Bun.spawn([...cliCommand(), ...args], {
    cwd: opts.cwd ?? home,
    env: cliEnv(home, opts.env),
    stdin: opts.stdin === undefined ? "ignore" : opts.stdin === "inherit-none" ? "ignore" : new Blob([opts.stdin]),
    stdout: "pipe",
    stderr: "pipe",
  });
  const timer = setTimeout(() => proc.kill("SIGKILL"), opts.timeoutMs ?? 20_000);
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  clearTimeout(timer);
  return { stdout, stderr, code, home };
}

export function jsonLines(stdout: string): any[] {
  return stdout
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));
}

export function cleanup(...dirs: string[]) {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}

/**
 * Waits for something a test cannot await directly (a file to appear, a process to go away, a counter to move):
 * polls `predicate` every `intervalMs` and returns its first truthy value; after `timeoutMs` it throws an error that
 * names `what`. Tests wait on events like this (or on a promise the event resolves), never on a bare sleep.
 */
export async function waitFor<T>(
  predicate: () => T | Promise<T>,
  o: { what: string; timeoutMs?: number; intervalMs?: number },
): Promise<T> {
  const timeoutMs = o.timeoutMs ?? 10_000;
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const v = await predicate();
    if (v) return v;
    if (performance.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${o.what}`);
    await Bun.sleep(o.intervalMs ?? 10);
  }
}

/** Whether a process is running (a killed child may linger as a zombie until PID 1 reaps it; that is not alive). */
export function alive(pid: number): boolean {
  try {
    if (!existsSync("/proc")) return process.kill(pid, 0);
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}
