// Claude Code-shaped hooks through the real CLI (the compiled binary in CI) against the fake gateway: what a hook
// blocks does not happen and the model reads why, what a hook says reaches the model where Claude Code puts it, the
// event a hook reads on stdin, timeouts that kill the hook's children, and which settings files count (trust, the
// .claude opt-in). Every JSONL line is checked against docs/jsonl.schema.json.
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type FakeGateway, type Reply, startFakeGateway } from "../fake-gateway";
import { alive, jsonLines, runCli, tempDir, waitFor } from "../helpers";
import { assertEvents } from "../schema";
import { walletEnv } from "../wallet";

const gateways: FakeGateway[] = [];
afterAll(async () => {
  for (const g of gateways) await g.stop();
});

type Dirs = { home: string; proj: string; out: string };
const dirs = (): Dirs => {
  const proj = realpathSync(tempDir("runcode-hooks-proj-"));
  mkdirSync(join(proj, ".git"));
  return { home: tempDir("runcode-hooks-home-"), proj, out: realpathSync(tempDir("runcode-hooks-out-")) };
};

type Hook = { command: string; timeout?: number };
type Table = Record<string, Array<{ matcher?: string; hooks: Hook[] }>>;
const cmd = (command: string, timeout?: number) => ({ type: "command", command, ...(timeout ? { timeout } : {}) });
const json = (file: string, v: unknown) => {
  mkdirSync(join(file, ".."), { recursive: true });
  writeFileSync(file, JSON.stringify(v));
};
/** Hooks in the user's settings (~/.blockrun/settings.json): no trust needed. */
const userHooks = (d: Dirs, hooks: Table) =>
  json(join(d.home, "settings.json"), { hooks: Object.fromEntries(Object.entries(hooks).map(([e, gs]) => [e, gs.map(group)])) });
const group = (g: { matcher?: string; hooks: Hook[] }) => ({ ...g, hooks: g.hooks.map((h) => cmd(h.command, h.timeout)) });

/** `runcode ask --jsonl` (or, with `text`, as a person sees it: the answer on stdout, the rest on stderr). */
async function ask(d: Dirs, flags: string[], script: Reply[], o: { env?: Record<string, string>; text?: boolean } = {}) {
  const gw = await startFakeGateway({ script });
  gateways.push(gw);
  const r = await runCli(["ask", ...(o.text ? [] : ["--jsonl"]), ...flags], {
    cwd: d.proj,
    home: d.home,
    env: { RUNCODE_API_URL: gw.url, ...o.env },
    timeoutMs: 30_000,
  });
  const events = o.text ? [] : jsonLines(r.stdout);
  assertEvents(events);
  return { ...r, gw, events, hooks: events.filter((e) => e.type === "hook.finished") };
}

const bash = (command: string) => ({ name: "Bash", input: { command } });
/** What the model received last in request `n` (tool results included), as text. */
const sent = (gw: FakeGateway, n: number) => JSON.stringify(gw.calls()[n]?.body.messages.at(-1) ?? null);

