// Leases: which open Store is appending to a session right now, so two processes continuing one conversation never
// interleave its transcript. The rule (docs/store.md "Two processes, one session"): the process that would append to
// a session another live process holds continues in a copy of it (a new session id, the conversation up to the
// holder's last finished turn), with one line naming both ids. A lease is a row in `leases`, taken in an IMMEDIATE
// transaction when a session is resumed or first written, refreshed at every append and every HEARTBEAT_MS, and
// released at close. kill -9 cannot lock a session: a lease whose pid is gone (same host) is free at once, and one
// that has not beaten for LEASE_TTL_MS (a stopped process, a reused pid, another host) is free after that. The
// recorder also checks at every append that nobody else appended since it last did, which covers the rest (a process
// stopped with Ctrl-Z past the TTL while another took over): it forks then.
import { readFileSync } from "node:fs";
import { hostname } from "node:os";

export const LEASE_TTL_MS = 60_000;
export const HEARTBEAT_MS = 15_000;
export const HOST = hostname();

export type Lease = { session: string; owner: string; pid: number; host: string; beatAt: number; settled: number };

/** Whether a process is running; a zombie (dead, not yet reaped) is not. */
export function pidAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: it exists, it is someone else's.
    return (err as { code?: string }).code === "EPERM";
  }
  try {
    return !/^\d+ \(.*\) Z/s.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return true; // no /proc (macOS): kill(0) is the answer
  }
}

/** `l` is held by another open Store whose process is still there and still beating. */
export function heldElsewhere(l: Lease | undefined, owner: string, now = Date.now()): l is Lease {
  if (!l || l.owner === owner) return false;
  if (l.host === HOST && !pidAlive(l.pid)) return false;
  return now - l.beatAt < LEASE_TTL_MS;
}
