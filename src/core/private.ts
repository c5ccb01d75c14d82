// Files in runcode's home hold the proxy token, transcripts, the ledger and logs: only the user may read them.
// Everything runcode writes there goes through here, so files are 0600 and directories 0700 whatever the umask, and
// a home someone else made 0755 is narrowed the first time runcode writes into it. Callers pass only paths inside
// the home (or runcode's own fallback directory): files in the user's project use core/fs.ts and keep the umask.
import { appendFileSync, chmodSync, closeSync, mkdirSync, openSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { writeFileAtomic } from "./fs";

const FILE = 0o600;
const DIR = 0o700;

/** Sets exactly `mode`; never on a directory shared by design (sticky, like /tmp) or on someone else's file. */
function narrow(path: string, mode: number) {
  try {
    const st = statSync(path);
    if ((st.mode & 0o777) === mode || st.mode & 0o1000 || st.uid !== process.getuid?.()) return;
    chmodSync(path, mode);
  } catch {
    // gone or not ours: nothing to narrow
  }
}

/** Creates `dir` and its missing parents 0700, and narrows `dir` itself if it exists with another mode. */
export function privateDir(dir: string) {
  const first = mkdirSync(dir, { recursive: true, mode: DIR });
  // The new parents too: the umask may have left them narrower than 0700 (0500 under a 0277 umask).
  for (let d = resolve(dir); ; d = dirname(d)) {
    narrow(d, DIR);
    if (!first || d.length <= first.length || d === dirname(d)) return;
  }
}

/** Makes sure `file` exists (empty when new), is 0600 and sits in a 0700 directory; before SQLite or an fd opens it. */
export function privateFile(file: string) {
  privateDir(dirname(file));
  closeSync(openSync(file, "a", FILE));
  narrow(file, FILE);
}

/** An atomic write of a 0600 file; an existing file with a wider mode is replaced by a 0600 one. */
export function writePrivate(file: string, data: string | Uint8Array) {
  privateDir(dirname(file));
  writeFileAtomic(file, data, FILE);
}

/** Pretty JSON with a trailing newline, as core/fs.ts writeJsonAtomic, but 0600. */
export function writePrivateJson(file: string, data: unknown) {
  writePrivate(file, `${JSON.stringify(data, null, 2)}\n`);
}

export function appendPrivate(file: string, text: string) {
  privateFile(file);
  appendFileSync(file, text, { mode: FILE });
}

/** Narrows a file someone else created (SQLite's -wal and -shm); a missing file is left missing. */
export function narrowFile(file: string) {
  narrow(file, FILE);
}
