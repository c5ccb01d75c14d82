// The REPL through injected streams: streaming, queued input, permission prompts, Ctrl-C, /model, /undo, /resume.
import { afterEach, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { alive, waitFor } from "../helpers";
import { walletEnv } from "../wallet";
import { type Harness, harness, lastUser } from "./harness";

let h: Harness | undefined;
afterEach(async () => {
  h?.end();
  await h?.done;
  await h?.gw.stop();
  h = undefined;
});

test("pipe mode: the answer streams to stdout, notes and status to stderr, no prompt", async () => {
  h = await harness({ tty: false, script: [{ text: "Hello **there**.\n- one" }] });
  h.type("hi\n");
  h.end();
  expect(await h.done).toBe(0);
  expect(h.out()).toBe("Hello **there**.\n- one\n");
  expect(h.err()).toContain("── nvidia/qwen3-coder-480b");
  expect(h.err()).not.toContain("›");
});

test("tty: Markdown rendered, status line after the turn, prompt back", async () => {
  h = await harness({ script: [{ text: "# Title\nSome **bold** and `code`.\n```js\nconst a = 1;\n```\n" }] });
  h.type("hi\r");
  await h.waitFor("── nvidia/qwen3-coder-480b");
  const out = h.out();
  expect(out).toContain("Title\nSome bold and code.\n```js\n│ const a = 1;\n```");
  expect(out).toMatch(/── nvidia\/qwen3-coder-480b · 12 in \/ 7 out · ctx 0% · free so far\n[\s\S]*› $/);
});

test("messages typed while a turn runs are queued and run next, in order", async () => {
  h = await harness({ script: [{ text: "first answer", delayMs: 60 }, { text: "second answer" }, { text: "third answer" }] });
  h.type("one\r");
  await h.waitFor("one");
  h.type("two\r");
  h.type("three\r");
  await h.waitFor("third answer");
  expect(h.gw.calls().map((c) => lastUser(c.body))).toEqual(["one", "two", "three"]);
});

test("permission prompt: y runs the command with live output, n denies", async () => {
  h = await harness({
    script: [
      { tools: [{ name: "Bash", input: { command: "echo live-line" } }] },
      { tools: [{ name: "Bash", input: { command: "echo nope" } }] },
      { text: "done" },
    ],
  });
  h.type("run it\r");
  await h.waitFor("allow? [y]es [n]o [a]ll pending [!] always");
  expect(h.out()).toContain("$ echo live-line");
  h.type("y");
  await h.waitFor("│ live-line");
  await h.waitFor("$ echo nope");
  h.type("n");
  await h.waitFor("── ");
  expect(h.out()).toContain("Bash denied");
  const results = JSON.stringify(h.gw.calls()[2]!.body.messages);
  expect(results).not.toContain("nope\\n");
});

test("Ctrl-C mid-turn kills the running command and brings the prompt back", async () => {
  h = await harness({
    trust: true,
    script: [{ tools: [{ name: "Bash", input: { command: "echo $$ > cmd.pid; echo started; sleep 20; echo never" } }] }, { text: "after" }],
  });
  h.type("go\r");
  await h.waitFor("│ started");
  h.type("\x03");
  await h.waitFor("interrupted");
  await h.waitFor(/── [^\n]*\n› $/);
  // killed, not left to sleep its 20 s in the background
  const pid = Number(readFileSync(join(h.cwd, "cmd.pid"), "utf8"));
  await waitFor(() => !alive(pid), { timeoutMs: 5000, what: `the interrupted command (pid ${pid}) to be gone` });
  expect(h.out()).not.toContain("│ never");
  // the conversation goes on
  h.type("again\r");
  await h.waitFor("after");
});

test("/model switches mid-conversation; the next request uses it with the history", async () => {
  // Answers that cannot occur in a session id (base36 + hex), which the status line prints. A wallet: sonnet is paid.
  h = await harness({ env: walletEnv(), script: [{ text: "FIRST-ANSWER" }, { text: "SECOND-ANSWER" }] });
  h.type("first\r");
  await h.waitFor("FIRST-ANSWER");
  h.type("/model sonnet\r");
  await h.waitFor("model anthropic/claude-sonnet-4.6");
  h.type("second\r");
  await h.waitFor("SECOND-ANSWER");
  const [c1, c2] = h.gw.calls();
  expect(c1!.body.model).toBe("nvidia/qwen3-coder-480b");
  expect(c2!.body.model).toBe("anthropic/claude-sonnet-4.6");
  expect(c2!.body.messages.length).toBe(3);
});

test("/undo reverts runcode's edit but not the user's own file", async () => {
  h = await harness({
    trust: true,
    script: (() => [{ tools: [{ name: "Write", input: { file_path: "new.txt", content: "made by runcode\n" } }] }, { text: "written" }])(),
  });
  writeFileSync(join(h.cwd, "mine.txt"), "user file\n");
  h.type("write it\r");
  await h.waitFor("written");
  // The turn ends with its changed files, counted as ask/edit count them.
  await h.waitFor("changed 1 file(s):\n  new.txt +1 -0\n── ");
  expect(readFileSync(join(h.cwd, "new.txt"), "utf8")).toBe("made by runcode\n");
  h.type("/undo\r");
  await h.waitFor("reverted new.txt");
  expect(existsSync(join(h.cwd, "new.txt"))).toBe(false);
  expect(readFileSync(join(h.cwd, "mine.txt"), "utf8")).toBe("user file\n");
  h.type("/undo\r");
  await h.waitFor("has not changed any file");
});

test("/resume after a restart: the next request carries the earlier conversation", async () => {
  h = await harness({ script: [{ text: "remembered" }] });
  const { home, cwd } = h;
  h.type("my name is Ada\r");
  await h.waitFor("remembered");
  h.type("/exit\r");
  expect(await h.done).toBe(0);
  await h.gw.stop();
  h = await harness({ home, cwd, script: [{ text: "Ada" }] });
  h.type("/sessions\r");
  await h.waitFor("my name is Ada");
  // The new REPL's own conversation has no message yet, so it is not stored: the earlier one is the first listed.
  h.type("/resume 1\r");
  await h.waitFor("resumed");
  h.type("what is my name?\r");
  await h.waitFor("── ");
  const msgs = h.gw.calls()[0]!.body.messages;
  expect(JSON.stringify(msgs)).toContain("my name is Ada");
  expect(lastUser(h.gw.calls()[0]!.body)).toBe("what is my name?");
});

test("unknown commands suggest the nearest; Ctrl-D exits", async () => {
  h = await harness();
  h.type("/modle\r");
  await h.waitFor("unknown command /modle; did you mean /model");
  h.type("\x04");
  expect(await h.done).toBe(0);
});

test("permission prompt: a allows every call of the response, ! always allows the command", async () => {
  const bash = (command: string) => ({ name: "Bash", input: { command } });
  h = await harness({
    script: [
      { tools: [bash("echo a1"), bash("echo a2")] },
      { tools: [bash("echo same")] },
      { tools: [bash("echo same")] },
      { text: "done" },
    ],
  });
  h.type("go\r");
  await h.waitFor("allow?");
  h.type("a");
  await h.waitFor("│ a2");
  await h.waitFor("$ echo same");
  h.type("!");
  await h.waitFor("done");
  expect(h.out().match(/allow\?/g)?.length).toBe(2);
  expect(h.out().match(/│ same/g)?.length).toBe(2);
});

test("a line ending in \\ continues the message; history from an earlier run comes back with ↑", async () => {
  h = await harness({ script: [{ text: "one" }, { text: "two" }] });
  const { home } = h;
  h.type("first\\\r");
  h.type("second\r");
  await h.waitFor("one");
  expect(lastUser(h.gw.calls()[0]!.body)).toBe("first\nsecond");
  h.type("/exit\r");
  await h.done;
  await h.gw.stop();
  h = await harness({ home, script: [{ text: "again" }] });
  h.type("\x1b[A\x1b[A\r");
  await h.waitFor("again");
  expect(lastUser(h.gw.calls()[0]!.body)).toBe("first\nsecond");
});

test("the default free model falls back to the next free one when it fails; a profile is routed per message", async () => {
  h = await harness({ script: [{ fault: { status: 503 } }, { text: "from the fallback" }] });
  h.type("hi\r");
  await h.waitFor("from the fallback");
  const [a, b] = h.gw.calls();
  expect(a!.body.model).toBe("nvidia/qwen3-coder-480b");
  expect(b!.body.model).not.toBe(a!.body.model);
  h.type("/model auto\r");
  await h.waitFor("(profile auto)");
  h.gw.push({ text: "routed answer" });
  h.type("refactor the parser module and add tests\r");
  await h.waitFor("routed answer");
  expect(h.out()).toMatch(/routed to \S+ \(auto\//);
});

test("pipe mode never asks: tools that need approval are not offered; with --trust they run, narration on stderr", async () => {
  h = await harness({ tty: false, script: [{ text: "no bash here" }] });
  h.type("list files\n");
  h.end();
  await h.done;
  const names = (h.gw.calls()[0]!.body.tools as Array<{ name: string }>).map((t) => t.name);
  expect(names).toContain("Read");
  expect(names).not.toContain("Bash");
  await h.gw.stop();
  h = await harness({
    tty: false,
    trust: true,
    script: [{ text: "Running it.", tools: [{ name: "Bash", input: { command: "echo piped-ok" } }] }, { text: "ran" }],
  });
  h.type("run\n");
  h.end();
  await h.done;
  expect(h.err()).toContain("Running it.\n● Bash echo piped-ok\n  │ piped-ok\n");
  // As with ask: text before a tool call is narration, so stdout carries the answer alone.
  expect(h.out()).toBe("ran\n");
});

test("tty: a spinner waits for the first token and is erased before the answer", async () => {
  h = await harness({ script: [{ text: "late answer", delayMs: 120 }] });
  h.type("slow\r");
  await h.waitFor("late answer");
  expect(h.out()).toContain("⠋ nvidia/qwen3-coder-480b");
});

test("a full context window (≥ 70%) warns once and suggests /compact", async () => {
  h = await harness({
    script: [
      { text: "big", usage: { input: 100_000, output: 10 } },
      { text: "bigger", usage: { input: 110_000, output: 10 } },
    ],
  });
  h.type("one\r");
  await h.waitFor("big");
  await h.waitFor(/warning: .*7\d% full; \/compact/);
  expect(h.out()).toContain("ctx 76%");
  h.type("two\r");
  await h.waitFor("bigger");
  await h.waitFor(/── [^\n]*ctx 84%[^\n]*\n› $/);
  expect(h.out().match(/\/compact/g)?.length).toBe(1);
});

test("-c continues the latest session of the directory", async () => {
  h = await harness({ script: [{ text: "noted" }] });
  const { home, cwd } = h;
  h.type("the secret is 42\r");
  await h.waitFor("noted");
  h.type("/exit\r");
  await h.done;
  await h.gw.stop();
  h = await harness({ home, cwd, resume: { latest: true }, script: [{ text: "42" }] });
  await h.waitFor("resumed 2 messages");
  h.type("what is the secret?\r");
  await h.waitFor("── ");
  expect(JSON.stringify(h.gw.calls()[0]!.body.messages)).toContain("the secret is 42");
});

test("/resume with an unknown id says so and keeps the conversation", async () => {
  h = await harness({ script: [{ text: "kept" }, { text: "still here" }] });
  h.type("remember me\r");
  await h.waitFor("kept");
  h.type("/resume ses_nope\r");
  await h.waitFor('no session "ses_nope"');
  h.type("and now?\r");
  await h.waitFor("still here");
  expect(h.gw.calls()[1]!.body.messages.length).toBe(3);
});
