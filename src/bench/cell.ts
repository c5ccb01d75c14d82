// One cell of a bench run: one model on one task, in a fresh temp copy of the task's files, through the same agent
// as `runcode edit` (the run assembly, agent/workspace.ts) with Write/Edit and Bash allowed inside the copy only
// (the permission policy's project boundary: nothing outside it is written without a question, and no question is
// asked here, so it is denied), the user's MCP servers, custom tools and permission rules left out, a time limit and
// a turn limit. Then the task's hidden check runs in the copy; its exit code is the verdict.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { RunEnv } from "../agent/env";
import { Workspace } from "../agent/workspace";
import type { Task } from "./format";
import type { Cell } from "./store";

export type CellInput = {
  run: RunEnv;
  task: Task;
  model: string;
  rep: number;
  maxTurns: number;
  maxTokens: number;
  /** The session every cell's payments count under: `--max-usd` is `max-usd-per-session` over it. */
  paymentSession: string;
  /** Where the cells' scratch lives (the bun shim, Go's caches, empty stand-ins for the user's config files). */
  scratch: string;
  signal: AbortSignal;
};

/** Writes `files` under `dir` (paths are the task's own, relative; nothing escapes `dir`). */
export function writeTree(dir: string, files: Record<string, string>) {
  for (const [rel, content] of Object.entries(files)) {
    const path = join(dir, rel);
    if (!path.startsWith(`${dir}/`)) continue;
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
    if (rel.endsWith(".sh")) chmodSync(path, 0o755);
  }
}

export async function runCell(o: CellInput): Promise<Cell> {
  const { task } = o;
  const base = { model: o.model, task: task.id, rep: o.rep };
  const dir = mkdtempSync(join(tmpdir(), `runcode-bench-${task.id}-`));
  const t0 = performance.now();
  const limit = AbortSignal.any([o.signal, AbortSignal.timeout(task.timeoutSeconds * 1000)]);
  let result:
    | { ok: boolean; usd: number; input: number; output: number; turns: number; model: string; error?: string; code?: string }
    | undefined;
  let ws: Workspace | undefined;
  try {
    writeTree(dir, task.files);
    const none = join(o.scratch, "none");
    ws = await Workspace.open({
      run: {
        ...o.run,
        cwd: dir,
        paths: {
          ...o.run.paths,
          mcp: join(none, "mcp.json"),
          tools: join(none, "tools"),
          permissions: join(none, "permissions.json"),
          commands: join(none, "commands"),
        },
      },
      kind: "edit",
      mode: "default",
      allow: ["Bash"],
      interactive: false,
      warn: () => {},
      model: o.model,
      maxTokens: o.maxTokens,
      maxTurns: o.maxTurns,
      save: false,
      paymentSession: o.paymentSession,
    });
    for await (const e of ws.turn({ text: task.instruction, signal: limit }))
      if (e.type === "result")
        result = {
          ok: e.ok,
          usd: ws.totals.usd,
          input: e.usage.input,
          output: e.usage.output,
          turns: e.turns,
          model: e.model,
          error: e.error?.message,
          code: e.error?.code,
        };
  } catch (err) {
    result = {
      ok: false,
      usd: ws?.totals.usd ?? 0,
      input: 0,
      output: 0,
      turns: 0,
      model: o.model,
      error: err instanceof Error ? err.message : String(err),
      code: "error",
    };
  } finally {
    await ws?.close().catch(() => {});
  }
  const ms = performance.now() - t0;
  const spent = {
    answeredBy: result?.model ?? null,
    usd: result?.usd ?? 0,
    input: result?.input ?? 0,
    output: result?.output ?? 0,
    turns: result?.turns ?? 0,
    ms,
  };
  try {
    if (o.signal.aborted) return { ...base, ...spent, status: "error", note: "interrupted" };
    if (limit.aborted) return { ...base, ...spent, status: "timeout", note: `no answer within ${task.timeoutSeconds} s` };
    const verdict = await check(task, dir, o.scratch, o.signal);
    if (verdict.ok) return { ...base, ...spent, status: "pass", note: null };
    // The agent itself failed (the gateway, a payment, a refused limit): an error, not a wrong answer. Running out
    // of turns is the model's doing: a fail.
    if (result && !result.ok && result.code !== "max_turns") return { ...base, ...spent, status: "error", note: result.error ?? "failed" };
    return { ...base, ...spent, status: "fail", note: verdict.note ?? null };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The hidden files copied over the agent's work, then the check command; exit 0 = solved. */
async function check(task: Task, dir: string, scratch: string, signal: AbortSignal): Promise<{ ok: boolean; note?: string }> {
  writeTree(dir, task.hidden);
  const env: Record<string, string> = {
    PATH: `${bunShim(scratch)}:${process.env.PATH ?? "/usr/bin:/bin"}`,
    HOME: dir,
    TMPDIR: process.env.TMPDIR ?? tmpdir(),
    LANG: "C.UTF-8",
    GOCACHE: join(scratch, "go-cache"),
    GOPATH: join(scratch, "go"),
    GOFLAGS: "-mod=mod",
    GOTOOLCHAIN: "local",
    GOPROXY: "off",
    NO_COLOR: "1",
  };
  const proc = Bun.spawn(["bash", "-c", task.check], { cwd: dir, env, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  const timer = setTimeout(() => proc.kill("SIGKILL"), task.timeoutSeconds * 1000);
  const stop = () => proc.kill("SIGKILL");
  signal.addEventListener("abort", stop);
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  clearTimeout(timer);
  signal.removeEventListener("abort", stop);
  if (code === 0) return { ok: true };
  const tail = `${out}\n${err}`.trim().split("\n").slice(-3).join(" | ").slice(0, 300);
  return {
    ok: false,
    note: proc.signalCode ? `the check was stopped (${proc.signalCode})` : `check exited ${code}${tail ? `: ${tail}` : ""}`,
  };
}

/**
 * A folder with `bun` in it for the checks (TypeScript tasks run `bun test`): Bun itself when runcode runs from
 * source, else the runcode binary, which is Bun inside and acts as it with BUN_BE_BUN=1.
 */
function bunShim(scratch: string): string {
  const dir = join(scratch, "bin");
  const bun = join(dir, "bun");
  try {
    mkdirSync(dir, { recursive: true });
    if (import.meta.path.startsWith("/$bunfs/") || !/bun(\.exe)?$/.test(process.execPath))
      writeFileSync(bun, `#!/bin/sh\nBUN_BE_BUN=1 exec "${process.execPath}" "$@"\n`, { mode: 0o755 });
    else symlinkSync(process.execPath, bun);
  } catch {
    // made by an earlier cell
  }
  return dir;
}