describe("PreToolUse", () => {
  test("exit 2 blocks `rm`: the command does not run and the model reads the hook's stderr", async () => {
    const d = dirs();
    writeFileSync(join(d.proj, "keep.txt"), "x");
    const guard = `input=$(cat); case "$input" in *'"command":"rm '*) echo "no rm here: use git clean -n first" >&2; exit 2;; esac`;
    userHooks(d, { PreToolUse: [{ matcher: "Bash", hooks: [{ command: guard }] }] });
    const r = await ask(d, ["--allow", "Bash", "tidy up"], [{ tools: [bash("rm -f keep.txt"), bash("touch made.txt")] }, { text: "ok" }]);
    expect(r.code).toBe(0);
    expect(existsSync(join(d.proj, "keep.txt"))).toBe(true);
    expect(existsSync(join(d.proj, "made.txt"))).toBe(true); // the hook blocks rm, not Bash
    expect(sent(r.gw, 1)).toContain("no rm here: use git clean -n first");
    expect(r.events.find((e) => e.type === "tool.denied")?.reason).toBe("blocked by a PreToolUse hook: no rm here: use git clean -n first");
    expect(r.hooks.map((h) => [h.event, h.exit, h.blocked])).toEqual(
      expect.arrayContaining([
        ["PreToolUse", 2, true],
        ["PreToolUse", 0, false],
      ]),
    );
    // On a pipe the blocking hook is one line on stderr; the one that let `touch` through is not shown.
    rmSync(join(d.proj, "made.txt"));
    const t = await ask(d, ["--allow", "Bash", "tidy up"], [{ tools: [bash("rm -f keep.txt"), bash("touch made.txt")] }, { text: "ok" }], {
      text: true,
    });
    expect(t.stderr.match(/hook PreToolUse/g)).toEqual(["hook PreToolUse"]);
    expect(t.stderr).toContain(`hook PreToolUse ${guard.slice(0, 60)}: blocked (`);
    expect(t.stderr).toContain("no rm here: use git clean -n first");
  });

  test('JSON permissionDecision "deny" refuses an allowed call, with its reason for the model', async () => {
    const d = dirs();
    const deny = {
      hookSpecificOutput: { hookEventName: "PreToolUse", permissionDecision: "deny", permissionDecisionReason: "writes are frozen" },
    };
    userHooks(d, { PreToolUse: [{ matcher: "Edit|Write", hooks: [{ command: `echo '${JSON.stringify(deny)}'` }] }] });
    const write = { name: "Write", input: { file_path: "new.txt", content: "x" } };
    const r = await ask(d, ["--allow", "Write", "write it"], [{ tools: [write] }, { text: "ok" }]);
    expect(existsSync(join(d.proj, "new.txt"))).toBe(false);
    expect(sent(r.gw, 1)).toContain("writes are frozen");
    expect(r.hooks[0]).toMatchObject({ event: "PreToolUse", exit: 0, blocked: true, message: "writes are frozen" });
  });

  test('"allow" cannot grant what a run that cannot ask would deny; "ask" in such a run denies', async () => {
    const d = dirs();
    const answer = (decision: string) =>
      `echo '${JSON.stringify({ hookSpecificOutput: { hookEventName: "PreToolUse", permissionDecision: decision } })}'`;
    userHooks(d, {
      PreToolUse: [
        { matcher: "Bash", hooks: [{ command: answer("allow") }] },
        { matcher: "Write", hooks: [{ command: answer("ask") }] },
      ],
    });
    const write = { name: "Write", input: { file_path: "new.txt", content: "x" } };
    const r = await ask(d, ["--allow", "Write", "go"], [{ tools: [bash("touch made.txt"), write] }, { text: "ok" }]);
    expect(existsSync(join(d.proj, "made.txt"))).toBe(false);
    expect(existsSync(join(d.proj, "new.txt"))).toBe(false);
    const denied = r.events.filter((e) => e.type === "tool.denied").map((e) => e.reason);
    expect(denied).toEqual([
      expect.stringContaining("cannot ask"),
      "a PreToolUse hook asks for approval, and this run cannot ask (non-interactive)",
    ]);
  });
});

test("PostToolUse: a lint hook on Edit|Write runs after the write, and the model reads what it said", async () => {
  const d = dirs();
  const lint = `f=$(cat | sed -n 's/.*"file_path":"\\([^"]*\\)".*/\\1/p'); echo "lint: $f: missing semicolon on line 1" >&2; exit 2`;
  const style = `echo '{"decision":"block","reason":"style: use two spaces"}'`;
  userHooks(d, { PostToolUse: [{ matcher: "Edit|Write|MultiEdit", hooks: [{ command: lint }, { command: style }] }] });
  const write = { name: "Write", input: { file_path: "a.ts", content: "let x = 1" } };
  const r = await ask(d, ["--allow", "Write", "write a.ts"], [{ tools: [write] }, { text: "fixed" }]);
  expect(r.code).toBe(0);
  expect(readFileSync(join(d.proj, "a.ts"), "utf8")).toBe("let x = 1");
  const result = sent(r.gw, 1);
  expect(result).toContain("lint: a.ts: missing semicolon on line 1");
  expect(result).toContain("style: use two spaces");
  expect(r.events.find((e) => e.type === "tool.completed")?.output).toContain("[PostToolUse hook]");
  expect(r.hooks.every((h) => h.event === "PostToolUse" && h.blocked)).toBe(true);
  expect(r.hooks.length).toBe(2);
});

