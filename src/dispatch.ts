// Dispatch: find the command (lazily), answer --help, check flags, run, and turn errors into one line + exit code.
// `runcode --help` is rendered from the command table's descriptions alone, so it imports no command module.
import { type ArgsDef, type CommandDef, renderUsage, runCommand } from "citty";
import { ActionableError, EXIT, closest, describe } from "./core/errors";
import { homeDir, paths } from "./core/home";
import { log, logFile, setLogFile } from "./core/log";
import { COMMANDS, type CommandEntry, replArgs } from "./commands";
import { VERSION } from "./version";
import { checkFlags } from "./cli/args";
import { runEnv } from "./cli/secrets";
import { out, tty } from "./cli/io";
import { colorOut, outColor, ui } from "./cli/ui";

const table: Record<string, CommandEntry> = COMMANDS;

const DESCRIPTION = "AI coding agent for the terminal: 55+ models, pay per request in USDC, free models with no setup";

const root: CommandDef = {
  meta: { name: "runcode", version: VERSION, description: DESCRIPTION },
  // What citty's help needs of each command, from the table (citty would import every module for its meta).
  subCommands: Object.fromEntries(
    Object.entries(table).map(([name, e]) => [name, { meta: { name, description: e.description, hidden: e.hidden } }]),
  ),
};

export async function main(argv: string[]): Promise<number> {
  setLogFile(paths(homeDir(runEnv())).log);
  try {
    return await dispatch(argv);
  } catch (err) {
    return report(err);
  }
}

async function dispatch(argv: string[]): Promise<number> {
  if (argv[0] === "--version" || argv[0] === "-V") {
    out(`runcode ${VERSION}\n`);
    return EXIT.ok;
  }
  const first = argv[0];
  if (!first) return run(await COMMANDS.repl.load(), [], "repl");
  if (first === "--help" || first === "-h" || first === "help") {
    out(rootHelp());
    return EXIT.ok;
  }
  if (first.startsWith("-")) {
    // Flags before any command belong to the REPL (e.g. `runcode -m sonnet`); with --help they ask for its help.
    if (argv.includes("--help") || argv.includes("-h")) {
      out(rootHelp());
      return EXIT.ok;
    }
    return run(await COMMANDS.repl.load(), argv, "repl");
  }
  const entry = Object.hasOwn(table, first) ? table[first] : undefined;
  if (!entry) {
    const near = closest(first, Object.keys(table));
    throw new ActionableError(
      `unknown command "${first}"`,
      near.length ? `did you mean \`runcode ${near[0]}\`? (see \`runcode --help\`)` : "see `runcode --help`",
      "usage",
    );
  }
  // Walk nested subcommands (`config set`, `wallet create`) to the leaf that runs.
  let cmd = await entry.load();
  let parent = root;
  let name = first;
  let rest = argv.slice(1);
  for (;;) {
    const subs = (typeof cmd.subCommands === "function" ? await cmd.subCommands() : await cmd.subCommands) as
      | Record<string, CommandDef | (() => Promise<CommandDef>)>
      | undefined;
    const next = rest[0];
    if (!subs || !next || next.startsWith("-")) break;
    const sub = subs[next];
    if (!sub) {
      const own = (typeof cmd.args === "function" ? await cmd.args() : await cmd.args) ?? {};
      if (cmd.run && Object.values(own as ArgsDef).some((a) => a.type === "positional")) break; // a positional for the command itself
      const near = closest(next, Object.keys(subs));
      throw new ActionableError(
        `unknown subcommand "${name} ${next}"`,
        near.length ? `did you mean \`runcode ${name} ${near[0]}\`?` : `see \`runcode ${name} --help\``,
        "usage",
      );
    }
    parent = cmd;
    cmd = typeof sub === "function" ? await sub() : sub;
    name = `${name} ${next}`;
    rest = rest.slice(1);
  }
  if (rest.includes("--help") || rest.includes("-h") || (!cmd.run && cmd.subCommands)) {
    out(await help(cmd, parent));
    return rest.includes("--help") || rest.includes("-h") ? EXIT.ok : EXIT.usage;
  }
  return run(cmd, rest, name);
}

async function run(cmd: CommandDef, rawArgs: string[], name: string): Promise<number> {
  const args = (typeof cmd.args === "function" ? await cmd.args() : await cmd.args) ?? {};
  const checked = checkFlags(rawArgs, args, name);
  const { result } = await runCommand({ ...cmd, subCommands: undefined }, { rawArgs: checked });
  return typeof result === "number" ? result : EXIT.ok;
}

/**
 * `runcode --help`, from the command table and the REPL's flags alone: no command module, and not citty's renderer
 * (it would resolve every command to print its description).
 */
export function rootHelp(c = outColor): string {
  const flag = (name: string, a: { type: string; alias?: string }) =>
    `${a.alias ? `-${a.alias}, ` : ""}--${name}${a.type === "string" ? " <value>" : ""}`;
  const cols = (rows: Array<[string, string]>) => {
    const w = Math.max(...rows.map(([l]) => l.length));
    return rows.map(([l, r]) => `  ${c.cyan(l.padEnd(w))}   ${r}`).join("\n");
  };
  const commands = Object.entries(table).filter(([, e]) => !e.hidden);
  const options: Array<[string, string]> = [
    ...Object.entries(replArgs).map(([n, a]): [string, string] => [flag(n, a), a.description]),
    ["-h, --help", "show this help"],
    ["-V, --version", "show runcode's version"],
  ];
  return [
    `${DESCRIPTION} (${c.bold("runcode")} v${VERSION})`,
    "",
    c.bold("USAGE"),
    cols([
      ["runcode [OPTIONS]", "the interactive session (REPL): type a message, /help lists its commands"],
      ["runcode <COMMAND> [OPTIONS]", "one of the commands below"],
    ]),
    "",
    c.bold("COMMANDS"),
    cols(commands.map(([n, e]) => [n, e.description])),
    "",
    c.bold("OPTIONS") + " (the REPL's)",
    cols(options),
    "",
    `Use \`runcode <COMMAND> --help\` for a command's own options. Exit codes and more: docs/ in the repository.`,
    "",
  ].join("\n");
}

/** citty colours its help unconditionally; keep escapes off pipes and NO_COLOR terminals. */
async function help(cmd: CommandDef, parent?: CommandDef): Promise<string> {
  const text = `${await renderUsage(cmd, parent)}\n`;
  return colorOut ? text : text.replace(/\x1b\[[0-9;]*m/g, "");
}

function report(err: unknown): number {
  const d = describe(err);
  if (err instanceof ActionableError || d.code === "interrupted") {
    ui.error(d.message);
    return d.exit;
  }
  log(`unexpected error: ${err instanceof Error ? err.stack : String(err)}`);
  ui.error(`unexpected error: ${d.message} (details in ${logFile()})`);
  return d.exit;
}
