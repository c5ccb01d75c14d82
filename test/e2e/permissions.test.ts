// Every fix a denial suggests works: `runcode ask` (which cannot ask) is denied a call, the hint it prints is run as
// it says (each alternative it offers), and the same call then succeeds. The hint is what the user sees on stderr.
import { afterAll, expect, test } from "bun:test";
import { existsSync, mkdirSync, realpathSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type FakeGateway, startFakeGateway, type ToolCall } from "../fake-gateway";
import { runCli, tempDir } from "../helpers";

const gateways: FakeGateway[] = [];
afterAll(async () => {
  for (const g of gateways) await g.stop();
});

type Dirs = { cwd: string; outside: string };
const dirs = (): Dirs => {
  const cwd = realpathSync(tempDir("runcode-perm-proj-"));
  mkdirSync(join(cwd, ".git"));
  const outside = realpathSync(tempDir("runcode-perm-outside-"));
  writeFileSync(join(outside, "notes.txt"), "OUTSIDE-CONTENT\n");
  return { cwd, outside };
};

async function ask(flags: string[], call: ToolCall, d: Dirs) {
  const gw = await startFakeGateway({ script: [{ tools: [call] }, { text: "done" }] });
  gateways.push(gw);
  const r = await runCli(["ask", ...flags, "go"], { cwd: d.cwd, env: { RUNCODE_API_URL: gw.url }, timeoutMs: 30_000 });
  return { ...r, gw };
}

/** The words of one alternative as a shell would split them (single quotes only, as the hints write them). */
const words = (s: string) => [...s.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)].map((m) => (m[1] ?? m[2]!).replaceAll("'\\''", "'"));

type Case = {
  name: string;
  flags?: string[];
  call: (d: Dirs) => ToolCall;
  hint: string;
  /** What the call did once allowed. */
  done: (d: Dirs, r: Awaited<ReturnType<typeof ask>>) => boolean;
};

const bash = (command: string) => ({ name: "Bash", input: { command } });
const made = (f: string) => (d: Dirs) => existsSync(join(d.cwd, f));

const cases: Case[] = [
  {
    name: "Write in the project",
    call: () => ({ name: "Write", input: { file_path: "new.txt", content: "x" } }),
    hint: "rerun with --allow Write or --trust",
    done: made("new.txt"),
  },
  {
    name: "Write outside the project (--allow Write would still be denied)",
    call: (d) => ({ name: "Write", input: { file_path: join(d.outside, "out.txt"), content: "x" } }),
    hint: "rerun with --trust",
    done: (d) => existsSync(join(d.outside, "out.txt")),
  },
  {
    name: "Read outside the project",
    call: (d) => ({ name: "Read", input: { file_path: join(d.outside, "notes.txt") } }),
    hint: "rerun with --trust",
    done: (_, r) => JSON.stringify(r.gw.calls()[1]?.body.messages.at(-1)).includes("OUTSIDE-CONTENT"),
  },
  {
    name: "Bash, one command",
    call: () => bash("touch made.txt"),
    hint: "rerun with --allow 'Bash(touch *)' or --trust",
    done: made("made.txt"),
  },
  {
    name: "Bash, two commands: a rule for each",
    call: () => bash("mkdir -p d && touch d/x"),
    hint: "rerun with --allow 'Bash(mkdir *)' --allow 'Bash(touch *)' or --trust",
    done: made("d/x"),
  },
  {
    name: "Bash, a command the given rule does not cover",
    flags: ["--allow", "Bash(mkdir *)"],
    call: () => bash("mkdir -p d && touch d/x"),
    hint: "rerun with --allow 'Bash(touch *)' or --trust",
    done: made("d/x"),
  },
  {
    name: "Bash writing outside the project (an allow rule would still ask)",
    call: (d) => bash(`echo hi > ${join(d.outside, "r.txt")}`),
    hint: "rerun with --trust",
    done: (d) => existsSync(join(d.outside, "r.txt")),
  },
  {
    name: "Bash, a command whose name is only known when it runs",
    call: () => bash("CMD=touch; $CMD made.txt"),
    hint: "rerun with --allow Bash or --trust",
    done: made("made.txt"),
  },
];

const denial = (stderr: string) => /^✗ \S+ denied: .*, and this run cannot ask \(non-interactive\): (.*)$/m.exec(stderr)?.[1];

for (const c of cases)
  test(`the hint works: ${c.name}`, async () => {
    const flags = c.flags ?? [];
    const first = dirs();
    const r = await ask(flags, c.call(first), first);
    expect(r.code).toBe(0);
    const hint = denial(r.stderr);
    expect(hint).toBe(c.hint);
    expect(c.done(first, r)).toBe(false);
    for (const alternative of hint!.replace(/^rerun with /, "").split(" or ")) {
      const d = dirs();
      const again = await ask([...flags, ...words(alternative)], c.call(d), d);
      expect({ alternative, code: again.code, denied: denial(again.stderr) }).toEqual({ alternative, code: 0, denied: undefined });
      expect(again.stderr).toContain(`● ${c.call(d).name}`);
      expect({ alternative, done: c.done(d, again) }).toEqual({ alternative, done: true });
    }
  });

test("a command a deny rule cannot check names no flag: it says to approve it interactively (test/repl/permissions.test.ts)", async () => {
  const d = dirs();
  const r = await ask(["--deny", "Bash(rm *)", "--allow", "Bash"], bash("CMD=touch; $CMD made.txt"), d);
  expect(denial(r.stderr)).toBe("run it interactively (runcode) to approve it");
  expect(existsSync(join(d.cwd, "made.txt"))).toBe(false);
});
