// Permission rules as in the original's runcode-permissions.json: a rule is a tool name or `Tool(glob)`, e.g.
// `Read`, `Bash(git *)`, `Edit(src/**)`, `mcp__github__*`. `*` matches any run of characters (slashes and spaces
// included); Claude Code's `Bash(npm run test:*)` prefix form is read the same way. Shell patterns are matched
// against each simple command that shell.ts finds, never against the command line as a whole.
import { existsSync, readFileSync } from "node:fs";
import { ActionableError } from "../core/errors";
import type { SimpleCommand } from "./shell";

export type Rules = { allow: string[]; deny: string[]; ask: string[] };
export const EMPTY: Rules = { allow: [], deny: [], ask: [] };

export type Rule = { tool: RegExp; pattern?: RegExp; source: string };

const globRe = (g: string) =>
  new RegExp(
    `^${g
      .replace(/:\*$/, "*")
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*+/g, ".*")
      .replace(/\?/g, ".")}$`,
    "s",
  );

export function parseRule(s: string): Rule {
  const m = /^([^()\s]+)(?:\((.*)\))?$/s.exec(s.trim());
  if (!m) throw new ActionableError(`bad permission rule "${s}"`, 'write a tool name or Tool(pattern), e.g. "Bash(git *)"', "config");
  return { tool: globRe(m[1]!), pattern: m[2] === undefined ? undefined : globRe(m[2].trim()), source: s };
}

/** Read runcode-permissions.json (the original's `{allow, deny, ask}`; Claude Code's `{permissions: {…}}` too). */
export function readRules(file: string): Rules {
  if (!existsSync(file)) return EMPTY;
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    throw new ActionableError(`permissions file ${file} is not valid JSON`, "fix it by hand or move it away", "config");
  }
  const root = (data as { permissions?: unknown })?.permissions ?? data;
  const list = (k: keyof Rules): string[] => {
    const v = (root as Record<string, unknown> | null)?.[k];
    if (v === undefined) return [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== "string"))
      throw new ActionableError(
        `"${k}" in ${file} must be a list of rules`,
        'e.g. {"allow": ["Bash(git *)"], "deny": [], "ask": []}',
        "config",
      );
    for (const r of v) parseRule(r);
    return v as string[];
  };
  return { allow: list("allow"), deny: list("deny"), ask: list("ask") };
}

export { commandParts } from "./shell";

export type Target = { tool: string; shell: boolean; texts: string[] };

/** Does the rule name the tool? Custom (shell) tools answer to `Bash` rules too. */
export const names = (rule: Rule, tool: string, shell: boolean) =>
  rule.tool.test(tool) || (shell && tool !== "Bash" && rule.tool.test("Bash"));

/** Does `rule` cover a call by its texts (paths, URLs, queries)? Allow rules need every text, deny and ask rules any. */
export function matches(rule: Rule, t: Target, mode: "every" | "any"): boolean {
  if (!names(rule, t.tool, t.shell)) return false;
  if (!rule.pattern) return true;
  if (!t.texts.length) return false;
  return mode === "every" ? t.texts.every((x) => rule.pattern!.test(x)) : t.texts.some((x) => rule.pattern!.test(x));
}

/** `X *` covers X with or without arguments: `rm *` also stops a bare `rm`, as `xargs rm` runs it. */
const fits = (pattern: RegExp, s: string) => pattern.test(s) || pattern.test(`${s} `);

/** A deny or ask pattern against one simple command, by name or as written. */
export const hits = (pattern: RegExp, c: SimpleCommand) => fits(pattern, c.text) || fits(pattern, c.raw);

/**
 * An allow pattern against one simple command: as written, or by name when nothing written could swap the program
 * (`byName` is false for VAR=x prefixes and for names with a directory that may hold anything, such as `./git`).
 */
export const covers = (pattern: RegExp, c: SimpleCommand, byName: boolean) => fits(pattern, c.raw) || (byName && fits(pattern, c.text));
