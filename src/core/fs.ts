// Atomic file writes: a unique temp file in the same directory, then a rename, so a crash or a full disk never
// leaves a half-written file where the user's data was. The temp file is removed when anything fails, and an
// existing file keeps its permission bits unless a mode is asked for.
import { chmodSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";

let counter = 0;

export function writeFileAtomic(file: string, data: string | Uint8Array, mode?: number) {
  mkdirSync(dirname(file), { recursive: true });
  // Hidden, in the same directory (a rename never crosses file systems), unique per process and call.
  const tmp = join(dirname(file), `.${basename(file)}.runcode-${process.pid}-${++counter}.tmp`);
  let keep: number | undefined = mode;
  if (keep === undefined) {
    try {
      keep = statSync(file).mode & 0o7777;
    } catch {
      // a new file: the umask decides, as for any other file the user creates
    }
  }
  try {
    writeFileSync(tmp, data, { flag: "wx", ...(keep !== undefined ? { mode: keep } : {}) });
    if (keep !== undefined) chmodSync(tmp, keep); // the umask must not widen or narrow what was there
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** Pretty JSON with a trailing newline, written atomically. */
export function writeJsonAtomic(file: string, data: unknown, mode?: number) {
  writeFileAtomic(file, `${JSON.stringify(data, null, 2)}\n`, mode);
}
