// Standard streams as commands write them: synchronous writes to fds 1 and 2 and isatty() checks, without Node's
// stream objects behind process.stdout/stderr (setting those up is most of a short command's start-up), and a
// closed pipe is not a crash: `runcode sessions | head -1` ends quietly with status 0 once `head` has gone.
// Only the REPL, whose line editor needs real streams, uses process.stdin/stdout.
import { writeSync } from "node:fs";

/**
 * isatty(3) from the runtime's own binding: node:tty's module (its stream classes over net.Socket) costs ~2.5 ms to
 * load, for one system call. Falls back to node:tty where the binding is missing.
 */
function isatty(fd: number): boolean {
  try {
    const binding = (process as { binding?: (name: string) => { isTTY?: (fd: number) => boolean } }).binding?.("tty_wrap");
    if (typeof binding?.isTTY === "function") return !!binding.isTTY(fd);
  } catch {}
  return (require("node:tty") as typeof import("node:tty")).isatty(fd);
}

export const tty = { in: isatty(0), out: isatty(1), err: isatty(2) };

export const out = (s: string) => write(1, s);
export const err = (s: string) => write(2, s);

function write(fd: 1 | 2, s: string) {
  const buf = Buffer.from(s);
  for (let at = 0; at < buf.length; ) {
    try {
      at += writeSync(fd, buf, at);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // A descriptor left non-blocking by the parent: wait for room, as a blocking write would.
      if (code === "EAGAIN") {
        Bun.sleepSync(1);
        continue;
      }
      if (code !== "EPIPE") throw e;
      // The reader is gone: the product has nowhere to go. Whatever was on stderr is dropped too.
      if (fd === 1) process.exit(0);
      return;
    }
  }
}
