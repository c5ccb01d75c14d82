// The slash command table (built-in groups, then custom prompt files) and the dispatcher: `/name args`, unknown
// names answered with the nearest matches.
import { join } from "node:path";
import { closest } from "../../core/errors";
import { codeCommands } from "./code";
import { loadCustomCommands } from "./custom";
import { gitCommands } from "./git";
import { infoCommands } from "./info";
import { modelCommands } from "./model";
import { modeCommands } from "./modes";
import { sessionCommands } from "./session";
import type { CommandContext, SlashCommand } from "./types";

export const BUILTIN: SlashCommand[] = [
  ...sessionCommands,
  ...modelCommands,
  ...modeCommands,
  ...gitCommands,
  ...codeCommands,
  ...infoCommands,
];

export function commandTable(o: { root: string; home: string }): SlashCommand[] {
  const taken = new Set(BUILTIN.map((c) => c.name));
  return [...BUILTIN, ...loadCustomCommands([join(o.root, ".runcode", "commands"), join(o.home, "commands")], taken)];
}

/** `/name rest` → the command and its argument text, or the suggestion line for an unknown name. */
export function parse(line: string, table: SlashCommand[]): { cmd: SlashCommand; args: string } | { unknown: string } {
  const m = /^\/(\S*)\s*([\s\S]*)$/.exec(line.trim())!;
  const name = m[1]!.toLowerCase();
  const cmd = table.find((c) => c.name === name);
  if (cmd) return { cmd, args: m[2]! };
  const near = closest(
    name,
    table.map((c) => c.name),
  );
  const prefix = table.filter((c) => name && c.name.startsWith(name)).map((c) => c.name);
  const hints = [...new Set([...prefix, ...near])].slice(0, 3);
  return {
    unknown: `unknown command /${name}${hints.length ? `; did you mean ${hints.map((h) => `/${h}`).join(", ")}?` : ""} (/help lists them)`,
  };
}

export async function dispatch(line: string, table: SlashCommand[], c: Omit<CommandContext, "args">): Promise<void> {
  const r = parse(line, table);
  if ("unknown" in r) return c.say(r.unknown);
  await r.cmd.run({ ...c, args: r.args });
}
