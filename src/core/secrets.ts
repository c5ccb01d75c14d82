// runcode's own secrets (wallet keys, tokens) as this process knows them, so that none of them leaves it by a side
// door. The edge registers what it loads (cli/secrets.ts); everything that sends, stores or logs text asks here:
// requests that contain a secret are refused, logs, events and stored records are redacted, and children get an
// environment without the variables that carry one. A registry, not a feature: it knows no file or variable name.
import { realpathSync, statSync } from "node:fs";

/** Shown where a secret was cut out. */
export const REDACTED = "[redacted]";

/** Shorter values are not treated as secrets: they could match ordinary text. */
const MIN = 16;

const needles = new Set<string>();
const names = new Set<string>();
const files = new Set<string>();

/**
 * Remember a secret value and the spellings that carry it: as written, lower- and upper-case (hex keys), without a
 * `0x` prefix, and base64 of it (with and without a trailing newline, cut so that `base64`'s line wrapping keeps
 * the prefix intact).
 */
export function addSecret(value: string | undefined) {
  const v = value?.trim();
  if (!v || v.length < MIN) return;
  const bare = v.replace(/^0x/i, "");
  for (const s of [v, bare, bare.toLowerCase(), bare.toUpperCase()]) if (s.length >= MIN) needles.add(s);
  for (const s of [v, `${v}\n`]) needles.add(Buffer.from(s).toString("base64").slice(0, 60));
}

/** An environment variable whose value is a secret: children never inherit it. */
export function addSecretEnv(name: string, value?: string) {
  names.add(name);
  addSecret(value);
}

/** A file that holds a secret: no tool may read, list the contents of, or change it. */
export function addSecretFile(path: string) {
  files.add(path);
  try {
    files.add(realpathSync(path));
  } catch {
    // not there (yet): its path still counts
  }
}

export const hasSecrets = () => needles.size > 0;
/** The registered secret files (a sandbox hides them from the commands it runs). */
export const secretFiles = (): string[] => [...files];
export const isSecretEnv = (name: string) => names.has(name);

/** Does `text` carry a registered secret? */
export function containsSecret(text: string | Uint8Array): boolean {
  if (!needles.size) return false;
  const s = typeof text === "string" ? text : Buffer.from(text.buffer, text.byteOffset, text.byteLength).toString("latin1");
  for (const n of needles) if (s.includes(n)) return true;
  return false;
}

/** `text` with every registered secret replaced by REDACTED. */
export function redact(text: string): string {
  if (!needles.size) return text;
  let out = text;
  // Longest first, so a key is cut whole rather than leaving its `0x` behind.
  for (const n of [...needles].sort((a, b) => b.length - a.length)) if (out.includes(n)) out = out.split(n).join(REDACTED);
  return out;
}

/** A JSON-shaped value with every string redacted; the same object when it carries nothing. */
export function redactValue<T>(v: T): T {
  if (!needles.size) return v;
  const json = JSON.stringify(v);
  if (json === undefined || !containsSecret(json)) return v;
  return JSON.parse(redact(json)) as T;
}

/** The environment for a child process: without secret variables, and without any variable whose value holds one. */
export function childEnv(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && !names.has(k) && !containsSecret(v)) out[k] = v;
  return out;
}

/** Remove the secret variables from this process's own environment, so no child can inherit them by default. */
export function scrubProcessEnv(env: NodeJS.ProcessEnv = process.env) {
  for (const k of Object.keys(env)) if (names.has(k) || containsSecret(env[k] ?? "")) delete env[k];
}

/**
 * Is `path` one of the secret files? By path as given, by resolved path (a symlink to it), and by identity (a
 * hard link to it), so no spelling of the path reaches it.
 */
export function isSecretFile(path: string): boolean {
  if (!files.size) return false;
  if (files.has(path)) return true;
  let real = path;
  try {
    real = realpathSync(path);
  } catch {
    return false; // it does not exist, so it holds nothing
  }
  if (files.has(real)) return true;
  const st = statOf(real);
  if (!st || st.nlink < 2) return false;
  for (const f of files) {
    const s = statOf(f);
    if (s && s.ino === st.ino && s.dev === st.dev) return true;
  }
  return false;
}

/**
 * Does a shell command name a secret file or the folder that holds them? A command can read any file the user
 * can, so one that names them (`cat ~/.blockrun/.session`, `cd ~/.blockrun`) is refused outright; output that
 * still carries a key by another route is redacted.
 */
export function mentionsSecretFile(command: string): string | undefined {
  for (const f of files) {
    const dir = f.slice(0, f.lastIndexOf("/"));
    for (const word of [f, dir]) if (command.includes(word)) return word;
    // By name too, for names no ordinary file has (`.session`, `.blockrun`, `wallet.key`), wherever the command is.
    for (const name of [f.slice(f.lastIndexOf("/") + 1), dir.slice(dir.lastIndexOf("/") + 1)]) {
      if (!name.startsWith(".") && !name.endsWith(".key")) continue;
      const at = new RegExp(`(^|[\\s/'"=~:(<>|;&*?])${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}($|[\\s/'"*?);&|<>])`).exec(command);
      if (at) return name;
    }
  }
  return undefined;
}

/** The registered secret files under `dir` (for searches that must skip them). */
export function secretFilesUnder(dir: string): string[] {
  const d = dir.endsWith("/") ? dir : `${dir}/`;
  return [...files].filter((f) => f.startsWith(d));
}

function statOf(p: string) {
  try {
    return statSync(p);
  } catch {
    return undefined;
  }
}

/** For tests: forget everything registered. */
export function resetSecrets() {
  needles.clear();
  names.clear();
  files.clear();
}
