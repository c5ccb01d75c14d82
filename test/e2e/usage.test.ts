// Usage errors are one line naming the fix, and exit 2: a missing positional, a positional a command does not
// take, an unknown subcommand. A negative number is a value, not a flag.
import { expect, test } from "bun:test";
import { runCli } from "../helpers";

const cases: Array<[string[], string]> = [
  [["config", "set", "max-usd-per-request"], "error: `runcode config set` needs VALUE: usage: runcode config set <KEY> <VALUE>\n"],
  [["config", "get"], "error: `runcode config get` needs KEY: usage: runcode config get <KEY>\n"],
  [["sessions", "show"], "error: `runcode sessions show` needs ID: usage: runcode sessions show <ID>\n"],
  [["mcp", "add"], "error: `runcode mcp add` needs NAME: usage: runcode mcp add <NAME>\n"],
  [["wallet", "chain"], "error: `runcode wallet chain` needs NAME: usage: runcode wallet chain <NAME>\n"],
  [["stats", "bogus"], 'error: unknown subcommand "stats bogus": see `runcode stats --help`\n'],
  [["sessions", "bogus"], 'error: unknown subcommand "sessions bogus": see `runcode sessions --help`\n'],
  [["models", "extra"], 'error: unexpected argument "extra" for `runcode models`: see `runcode models --help`\n'],
  [["config", "set", "max-usd-per-request", "-1"], 'error: bad value "-1" for "max-usd-per-request": use an amount in USD like 0.05\n'],
];

for (const [args, stderr] of cases)
  test(`runcode ${args.join(" ")}: one line, exit 2`, async () => {
    const r = await runCli(args);
    expect({ code: r.code, stderr: r.stderr, stdout: r.stdout }).toEqual({ code: 2, stderr, stdout: "" });
  });

test("every suggested usage works: the same commands with their arguments succeed", async () => {
  const r = await runCli(["config", "set", "max-tokens", "4096"]);
  expect(r.code).toBe(0);
  expect((await runCli(["config", "get", "max-tokens"], { home: r.home })).stdout).toBe("4096\n");
});

test("a key file that is not there is a usage error (exit 2) naming why, for setup and wallet import", async () => {
  for (const args of [
    ["setup", "--chain", "base", "--import-key-file", "/nonexistent/key.txt", "--yes"],
    ["wallet", "import", "--file", "/nonexistent/key.txt"],
  ]) {
    const r = await runCli(args);
    expect({ args, code: r.code, stderr: r.stderr, stdout: r.stdout }).toEqual({
      args,
      code: 2,
      stderr: "error: cannot read /nonexistent/key.txt (no such file): check the path passed to --import-key-file / --file\n",
      stdout: "",
    });
  }
});
