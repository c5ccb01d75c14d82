// Custom commands: Markdown prompt templates in .runcode/commands/*.md (project) and ~/.blockrun/commands/*.md
// (user), as Claude Code and opencode allow. `/name args` sends the file with $ARGUMENTS replaced by `args`; an
// optional front-matter `description:` line is its /help text. Project commands win over user ones of the same name.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import type { SlashCommand } from "./types";

export function loadCustomCommands(dirs: string[], taken: Set<string>): SlashCommand[] {
  const found = new Map<string, SlashCommand>();
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir)
      .filter((f) => f.endsWith(".md"))
      .sort()) {
      const name = basename(f, ".md").toLowerCase();
      if (!/^[a-z0-9][\w:-]*$/.test(name) || taken.has(name) || found.has(name)) continue;
      const raw = readFileSync(join(dir, f), "utf8");
      const fm = /^---\n([\s\S]*?)\n---\n?/.exec(raw);
      const body = fm ? raw.slice(fm[0].length) : raw;
      const desc = fm && /^description:\s*(.+)$/m.exec(fm[1]!)?.[1];
      found.set(name, {
        name,
        group: "Custom",
        help: desc ? desc.trim().replace(/^["']|["']$/g, "") : `prompt from ${join(dir, f)}`,
        args: body.includes("$ARGUMENTS") ? "[arguments]" : undefined,
        run: (c) =>
          c.send(
            body.includes("$ARGUMENTS")
              ? body.replaceAll("$ARGUMENTS", c.args.trim())
              : c.args.trim()
                ? `${body.trim()}\n\n${c.args.trim()}`
                : body.trim(),
          ),
      });
    }
  }
  return [...found.values()];
}
