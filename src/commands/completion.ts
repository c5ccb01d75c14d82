// `runcode completion bash|zsh|fish`: a completion script for every command, subcommand and flag. The tree is read
// from the command modules themselves (their `args` and `subCommands`), loaded here when this command runs, so the
// script cannot miss a flag and `runcode --help` still loads no command module.
import type { ArgsDef, CommandDef, Resolvable } from "citty";
import { defineCommand } from "citty";
import { out } from "../cli/io";
import { SHELLS, type Node, type Shell, completionScript } from "../cli/completion";
import { usageError } from "../core/errors";
import { COMMANDS, replArgs } from ".";

const resolve = async <T>(r: Resolvable<T> | undefined): Promise<T | undefined> =>
  typeof r === "function" ? (r as () => T | Promise<T>)() : r;
const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

function flags(args: ArgsDef): Node["flags"] {
  const own = Object.entries(args)
    .filter(([, a]) => a.type !== "positional")
    .map(([name, a]) => ({ name: kebab(name), alias: ["alias" in a ? (a.alias ?? []) : []].flat(), description: a.description ?? "" }));
  return [...own, { name: "help", alias: ["h"], description: "show help" }];
}

async function node(cmd: CommandDef<any>, description: string): Promise<Node> {
  const subs = ((await resolve(cmd.subCommands)) ?? {}) as Record<string, Resolvable<CommandDef<any>>>;
  const entries = await Promise.all(
    Object.entries(subs).map(async ([name, s]) => {
      const sub = (await resolve(s)) as CommandDef<any>;
      return [name, await node(sub, (await resolve(sub.meta))?.description ?? "")] as const;
    }),
  );
  return { description, flags: flags((await resolve(cmd.args)) ?? {}), subs: Object.fromEntries(entries) };
}

/** runcode itself: the REPL's flags, --version, and every command of the table. */
export async function commandTree(): Promise<Node> {
  const subs = await Promise.all(
    Object.entries(COMMANDS).map(async ([name, e]) => [name, await node(await e.load(), e.description)] as const),
  );
  const root = flags(replArgs);
  root.push({ name: "version", alias: ["V"], description: "show runcode's version" });
  return { description: "runcode", flags: root, subs: Object.fromEntries(subs) };
}

export default defineCommand({
  meta: { name: "completion", description: "Print a shell completion script: bash, zsh or fish" },
  args: { shell: { type: "positional", required: true, description: "bash, zsh or fish" } },
  async run({ args }) {
    const shell = args.shell as Shell;
    if (!SHELLS.includes(shell)) throw usageError(`unknown shell "${args.shell}"`, `use \`runcode completion ${SHELLS.join("|")}\``);
    out(completionScript(shell, await commandTree()));
    return 0;
  },
});
