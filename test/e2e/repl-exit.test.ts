// The REPL process ends when the user leaves, also after Ctrl-C interrupted an answer mid-stream: nothing it opened
// (the model request, readline, MCP, timers, listeners) may keep the real CLI alive after /exit or Ctrl-D.
import { afterEach, expect, test } from "bun:test";
import { Pty } from "../repl/tmux";

let pty: Pty | undefined;
afterEach(async () => {
  await pty?.stop();
  pty = undefined;
});

const slow = { text: Array.from({ length: 200 }, (_, i) => `word${i}`).join(" "), delayMs: 40 };

for (const [how, leave] of [
  ["/exit", (p: Pty) => p.keys("/exit", "Enter")],
  ["Ctrl-D", (p: Pty) => p.keys("C-d")],
] as const)
  test(`Ctrl-C mid-answer, then ${how}: the process exits with code 0`, async () => {
    pty = new Pty();
    await pty.start([slow]);
    await pty.until("session ses_");
    pty.keys("tell me", "Enter");
    await pty.until("word3 ");
    pty.keys("C-c");
    await pty.until("interrupted");
    await pty.until(/── .*\n› $/m);
    expect(pty.screen()).not.toContain("word199");
    leave(pty);
    expect(await pty.exitCode(5000)).toBe(0);
  });