test("Stop: exit 2 makes the agent go on once with the reason; with stop_hook_active it lets it stop", async () => {
  const d = dirs();
  const stop = `input=$(cat); case "$input" in *'"stop_hook_active":true'*) exit 0;; esac; echo "the tests were not run: run them" >&2; exit 2`;
  userHooks(d, { Stop: [{ hooks: [{ command: stop }] }] });
  const r = await ask(d, ["fix it"], [{ text: "Done." }, { text: " Ran the tests: all pass." }, { text: "never sent" }]);
  expect(r.code).toBe(0);
  expect(r.gw.calls().length).toBe(2);
  expect(sent(r.gw, 1)).toContain("the tests were not run: run them");
  expect(r.hooks.map((h) => [h.event, h.exit, h.blocked])).toEqual([
    ["Stop", 2, true],
    ["Stop", 0, false],
  ]);
  expect(r.events.at(-1)).toMatchObject({ type: "result", ok: true, turns: 2 });
});

test("UserPromptSubmit: exit 2 blocks the message before anything is sent (exit 1, the reason on stderr)", async () => {
  const d = dirs();
  userHooks(d, { UserPromptSubmit: [{ hooks: [{ command: `echo "no ticket number in the message" >&2; exit 2` }] }] });
  const r = await ask(d, ["deploy it"], [{ text: "never" }]);
  expect(r.code).toBe(1);
  expect(r.gw.calls().length).toBe(0);
  expect(r.stderr).toContain("a UserPromptSubmit hook blocked this message: no ticket number in the message");
  expect(r.events.at(-1)).toMatchObject({ type: "result", ok: false, error: { code: "hook_blocked" } });
  expect(r.hooks[0]).toMatchObject({ event: "UserPromptSubmit", exit: 2, blocked: true });
});

test("SessionStart stdout and UserPromptSubmit additionalContext reach the model", async () => {
  const d = dirs();
  const extra = { hookSpecificOutput: { hookEventName: "UserPromptSubmit", additionalContext: "ticket ABC-123 is open" } };
  userHooks(d, {
    SessionStart: [{ matcher: "startup", hooks: [{ command: "echo 'The deploy branch is release-7.'" }] }],
    UserPromptSubmit: [{ hooks: [{ command: `echo '${JSON.stringify(extra)}'` }] }],
  });
  const r = await ask(d, ["what branch?"], [{ text: "release-7" }]);
  expect(r.code).toBe(0);
  const body = JSON.stringify(r.gw.calls()[0]!.body);
  expect(body).toContain("The deploy branch is release-7.");
  expect(sent(r.gw, 0)).toContain("ticket ABC-123 is open");
  expect(sent(r.gw, 0)).toContain("what branch?");
  expect(r.hooks.map((h) => h.event)).toEqual(["SessionStart", "UserPromptSubmit"]);
});

