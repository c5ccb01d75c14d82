// The REPL in a real pseudo-terminal (tmux): the compiled binary when RUNCODE_TEST_BIN is set, else the source.
// This is issue 7's "done when" scenario: start, ask, approve a Bash call and watch its live output, approve an
// edit, /undo it, /model, /cost, Ctrl-C a running command, exit.
import { afterEach, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type FakeGateway, type Script, startFakeGateway } from "../fake-gateway";
import { cleanup, cliCommand, cliEnv, tempDir, waitFor } from "../helpers";
import { walletEnv } from "../wallet";

// tmux provides the real pseudo-terminal; these tests never skip (`npm test` installs it first: scripts/test-deps.ts).
test("tmux is installed, so the REPL is tested in a real pty", () => {
  if (!Bun.which("tmux")) throw new Error("tmux is not on PATH: install it (apt-get install tmux) to run the REPL's pty tests");
});
const sock = `runcode-pty-${process.pid}`;
let gw: FakeGateway | undefined;
const dirs: string[] = [];

const tmux = (...args: string[]) => Bun.spawnSync(["tmux", "-L", sock, ...args], { stdout: "pipe", stderr: "pipe" });
const screen = () => tmux("capture-pane", "-p", "-J", "-t", "s", "-S", "-300").stdout.toString();
const keys = (...k: string[]) => tmux("send-keys", "-t", "s", ...k);
const alive = () => tmux("has-session", "-t", "s").exitCode === 0;

async function until(what: string | RegExp, ms = 15_000) {
  const t0 = Date.now();
  for (;;) {
    const s = screen();
    if (typeof what === "string" ? s.includes(what) : what.test(s)) return s;
    if (Date.now() - t0 > ms) throw new Error(`pty: timed out waiting for ${what}\n${s}`);
    await Bun.sleep(25);
  }
}

async function start(script: Script[], flags: string[] = [], extra: Record<string, string> = {}) {
  gw = await startFakeGateway({ script });
  const home = tempDir("runcode-pty-home-");
  const cwd = tempDir("runcode-pty-proj-");
  dirs.push(home, cwd);
  mkdirSync(join(cwd, ".git"));
  const env = cliEnv(home, { RUNCODE_API_URL: gw.url, TERM: "xterm-256color", NO_COLOR: undefined, RUNCODE_NO_RIPGREP: "1", ...extra });
  const q = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;
  const cmd = `cd ${q(cwd)} && exec env -i ${Object.entries(env)
    .map(([k, v]) => q(`${k}=${v}`))
    .join(" ")} ${[...cliCommand(), ...flags].map(q).join(" ")}`;
  expect(tmux("new-session", "-d", "-s", "s", "-x", "110", "-y", "50", cmd).exitCode).toBe(0);
  return { home, cwd };
}

afterEach(async () => {
  tmux("kill-server");
  await gw?.stop();
  gw = undefined;
  cleanup(...dirs.splice(0));
});

test("pty: ask, approve Bash with live output, approve an edit, /undo, /model, /cost, exit", async () => {
  // A wallet: /model sonnet switches to a paid model.
  const { cwd } = await start(
    [
      {
        text: "Running the build.",
        tools: [{ name: "Bash", input: { command: "echo tick-1; until [ -e tick.go ]; do sleep 0.05; done; echo tick-2; echo tick-3" } }],
      },
      { tools: [{ name: "Write", input: { file_path: "notes.txt", content: "from runcode\n" } }] },
      { text: "All **done**." },
      { text: "now on sonnet" },
    ],
    [],
    walletEnv(),
  );
  await until("session ses_");
  keys("build it", "Enter");
  await until("allow? [y]es [n]o [a]ll pending [!] always");
  expect(screen()).toContain("$ echo tick-1; until [ -e tick.go ]");
  keys("y");
  // live output: the first tick is on screen while the command still waits for tick.go, created only now
  const mid = await until("│ tick-1");
  expect(mid).not.toContain("│ tick-2");
  expect(mid).not.toContain("notes.txt");
  writeFileSync(join(cwd, "tick.go"), "");
  await until("│ tick-3");
  await until("notes.txt");
  expect(screen()).toContain("+from runcode");
  keys("y");
  await until(/All done\.\nchanged 1 file\(s\):\n  notes\.txt \+1 -0\n── /);
  expect(readFileSync(join(cwd, "notes.txt"), "utf8")).toBe("from runcode\n");
  keys("/undo", "Enter");
  await until("reverted notes.txt");
  expect(existsSync(join(cwd, "notes.txt"))).toBe(false);
  keys("/model sonnet", "Enter");
  await until("model anthropic/claude-sonnet-4.6");
  keys("hello", "Enter");
  await until("now on sonnet");
  expect(gw!.calls().at(-1)!.body.model).toBe("anthropic/claude-sonnet-4.6");
  keys("/cost", "Enter");
  await until(/session: \$0 \(free\) for 4 request\(s\)/);
  keys("/exit", "Enter");
  await waitFor(() => !alive(), { timeoutMs: 5000, what: "the REPL to exit (its tmux session to end)" });
});

test("pty: Ctrl-C stops a running command, the prompt comes back, two Ctrl-C exit", async () => {
  await start(
    [{ tools: [{ name: "Bash", input: { command: "echo begin; sleep 30; echo end-of-sleep" } }] }, { text: "next answer" }],
    ["--trust"],
  );
  await until("session ses_");
  keys("go", "Enter");
  await until("│ begin");
  keys("C-c");
  await until("interrupted");
  await until(/── .*\n› $/m);
  expect(screen()).not.toContain("│ end-of-sleep");
  keys("again", "Enter");
  await until("next answer");
  keys("C-c");
  await until("(Ctrl-C again to exit)");
  keys("C-c");
  await waitFor(() => !alive(), { timeoutMs: 5000, what: "the REPL to exit (its tmux session to end)" });
});

test("pty: bracketed paste stays one message; a trailing backslash continues; history persists", async () => {
  const { home } = await start([{ text: "got it" }, { text: "got two" }]);
  await until("session ses_");
  tmux("set-buffer", "line one\nline two");
  tmux("paste-buffer", "-p", "-t", "s");
  keys("Enter");
  await until("got it");
  keys("first \\", "Enter");
  keys("second", "Enter");
  await until("got two");
  const users = gw!.calls().map((c) => c.body.messages.at(-1).content);
  expect(users).toEqual(["line one\nline two", "first \nsecond"]);
  keys("C-d");
  await waitFor(() => !alive(), { timeoutMs: 5000, what: "the REPL to exit (its tmux session to end)" });
  expect(readFileSync(join(home, "repl-history"), "utf8")).toBe("line one\\nline two\nfirst \\nsecond\n");
});
