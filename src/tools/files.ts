// File access for tools. Real writes are atomic (temp file in the same directory + rename, original mode kept);
// `edit --dry-run` swaps in an overlay whose writes stay in memory while reads see them. Every write is recorded
// in the ChangeLog (before/after) so a run can show diffs and the REPL's /undo can revert.
import { readFileSync, rmSync, statSync } from "node:fs";
import { writeFileAtomic } from "../core/fs";
import { createTwoFilesPatch } from "diff";

export type FileStat = { mtimeMs: number; size: number; mode: number; dir: boolean };

export interface Files {
  read(path: string): Uint8Array | undefined;
  stat(path: string): FileStat | undefined;
  write(path: string, data: string | Uint8Array): void;
  remove(path: string): void;
}

function statOf(path: string): FileStat | undefined {
  try {
    const s = statSync(path);
    return { mtimeMs: s.mtimeMs, size: s.size, mode: s.mode, dir: s.isDirectory() };
  } catch {
    return undefined;
  }
}

export const diskFiles: Files = {
  read: (p) => {
    try {
      return readFileSync(p);
    } catch {
      return undefined;
    }
  },
  stat: statOf,
  write: (p, d) => writeFileAtomic(p, d),
  remove: (p) => rmSync(p, { force: true }),
};

/** Writes land in memory; reads see them first. Nothing touches disk. */
export function overlayFiles(base: Files = diskFiles): Files & { pending: Map<string, Uint8Array | null> } {
  const pending = new Map<string, Uint8Array | null>();
  let tick = Date.now();
  const mtimes = new Map<string, number>();
  return {
    pending,
    read: (p) => (pending.has(p) ? (pending.get(p) ?? undefined) : base.read(p)),
    stat: (p) => {
      if (!pending.has(p)) return base.stat(p);
      const v = pending.get(p);
      if (v === null || v === undefined) return undefined;
      return { mtimeMs: mtimes.get(p)!, size: v.length, mode: base.stat(p)?.mode ?? 0o100644, dir: false };
    },
    write: (p, d) => {
      pending.set(p, typeof d === "string" ? new TextEncoder().encode(d) : d);
      mtimes.set(p, ++tick);
    },
    remove: (p) => pending.set(p, null),
  };
}

/** One write. Binary files (ImageGen) are recorded as created with `after` naming their size; undo removes them. */
export type Change = {
  path: string;
  before: string | null;
  after: string | null;
  tool: string;
  call: string;
  at: number;
  binary?: boolean;
};

/** Every change a run made, in order. `files()` folds them into one before/after per path. */
export class ChangeLog {
  readonly entries: Change[] = [];
  record(c: Omit<Change, "at">) {
    this.entries.push({ ...c, at: Date.now() });
  }
  /** Each file's content before its first change and after its last, from entry `since` on (what a message did). */
  files(since = 0): Array<{ path: string; before: string | null; after: string | null }> {
    const by = new Map<string, { path: string; before: string | null; after: string | null }>();
    for (const c of this.entries.slice(since)) {
      const f = by.get(c.path);
      if (f) f.after = c.after;
      else by.set(c.path, { path: c.path, before: c.before, after: c.after });
    }
    return [...by.values()].filter((f) => f.before !== f.after);
  }
  /** Unified diff per changed file (from entry `since` on), paths shown relative to `root`. */
  diffs(root: string, since = 0): Array<{ path: string; diff: string; added: number; removed: number }> {
    return this.files(since).map((f) => {
      const rel = f.path.startsWith(`${root}/`) ? f.path.slice(root.length + 1) : f.path;
      // jsdiff starts with a "====" separator line; drop it so the output reads like `git diff` / `diff -u`.
      const diff = createTwoFilesPatch(
        f.before === null ? "/dev/null" : `a/${rel}`,
        f.after === null ? "/dev/null" : `b/${rel}`,
        f.before ?? "",
        f.after ?? "",
        "",
        "",
        { context: 3 },
      ).replace(/^=+\n/, "");
      const lines = diff.split("\n").slice(2);
      return {
        path: rel,
        diff,
        added: lines.filter((l) => l.startsWith("+") && !l.startsWith("+++")).length,
        removed: lines.filter((l) => l.startsWith("-") && !l.startsWith("---")).length,
      };
    });
  }
  /**
   * Revert the changes after index `since` (newest first) through `files`. A file edited by someone else since
   * is left alone and reported, never clobbered.
   */
  undo(files: Files, since = 0): { reverted: string[]; skipped: string[] } {
    const reverted: string[] = [];
    const skipped: string[] = [];
    const undone = this.entries.splice(since);
    for (const c of undone.reverse()) {
      const now = files.read(c.path);
      const current = now === undefined ? null : c.binary ? c.after : new TextDecoder().decode(now);
      if (current !== c.after) {
        skipped.push(c.path);
        continue;
      }
      if (c.before === null) files.remove(c.path);
      else files.write(c.path, c.before);
      reverted.push(c.path);
    }
    return { reverted, skipped };
  }
}

/** What the model has read, so Edit/Write can refuse to change a file that moved on since (stale-read check). */
export class ReadTracker {
  private seen = new Map<string, { mtimeMs: number; hash: string }>();
  note(path: string, files: Files) {
    const data = files.read(path);
    const st = files.stat(path);
    if (data && st) this.seen.set(path, { mtimeMs: st.mtimeMs, hash: String(Bun.hash(data)) });
  }
  /** undefined when the file may be changed; otherwise a message for the model. */
  check(path: string, files: Files): string | undefined {
    const st = files.stat(path);
    if (!st) return undefined;
    const r = this.seen.get(path);
    if (!r) return `read ${path} with the Read tool before changing it`;
    if (st.mtimeMs === r.mtimeMs) return undefined;
    const data = files.read(path);
    if (data && String(Bun.hash(data)) === r.hash) return undefined;
    return `${path} changed on disk since you read it; Read it again, then retry the change`;
  }
}
