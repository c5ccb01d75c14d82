// A closed pipe is not a crash: with the reader gone before runcode writes (`runcode … | head -1` once head has
// exited), the command ends quietly with status 0 and no error on stderr.
import { afterAll, expect, test } from "bun:test";
import { startFakeGateway } from "../fake-gateway";
import { cliCommand, cliEnv, tempDir } from "../helpers";

const gw = await startFakeGateway({});
afterAll(() => gw.stop());

const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;

async function closedPipe(args: string[], stdin = "") {
  const home = tempDir();
  const cmd = `${stdin ? `printf %s ${quote(stdin)} | ` : ""}${[...cliCommand(), ...args].map(quote).join(" ")}`;
  // The right side closes its end at once and exits: every write runcode makes meets a pipe without a reader.
  const proc = Bun.spawn(["bash", "-c", `{ ${cmd}; echo "rc=$?" >&2; } | { exec 0<&-; }`], {
    cwd: home,
    env: cliEnv(home, { RUNCODE_API_URL: gw.url }),
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stderr] = await Promise.all([new Response(proc.stderr).text(), proc.exited]);
  return stderr;
}

const commands: string[][] = [
  ["config", "list"],
  ["models"],
  ["sessions"],
  ["stats"],
  ["route", "refactor this module into two files"],
  ["--help"],
  ["config", "path"],
];
for (const args of commands)
  test(`runcode ${args.join(" ")} into a closed pipe: exit 0, no trace`, async () => {
    const stderr = await closedPipe(args);
    expect(stderr.endsWith("rc=0\n")).toBe(true);
    expect(stderr).not.toMatch(/EPIPE|error|\n\s+at /);
  });

// The runs: the answer (or the JSONL stream) meets the closed pipe mid-run; the REPL in pipe mode too.
const runs: Array<[string[], string]> = [
  [["ask", "hi"], ""],
  [["ask", "--jsonl", "hi"], ""],
  [["ask", "--json", "hi"], ""],
  [["edit", "--dry-run", "say hi"], ""],
  [[], "hello\n"],
];
for (const [args, stdin] of runs)
  test(`${stdin ? "echo hello | " : ""}runcode ${args.join(" ")} into a closed pipe: exit 0, no trace`, async () => {
    const stderr = await closedPipe(args, stdin);
    expect(stderr.endsWith("rc=0\n")).toBe(true);
    expect(stderr).not.toMatch(/EPIPE|\n\s+at |unexpected/);
  });
