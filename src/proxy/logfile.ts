// The daemon's log: request lines appended to a file under the home dir, rotated by size (one `.1` kept) so a
// proxy left running for months cannot fill the disk. Never throws: a full disk must not stop the proxy.
import { appendFileSync, mkdirSync, renameSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { redact } from "../core/secrets";

export const MAX_LOG_BYTES = 5 * 1024 * 1024;

/** A request line starts with its own `HH:MM:SS` (for the terminal); the file's date-time replaces it, not doubles it. */
const OWN_TIME = /^\d\d:\d\d:\d\d /;

export function rotatingLog(file: string, max = MAX_LOG_BYTES): (line: string) => void {
  mkdirSync(dirname(file), { recursive: true });
  let size = sizeOf(file);
  return (line) => {
    const text = `[${new Date().toISOString()}] ${redact(line.replace(OWN_TIME, ""))}\n`;
    try {
      if (size + text.length > max) {
        renameSync(file, `${file}.1`);
        size = 0;
      }
      appendFileSync(file, text, { mode: 0o600 });
      size += Buffer.byteLength(text);
    } catch {
      // unwritable log: the proxy goes on
    }
  };
}

export function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** Rotate before the daemon opens the file for a new process's stderr. */
export function rotateIfLarge(file: string, max = MAX_LOG_BYTES) {
  mkdirSync(dirname(file), { recursive: true });
  if (sizeOf(file) > max) renameSync(file, `${file}.1`);
}
