// Permission prompts in the REPL (docs/repl.md "Permission prompts"), as the user sees them: what `a` covers, where a
// denial is printed, one question at a time, /retry after a Ctrl-C at a question.
import { afterEach, expect, test } from "bun:test";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../helpers";
import { type Harness, harness, lastUser } from "./harness";

let h: Harness | undefined;
afterEach(async () => {
  h?.end();
  await h?.done;
  await h?.gw.stop();
  h = undefined;
});

const bash = (command: string) => ({ name: "Bash", input: { command } });
const asked = (command: string) => `  $ ${command}\nallow? [y]es [n]o [a]ll pending [!] always `;
const questions = () => h!.out().match(/allow\? /g)?.length ?? 0;

test("`a` allows the calls pending in that model response only: the next response, the next message and /clear ask again", async () => {
  h = await harness({
    script: [
      { tools: [bash("echo a1"), bash("echo a2")] },
      { tools: [bash("echo b1")] },
      { text: "TURN-ONE-DONE" },
      { tools: [bash("echo c1")] },
      { text: "TURN-TWO-DONE" },
      { tools: [bash("echo d1")] },
      { text: "TURN-THREE-DONE" },
    ],
  });
  h.type("go\r");
  await h.waitFor(asked("echo a1"));
  h.type("a");
  // Both calls of that response ran, the second without a question.
  await h.waitFor("│ a2");
  expect(h.out()).not.toContain(asked("echo a2"));
  // The next response of the same turn asks.
  await h.waitFor(asked("echo b1"));
  h.type("y");
  await h.waitFor("TURN-ONE-DONE");
  // So does the first response of the next message (the same call number within its turn as the one `a` answered).
  h.type("again\r");
  await h.waitFor(asked("echo c1"));
  h.type("y");
  await h.waitFor("TURN-TWO-DONE");
  // And after /clear.
  h.type("/clear\r");
  await h.waitFor("new session");
  h.type("fresh\r");
  await h.waitFor(asked("echo d1"));
  h.type("y");
  await h.waitFor("TURN-THREE-DONE");
  expect(questions()).toBe(4);
  for (const l of ["a1", "a2", "b1", "c1", "d1"]) expect(h.out()).toContain(`│ ${l}\n`);
});

test("a denial is a line of its own, before the next question; what the model said comes before its question", async () => {
  h = await harness({
    script: [{ text: "I will run three commands.", tools: [bash("echo 1"), bash("echo 2"), bash("echo 3")] }, { text: "DONE" }],
  });
  h.type("go\r");
  await h.waitFor(asked("echo 1"));
  expect(h.out()).toContain("I will run three commands.\n? Bash: Bash needs permission\n  $ echo 1\n");
  h.type("n");
  await h.waitFor(asked("echo 2"));
  h.type("n");
  await h.waitFor(asked("echo 3"));
  h.type("y");
  await h.waitFor("DONE");
  const out = h.out();
  for (const n of [1, 2])
    expect(out).toContain(`${asked(`echo ${n}`)}n\n✗ Bash denied: the user declined\n? Bash: Bash needs permission\n  $ echo ${n + 1}\n`);
  expect(out).not.toMatch(/allow\?[^\n]*denied/);
  expect(out).toContain("│ 3\n");
});

test("two read-only calls that both need a question are asked one after the other, and both run", async () => {
  const outside = tempDir("runcode-repl-outside-");
  writeFileSync(join(outside, "one.txt"), "CONTENT-ONE\n");
  writeFileSync(join(outside, "two.txt"), "CONTENT-TWO\n");
  const read = (f: string) => ({ name: "Read", input: { file_path: join(outside, f) } });
  h = await harness({ script: [{ tools: [read("one.txt"), read("two.txt")] }, { text: "READ-BOTH" }] });
  h.type("read them\r");
  await h.waitFor(/one\.txt is outside the project[\s\S]*allow\? [^\n]*$/);
  // One question on the screen at a time: the second comes after the first is answered.
  expect(questions()).toBe(1);
  h.type("y");
  await h.waitFor(/two\.txt is outside the project[\s\S]*allow\? [^\n]*$/);
  expect(questions()).toBe(2);
  h.type("y");
  await h.waitFor("READ-BOTH");
  // The first call ran while the second question was up: its line came after the answer, not on the question's line.
  expect(h.out()).not.toMatch(/allow\? \[y\]es[^\n]*●/);
  const results = JSON.stringify(h.gw.calls()[1]!.body.messages.at(-1));
  expect(results).toContain("CONTENT-ONE");
  expect(results).toContain("CONTENT-TWO");
});

test("/retry after a Ctrl-C at a question resends the newest message, and the history keeps each message once", async () => {
  h = await harness({ script: [{ tools: [bash("echo x")] }, { text: "SECOND-ANSWER" }, { text: "RETRIED-ANSWER" }] });
  h.type("first message\r");
  await h.waitFor(asked("echo x"));
  h.type("\x03");
  await h.waitFor("interrupted");
  await h.waitFor(/── [^\n]*\n› $/);
  h.type("second message\r");
  await h.waitFor("SECOND-ANSWER");
  h.type("/retry\r");
  await h.waitFor("RETRIED-ANSWER");
  const retried = h.gw.calls()[2]!.body;
  expect(lastUser(retried)).toBe("second message");
  const sent = JSON.stringify(retried.messages);
  expect(sent.split("first message").length - 1).toBe(1);
  expect(sent.split("second message").length - 1).toBe(1);
  const from = h.out().length;
  h.type("/history\r");
  await h.waitFor("  2  second message", from);
  expect(h.out().slice(from)).toContain("  1  first message\n  2  second message\n");
  expect(h.out().slice(from)).not.toContain("  3  ");
});

test("a command a deny rule cannot check is asked in the REPL, as the non-interactive hint says, and runs when approved", async () => {
  h = await harness({ deny: ["Bash(rm *)"], script: [{ tools: [bash("CMD=touch; $CMD made.txt")] }, { text: "MADE" }] });
  h.type("make it\r");
  await h.waitFor(asked("CMD=touch; $CMD made.txt"));
  expect(h.out()).toContain("cannot be checked against the rule Bash(rm *)");
  h.type("y");
  await h.waitFor("MADE");
  expect(existsSync(join(h.cwd, "made.txt"))).toBe(true);
});
