// `runcode completion bash|zsh|fish`: every command, subcommand and flag of the command table is in each script (read
// here from the command modules, so a new flag the scripts miss fails), and the shells really load and run them.
import { requireDeps } from "../../scripts/test-deps";
import { describe, expect, test } from "bun:test";
import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ArgsDef, CommandDef } from "citty";
import { COMMANDS, replArgs } from "../../src/commands";
import { cliCommand, cliEnv, runCli, tempDir } from "../helpers";

type Want = { path: string; subs: string[]; flags: Array<{ name: string; alias: string[] }> };

const get = async (v: unknown): Promise<any> => (typeof v === "function" ? v() : v);
const flagsOf = (args: ArgsDef) =>
  Object.entries(args)
    .filter(([, a]) => a.type !== "positional")
    .map(([name, a]) => ({ name, alias: ["alias" in a ? (a.alias ?? []) : []].flat() }));

async function walk(cmd: CommandDef<any>, path: string): Promise<Want[]> {
  const subs: Record<string, unknown> = (await get(cmd.subCommands)) ?? {};
  const here = { path, subs: Object.keys(subs), flags: flagsOf((await get(cmd.args)) ?? {}) };
  const below = await Promise.all(Object.entries(subs).map(async ([n, s]) => walk(await get(s), `${path} ${n}`)));
  return [here, ...below.flat()];
}

const table: Want[] = [
  { path: "", subs: Object.keys(COMMANDS), flags: flagsOf(replArgs) },
  ...(await Promise.all(Object.entries(COMMANDS).map(async ([n, e]) => walk(await e.load(), n)))).flat(),
];
const dash = (a: string) => (a.length === 1 ? `-${a}` : `--${a}`);

// A bin folder whose `runcode` runs the CLI under test, as a user's shell would find it.
const bin = tempDir("runcode-completion-");
writeFileSync(
  join(bin, "runcode"),
  `#!/bin/sh\nexec ${cliCommand()
    .map((a) => `'${a}'`)
    .join(" ")} "$@"\n`,
);
chmodSync(join(bin, "runcode"), 0o755);
const shell = (argv: string[]) => {
  const home = tempDir();
  const env = cliEnv(home, { PATH: `${bin}:${process.env.PATH}` });
  const r = Bun.spawnSync(argv, { cwd: home, env, stdout: "pipe", stderr: "pipe" });
  return { code: r.exitCode, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
};

describe("every command and flag of the table is in each script", async () => {
  const [bash = "", zsh = "", fish = ""] = await Promise.all(
    ["bash", "zsh", "fish"].map((s) => runCli(["completion", s]).then((r) => r.stdout)),
  );
  // The line that lists one node's words: `"config set") words="…"` in bash, `"config set") items=(…)` in zsh.
  const line = (script: string, path: string) => script.split("\n").find((l) => l.startsWith(`    "${path}") `)) ?? "";

  test("bash: each node's line offers its subcommands and flags", () => {
    for (const w of table) {
      const words = new Set(line(bash, w.path.trim()).split('"')[3]?.split(" "));
      for (const s of w.subs) expect({ path: w.path, has: words.has(s) }).toEqual({ path: w.path, has: true });
      for (const f of w.flags)
        for (const x of [`--${f.name}`, ...f.alias.map(dash)])
          expect({ path: w.path, x, has: words.has(x) }).toEqual({ path: w.path, x, has: true });
    }
  });

  test("zsh: each node's line offers its subcommands and flags", () => {
    for (const w of table) {
      const l = line(zsh, w.path.trim());
      for (const x of [...w.subs, ...w.flags.flatMap((f) => [`--${f.name}`, ...f.alias.map(dash)])])
        expect({ path: w.path, x, has: l.includes(`'${x}:`) }).toEqual({ path: w.path, x, has: true });
    }
  });

  test("fish: every subcommand and flag has its complete line", () => {
    for (const w of table) {
      for (const s of w.subs) expect(fish).toContain(` -a ${s} -d `);
      for (const f of w.flags)
        expect(fish).toContain(` -l ${f.name}${f.alias.map((a) => (a.length === 1 ? ` -s ${a}` : ` -l ${a}`)).join("")} -d `);
    }
  });
});

test("an unknown shell is a usage error naming the three", async () => {
  const r = await runCli(["completion", "csh"]);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain("runcode completion bash|zsh|fish");
});

test("bash loads it (complete -p) and completes commands and flags", () => {
  const complete = (...words: string[]) =>
    `COMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")}); COMP_CWORD=${words.length - 1}; _runcode; echo "\${COMPREPLY[*]}"`;
  const r = shell([
    "bash",
    "-c",
    [
      "source <(runcode completion bash)",
      "complete -p runcode",
      complete("runcode", "te"),
      complete("runcode", "edit", "--sa"),
      complete("runcode", "-m", "x", "config", "s"),
    ].join("; "),
  ]);
  expect(r).toEqual({
    code: 0,
    stdout: "complete -o default -F _runcode runcode\nteam\n--sandbox --sandbox-network\nset\n",
    stderr: "",
  });
});

test("zsh loads it after compinit: _runcode is defined and registered for runcode", () => {
  requireDeps("zsh");
  const r = shell([
    "zsh",
    "-c",
    "autoload -U compinit; compinit -u; source <(runcode completion zsh); whence -w _runcode; echo $_comps[runcode]",
  ]);
  expect(r).toEqual({ code: 0, stdout: "_runcode: function\n_runcode\n", stderr: "" });
});

test("fish loads it and completes commands and flags", () => {
  requireDeps("fish");
  const r = shell(["fish", "-c", 'runcode completion fish | source; complete -C "runcode te"; complete -C "runcode edit --sa"']);
  expect(r.code).toBe(0);
  const got = r.stdout.split("\n").map((l) => l.split("\t")[0]);
  expect(got).toContain("team");
  expect(got).toContain("--sandbox");
});
