// A ToolContext for unit tests: a temp project, real files (or an overlay), captured live output.
import { realpathSync } from "node:fs";
import { ChangeLog, diskFiles, ReadTracker, type Files } from "../../src/tools/files";
import type { CallContext, ToolContext } from "../../src/tools/types";
import { tempDir } from "../helpers";

export type TestCtx = CallContext & { out: Array<{ stream: string; text: string; at: number }> };

export function testCtx(o: Partial<ToolContext> & { root?: string; files?: Files; signal?: AbortSignal } = {}): TestCtx {
  const root = realpathSync(o.root ?? tempDir("runcode-tools-"));
  const out: TestCtx["out"] = [];
  const ctx: TestCtx = {
    root,
    cwd: root,
    setCwd: (d) => {
      ctx.cwd = d;
    },
    files: diskFiles,
    reads: new ReadTracker(),
    changes: new ChangeLog(),
    todos: [],
    outside: () => false,
    limits: { bashTimeoutMs: 30_000, bashTimeoutMaxMs: 600_000, killGraceMs: 500, outputCap: 32 * 1024 },
    env: { PATH: process.env.PATH, HOME: root },
    home: root,
    signal: new AbortController().signal,
    call: "call_1",
    emit: (stream, text) => {
      out.push({ stream, text, at: performance.now() });
    },
    usage: () => {},
    out,
    ...o,
  } as TestCtx;
  return ctx;
}
