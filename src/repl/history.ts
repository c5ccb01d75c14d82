// ↑/↓ history kept across runs in paths(home).history: one entry per line, oldest first, multi-line messages with
// their line breaks escaped. Capped, so the file cannot grow without bound; a broken file only costs the history.
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

export const HISTORY_CAP = 500;

const encode = (s: string) => s.replaceAll("\\", "\\\\").replaceAll("\n", "\\n");
const decode = (s: string) => s.replace(/\\(\\|n)/g, (_, c: string) => (c === "n" ? "\n" : "\\"));

/** Entries newest first, as node:readline wants them. */
export function loadHistory(file: string, cap = HISTORY_CAP): string[] {
  if (!existsSync(file)) return [];
  try {
    const lines = readFileSync(file, "utf8").split("\n").filter(Boolean);
    // Rewrite when well over the cap, not on every start: appends stay O(1).
    if (lines.length > cap * 2) writeFileSync(file, `${lines.slice(-cap).join("\n")}\n`, { mode: 0o600 });
    return lines.slice(-cap).reverse().map(decode);
  } catch {
    return [];
  }
}

export function appendHistory(file: string, entry: string) {
  try {
    mkdirSync(dirname(file), { recursive: true });
    appendFileSync(file, `${encode(entry)}\n`, { mode: 0o600 });
  } catch {
    // history is a convenience; a read-only home must not break the REPL
  }
}