test("the JSON event on stdin and the environment a hook gets (project dir, no runcode secrets)", async () => {
  const d = dirs();
  const save = (name: string) => `cat > "${d.out}/${name}.json"`;
  userHooks(d, {
    PreToolUse: [{ matcher: "*", hooks: [{ command: `${save("pre")}; env > "${d.out}/env.txt"` }] }],
    PostToolUse: [{ matcher: "", hooks: [{ command: save("post") }] }],
    UserPromptSubmit: [{ hooks: [{ command: save("prompt") }] }],
    Stop: [{ hooks: [{ command: save("stop") }] }],
    SessionStart: [{ hooks: [{ command: save("start") }] }],
    SessionEnd: [{ hooks: [{ command: save("end") }] }],
  });
  const r = await ask(d, ["--allow", "Bash", "say hi"], [{ tools: [bash("echo hi-from-bash")] }, { text: "said hi" }], {
    env: walletEnv(),
  });
  expect(r.code).toBe(0);
  const read = (name: string) => JSON.parse(readFileSync(join(d.out, `${name}.json`), "utf8"));
  const session = r.events[0].session;
  const base = { session_id: session, transcript_path: "", cwd: d.proj, permission_mode: "default" };
  expect(read("start")).toEqual({ ...base, hook_event_name: "SessionStart", source: "startup" });
  expect(read("prompt")).toEqual({ ...base, hook_event_name: "UserPromptSubmit", prompt: "say hi" });
  const call = r.events.find((e) => e.type === "tool.started").call;
  expect(read("pre")).toEqual({
    ...base,
    hook_event_name: "PreToolUse",
    tool_name: "Bash",
    tool_input: { command: "echo hi-from-bash" },
    tool_use_id: call,
  });
  const post = read("post");
  expect(post).toMatchObject({
    ...base,
    hook_event_name: "PostToolUse",
    tool_name: "Bash",
    tool_use_id: call,
    tool_response: { success: true },
  });
  expect(post.tool_response.output).toContain("hi-from-bash");
  expect(read("stop")).toEqual({ ...base, hook_event_name: "Stop", stop_hook_active: false, last_assistant_message: "said hi" });
  expect(read("end")).toEqual({ ...base, hook_event_name: "SessionEnd", reason: "other" });
  const env = readFileSync(join(d.out, "env.txt"), "utf8");
  expect(env).toContain(`CLAUDE_PROJECT_DIR=${d.proj}\n`);
  expect(env).toContain(`RUNCODE_PROJECT_DIR=${d.proj}\n`);
  expect(env).not.toContain("BLOCKRUN_WALLET_KEY");
  expect(env).not.toContain(walletEnv().BLOCKRUN_WALLET_KEY.replace(/^0x/, ""));
});

test("a hook that hangs is killed at its timeout with everything it started; the run goes on", async () => {
  const d = dirs();
  const pidFile = join(d.out, "child.pid");
  userHooks(d, { UserPromptSubmit: [{ hooks: [{ command: `sleep 300 & echo $! > "${pidFile}"; wait`, timeout: 1 }] }] });
  const t0 = performance.now();
  const r = await ask(d, ["hello"], [{ text: "hi" }]);
  expect(performance.now() - t0).toBeLessThan(15_000);
  expect(r.code).toBe(0);
  expect(r.gw.calls().length).toBe(1);
  expect(r.hooks[0]).toMatchObject({ event: "UserPromptSubmit", exit: null, timedOut: true, blocked: false });
  const pid = Number(readFileSync(pidFile, "utf8"));
  await waitFor(() => !alive(pid), { what: `the hook's child ${pid} to be killed` });
  // A person sees the failed hook on stderr, also in a pipe.
  const t = await ask(d, ["hello"], [{ text: "hi" }], { text: true });
  expect(t.stdout).toBe("hi\n");
  expect(t.stderr).toMatch(
    /^hook UserPromptSubmit sleep 300 .*: timed out \(\d+ ms\) · timed out after 1 s; the hook and its children were killed$/m,
  );
});

