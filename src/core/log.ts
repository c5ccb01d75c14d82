// The debug log: `[ISO time] message` lines in runcode-debug.log, as the original wrote. Never throws: a log
// that cannot be written must not break a run. Callers must never pass secrets.
import { appendFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";

let file = "";
export function setLogFile(path: string) {
  file = path;
}
export function logFile() {
  return file;
}
export function log(message: string) {
  if (!file) return;
  try {
    mkdirSync(dirname(file), { recursive: true });
    appendFileSync(file, `[${new Date().toISOString()}] ${message}\n`, { mode: 0o600 });
  } catch {
    // unwritable home: the run goes on without a log
  }
}
