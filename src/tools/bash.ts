// Bash: runs a command with live output. Each line reaches `emit` as soon as the child writes it (no polling); the
// model gets a head+tail capped copy. The child runs in its own process group so a timeout or Ctrl-C kills
// everything it started: SIGTERM first, SIGKILL after a grace period for commands that ignore SIGTERM.
import { readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HeadTail } from "./truncate";
import { fail, type CallContext, type Tool } from "./types";

type Input = { command: string; timeout?: number; description?: string };

export const Bash: Tool<Input> = {
  name: "Bash",
  description: `Run a shell command (bash) in the project and return its output (stdout and stderr interleaved) and exit code.
- The working directory persists between calls: \`cd sub\` affects later commands.
- timeout is in milliseconds (default 30000); long builds may ask for more, up to the configured maximum. On timeout the command and everything it started are killed.
- Output beyond 32 KB is cut in the middle; pipe through head/tail/grep to keep it focused.
- Do not start interactive programs (editors, pagers, REPLs): stdin is closed.
- Prefer Read, Grep and Glob over cat, grep and find.
- description: a few words saying what the command does (shown to the user).`,
  input_schema: {
    type: "object",
    properties: {
      command: { type: "string", description: "the command line to run" },
      timeout: { type: "integer", minimum: 1, description: "milliseconds before the command is killed (default 30000)" },
      description: { type: "string", description: "5-10 words on what the command does" },
    },
    required: ["command"],
  },
  mutating: true,
  shell: true,
  subject: (i) => ({ texts: [i.command.trim()] }),
  run: (input, ctx) => runBash(input, ctx),
};

const shell = () => Bun.which("bash") ?? "/bin/sh";

export async function runBash(input: Input, ctx: CallContext, stdin?: string): Promise<{ output: string; error?: boolean }> {
  if (!input.command.trim()) return fail("command is empty");
  const max = ctx.limits.bashTimeoutMaxMs;
  const timeout = Math.min(input.timeout ?? ctx.limits.bashTimeoutMs, max);
  const cwdFile = join(tmpdir(), `runcode-cwd-${process.pid}-${Bun.hash(ctx.call + Math.random())}`);
  // The EXIT trap records where the command left the shell, so `cd` persists into the next call.
  const script = `trap 'pwd -P > "${cwdFile}" 2>/dev/null' EXIT\n${input.command}`;
  // Inside a sandbox the cwd file is the one path it may write beyond its mode (it must exist to be bound).
  if (ctx.sandbox) await Bun.write(cwdFile, "");
  const argv = ctx.sandbox ? ctx.sandbox.wrap([shell(), "-c", script], { cwd: ctx.cwd, writable: [cwdFile] }) : [shell(), "-c", script];
  const proc = Bun.spawn(argv, {
    cwd: ctx.cwd,
    env: { ...ctx.env, RUNCODE: "1", PAGER: "cat", GIT_PAGER: "cat" },
    detached: true,
    stdin: stdin === undefined ? "ignore" : new Blob([stdin]),
    stdout: "pipe",
    stderr: "pipe",
  });
  const group = (sig: NodeJS.Signals) => {
    try {
      process.kill(-proc.pid, sig);
    } catch {
      // the group is already gone
    }
  };
  let killedFor: "timeout" | "abort" | undefined;
  let hard: ReturnType<typeof setTimeout> | undefined;
  const stop = (why: "timeout" | "abort") => {
    if (killedFor) return;
    killedFor = why;
    group("SIGTERM");
    hard = setTimeout(() => group("SIGKILL"), ctx.limits.killGraceMs);
  };
  const timer = setTimeout(() => stop("timeout"), timeout);
  const onAbort = () => stop("abort");
  ctx.signal.addEventListener("abort", onAbort, { once: true });
  if (ctx.signal.aborted) onAbort();

  const kept = new HeadTail(ctx.limits.outputCap);
  const pumps = Promise.all([pump(proc.stdout, "stdout", kept, ctx), pump(proc.stderr, "stderr", kept, ctx)]);
  const code = await proc.exited;
  // Background children may keep the pipes open after the shell exits; give them a moment, then end the group.
  const drained = await Promise.race([pumps.then(() => true), Bun.sleep(300).then(() => false)]);
  if (!drained) {
    group("SIGKILL");
    await Promise.race([pumps, Bun.sleep(1000)]);
  }
  clearTimeout(timer);
  clearTimeout(hard);
  ctx.signal.removeEventListener("abort", onAbort);
  try {
    const dir = readFileSync(cwdFile, "utf8").trim();
    if (dir) ctx.setCwd(dir);
  } catch {
    // killed before the trap ran: the directory stays as it was
  } finally {
    rmSync(cwdFile, { force: true });
  }
  let out = kept.total ? kept.text() : "(no output)";
  if (input.timeout && input.timeout > max) out = `[timeout lowered to the maximum of ${max} ms]\n${out}`;
  if (killedFor === "timeout") return fail(`${out}\n[timed out after ${timeout} ms; the command and its children were killed]`);
  if (killedFor === "abort") return fail(`${out}\n[interrupted by the user]`);
  if (code !== 0) return fail(`${out}\n[exit code ${code ?? proc.signalCode}]`);
  return { output: out };
}

/** Forward complete lines as they arrive; a partial line waits for its newline (or the end, or 8 KB). */
async function pump(stream: ReadableStream<Uint8Array>, name: "stdout" | "stderr", kept: HeadTail, ctx: CallContext) {
  const dec = new TextDecoder();
  let partial = "";
  const send = async (text: string) => {
    kept.push(text);
    const r = ctx.emit(name, text.endsWith("\n") ? text.slice(0, -1) : text);
    if (r) await r;
  };
  try {
    for await (const chunk of stream) {
      const s = partial + dec.decode(chunk, { stream: true });
      const nl = s.lastIndexOf("\n");
      if (nl < 0 && s.length < 8192) {
        partial = s;
        continue;
      }
      const cut = nl < 0 ? s.length : nl + 1;
      partial = s.slice(cut);
      await send(s.slice(0, cut));
    }
  } catch {
    // the pipe was torn down by a kill
  }
  const rest = partial + dec.decode();
  if (rest) await send(rest);
}
