// ↑/↓ history kept across runs in paths(home).history: one entry per line, oldest first, multi-line messages with
// their line breaks escaped. Capped, so the file cannot grow without bound; a broken file only costs the history.
import { existsSync, readFileSync } from "node:fs";
import { appendPrivate, writePrivate } from "../core/private";
import { redact } from "../core/secrets";

export const HISTORY_CAP = 500;

const encode = (s: string) => s.replaceAll("\\", "\\\\").replaceAll("\n", "\\n");
const decode = (s: string) => s.replace(/\\(\\|n)/g, (_, c: string) => (c === "n" ? "\n" : "\\"));

/** Entries newest first, as node:readline wants them. */
export function loadHistory(file: string, cap = HISTORY_CAP): string[] {
  if (!existsSync(file)) return [];
  try {
    const lines = readFileSync(file, "utf8").split("\n").filter(Boolean);
    // Rewrite when well over the cap, not on every start: appends stay O(1).
    if (lines.length > cap * 2) writePrivate(file, `${lines.slice(-cap).join("\n")}\n`);
    return lines.slice(-cap).reverse().map(decode);
  } catch {
    return [];
  }
}

export function appendHistory(file: string, entry: string) {
  try {
    appendPrivate(file, `${encode(redact(entry))}\n`); // a key pasted at the prompt is not kept on disk
  } catch {
    // history is a convenience; a read-only home must not break the REPL
  }
}
