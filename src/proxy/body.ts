// Forwarding a client's body byte for byte while changing one top-level field (`model`, `max_tokens`). Re-serialising
// the parsed JSON would change whitespace, key order of nothing, and the precision of large numbers; splicing the one
// value keeps every other byte the client sent. The scan skips strings, so a "model" key inside a message or a tool
// input is never touched.

/** [start, end) of the value of top-level `key` in a JSON object text, or undefined when absent. */
export function topLevelValue(raw: string, key: string): [number, number] | undefined {
  let depth = 0;
  let i = 0;
  const n = raw.length;
  while (i < n) {
    const ch = raw.charCodeAt(i);
    if (ch === 34 /* " */) {
      const end = stringEnd(raw, i);
      if (depth === 1 && raw.slice(i + 1, end - 1) === key) {
        let j = end;
        while (j < n && /\s/.test(raw[j]!)) j++;
        if (raw[j] === ":") {
          j++;
          while (j < n && /\s/.test(raw[j]!)) j++;
          return [j, valueEnd(raw, j)];
        }
      }
      i = end;
      continue;
    }
    if (ch === 123 || ch === 91) depth++;
    else if (ch === 125 || ch === 93) depth--;
    i++;
  }
  return undefined;
}

/** Index just past the closing quote of the string starting at `i`. */
function stringEnd(raw: string, i: number): number {
  let j = i + 1;
  for (;;) {
    const q = raw.indexOf('"', j);
    if (q < 0) return raw.length;
    let backslashes = 0;
    for (let k = q - 1; raw[k] === "\\"; k--) backslashes++;
    if (backslashes % 2 === 0) return q + 1;
    j = q + 1;
  }
}

function valueEnd(raw: string, i: number): number {
  if (raw[i] === '"') return stringEnd(raw, i);
  let depth = 0;
  let j = i;
  for (; j < raw.length; j++) {
    const ch = raw[j]!;
    if (ch === '"') {
      j = stringEnd(raw, j) - 1;
      continue;
    }
    if (ch === "{" || ch === "[") depth++;
    else if (ch === "}" || ch === "]") {
      if (depth === 0) break;
      depth--;
    } else if (ch === "," && depth === 0) break;
  }
  while (j > i && /\s/.test(raw[j - 1]!)) j--;
  return j;
}

/** Replace (or add) top-level fields; `value` is any JSON-serialisable value. */
export function setFields(raw: string, fields: Record<string, unknown>): string {
  let out = raw;
  for (const [key, value] of Object.entries(fields)) {
    const json = JSON.stringify(value);
    const span = topLevelValue(out, key);
    if (span) out = out.slice(0, span[0]) + json + out.slice(span[1]);
    else {
      const open = out.indexOf("{");
      const empty = /^\s*}/.test(out.slice(open + 1));
      out = `${out.slice(0, open + 1)}${JSON.stringify(key)}:${json}${empty ? "" : ","}${out.slice(open + 1)}`;
    }
  }
  return out;
}
