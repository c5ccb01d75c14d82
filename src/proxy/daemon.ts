// The background proxy: the same binary re-run detached as `runcode proxy --log-file …`, a pid file (the original's
// runcode.pid) plus a small state file with the port and flags, and health checks over loopback.
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Paths } from "../core/home";

export type DaemonFiles = { pid: string; state: string; log: string };
export type DaemonState = { pid: number; port: number; args: string[]; started: number };
export type Health = { status: string; version: string; chain: string; wallet: string | null; uptime: number; port: number; pid: number };

export const daemonFiles = (p: Paths): DaemonFiles => ({
  pid: p.pid,
  state: join(p.home, "runcode-daemon.json"),
  log: join(p.home, "logs", "proxy.log"),
});

/** How to run this same runcode again: the compiled binary alone, or Bun plus the entry script from source. */
export function selfCommand(): string[] {
  const main = Bun.main;
  return /\.(ts|js|mjs)$/.test(main) && existsSync(main) ? [process.execPath, main] : [process.execPath];
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: string }).code === "EPERM";
  }
}

/** The recorded daemon, or undefined when there is none or its process is gone (a stale pid file is removed). */
export function readDaemon(f: DaemonFiles): { state: DaemonState; stale: false } | { stale: boolean; state?: undefined } {
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(f.pid, "utf8"), 10);
  } catch {
    return { stale: false };
  }
  let state: DaemonState = { pid, port: 8402, args: [], started: 0 };
  try {
    const s = JSON.parse(readFileSync(f.state, "utf8")) as DaemonState;
    if (s.pid === pid) state = s;
  } catch {
    // an original RunCode pid file has no state file: assume the default port
  }
  // A pid reused by an unrelated process after a reboot is not our daemon (Linux can tell from its command line).
  const cmdline = `/proc/${pid}/cmdline`;
  const ours = !existsSync("/proc/self") || (existsSync(cmdline) && readFileSync(cmdline, "utf8").includes("proxy"));
  if (Number.isInteger(pid) && pid > 0 && alive(pid) && ours) return { state, stale: false };
  clearDaemon(f);
  return { stale: true };
}

export function clearDaemon(f: DaemonFiles) {
  rmSync(f.pid, { force: true });
  rmSync(f.state, { force: true });
}

export async function health(port: number, timeoutMs = 1000): Promise<Health | undefined> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/health`, {
      signal: AbortSignal.timeout(timeoutMs),
      headers: { host: `localhost:${port}` },
    });
    return res.ok ? ((await res.json()) as Health) : undefined;
  } catch {
    return undefined;
  }
}

export async function waitFor(check: () => boolean | Promise<boolean>, ms: number, every = 100): Promise<boolean> {
  const end = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= end) return false;
    await Bun.sleep(every);
  }
}