describe("where hooks come from", () => {
  const marker = (d: Dirs) => `touch "${d.out}/ran"`;
  const ran = (d: Dirs) => existsSync(join(d.out, "ran"));
  const projectHooks = (d: Dirs, file: string, extra: Record<string, unknown> = {}) =>
    json(join(d.proj, file), { ...extra, hooks: { UserPromptSubmit: [{ hooks: [cmd(marker(d))] }] } });

  test("an untrusted project's hooks are not run, and the run says so once with the fix; trusted, they run", async () => {
    const d = dirs();
    projectHooks(d, ".runcode/settings.json");
    const r = await ask(d, ["hello"], [{ text: "hi" }]);
    expect(r.code).toBe(0);
    expect(ran(d)).toBe(false);
    expect(r.hooks).toEqual([]);
    const warned = r.events.filter((e) => e.type === "warning" && e.code === "hooks_untrusted");
    expect(warned.length).toBe(1);
    expect(warned[0].message).toContain(".runcode/settings.json were not run: this project is not trusted (rerun with --trust");
    expect(warned[0].message).toContain(join(d.home, "trusted-projects.json"));
    const text = await ask(d, ["hello"], [{ text: "hi" }], { text: true });
    expect(text.stderr.match(/warning: .*not trusted/g)?.length).toBe(1);
    expect(ran(d)).toBe(false);

    writeFileSync(join(d.home, "trusted-projects.json"), JSON.stringify([d.proj]));
    const t = await ask(d, ["hello"], [{ text: "hi" }]);
    expect(ran(d)).toBe(true);
    expect(t.events.some((e) => e.type === "warning" && e.code === "hooks_untrusted")).toBe(false);
    expect(t.hooks.length).toBe(1);
  });

  test(".claude/settings.json hooks run only when the project opts in with claudeHooks", async () => {
    const d = dirs();
    writeFileSync(join(d.home, "trusted-projects.json"), JSON.stringify([d.proj]));
    projectHooks(d, ".claude/settings.json");
    const off = await ask(d, ["hello"], [{ text: "hi" }]);
    expect(off.code).toBe(0);
    expect(ran(d)).toBe(false);
    expect(off.hooks).toEqual([]);

    json(join(d.proj, ".runcode/settings.local.json"), { claudeHooks: true });
    const on = await ask(d, ["hello"], [{ text: "hi" }]);
    expect(on.code).toBe(0);
    expect(ran(d)).toBe(true);
    expect(on.hooks.length).toBe(1);
  });

  test("no settings files: no hook events", async () => {
    const d = dirs();
    const r = await ask(d, ["hello"], [{ text: "hi" }]);
    expect(r.code).toBe(0);
    expect(r.hooks).toEqual([]);
    expect(r.events.some((e) => e.type === "warning")).toBe(false);
  });
});

test("the REPL: SessionStart startup/clear, PreCompact manual with /compact's instructions, SessionEnd clear and exit", async () => {
  const d = dirs();
  // Each hook appends the event it read, one per line.
  const log = (name: string) => ({ command: `cat >> "${d.out}/${name}.jsonl"; echo >> "${d.out}/${name}.jsonl"` });
  userHooks(d, {
    SessionStart: [{ matcher: "startup|clear", hooks: [log("start")] }],
    SessionEnd: [{ hooks: [log("end")] }],
    PreCompact: [{ matcher: "manual", hooks: [log("compact")] }],
  });
  const gw = await startFakeGateway({ script: [{ text: "one" }, { text: "a summary" }, { text: "two" }] });
  gateways.push(gw);
  const r = await runCli([], {
    cwd: d.proj,
    home: d.home,
    stdin: "first\n/compact keep the API notes\n/clear\nsecond\n",
    env: { RUNCODE_API_URL: gw.url },
    timeoutMs: 30_000,
  });
  expect(r.code).toBe(0);
  const read = (name: string) => jsonLines(readFileSync(join(d.out, `${name}.jsonl`), "utf8"));
  const [first, second] = read("start");
  expect([first.source, second.source]).toEqual(["startup", "clear"]);
  expect(first.session_id).not.toBe(second.session_id);
  expect(read("compact")).toEqual([
    expect.objectContaining({ trigger: "manual", custom_instructions: "keep the API notes", session_id: first.session_id }),
  ]);
  expect(read("end").map((e) => [e.reason, e.session_id])).toEqual([
    ["clear", first.session_id],
    ["prompt_input_exit", second.session_id],
  ]);
});
