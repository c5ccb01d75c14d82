// The debug log: `[ISO time] message` lines in runcode-debug.log, as the original wrote. Never throws: a log
// that cannot be written must not break a run. Callers must never pass secrets; any registered one is redacted anyway.
import { appendFileSync } from "node:fs";
import { privateFile } from "./private";
import { redact } from "./secrets";

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
    privateFile(file); // 0600 in a 0700 directory, also when an older version made it 0644
    appendFileSync(file, `[${new Date().toISOString()}] ${redact(message)}\n`, { mode: 0o600 });
  } catch {
    // unwritable home: the run goes on without a log
  }
}
