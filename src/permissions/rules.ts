// Permission rules as in the original's runcode-permissions.json: a rule is a tool name or `Tool(glob)`, e.g.
// `Read`, `Bash(git *)`, `Edit(src/**)`, `mcp__github__*`. `*` matches any run of characters (slashes and spaces
// included); Claude Code's `Bash(npm run test:*)` prefix form is read the same way.
import { existsSync, readFileSync } from "node:fs";
import { ActionableError } from "../core/errors";

export type Rules = { allow: string[]; deny: string[]; ask: string[] };
export const EMPTY: Rules = { allow: [], deny: [], ask: [] };

export type Rule = { tool: RegExp; pattern?: RegExp; source: string };

const globRe = (g: string) => new RegExp(`^${g.replace(/:\*$/, "*").replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*+/g, ".*").replace(/\?/g, ".")}$`, "s");

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
      throw new ActionableError(`"${k}" in ${file} must be a list of rules`, 'e.g. {"allow": ["Bash(git *)"], "deny": [], "ask": []}', "config");
    for (const r of v) parseRule(r);
    return v as string[];
  };
  return { allow: list("allow"), deny: list("deny"), ask: list("ask") };
}

/** Shell commands are matched part by part, so `Bash(git *)` does not allow `git log && rm -rf ~`. */
export function commandParts(cmd: string): string[] {
  return cmd
    .split(/&&|\|\||[;|&\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

export type Target = { tool: string; shell: boolean; texts: string[] };

/** Does `rule` cover the call? For allow rules every part must match; for deny rules, any part. */
export function matches(rule: Rule, t: Target, mode: "every" | "any"): boolean {
  const names = t.shell && t.tool !== "Bash" ? [t.tool, "Bash"] : [t.tool];
  if (!names.some((n) => rule.tool.test(n))) return false;
  if (!rule.pattern) return true;
  if (!t.texts.length) return false;
  const parts = t.shell ? t.texts.flatMap(commandParts) : t.texts;
  // Substitutions can hide any command inside an allowed one: never auto-allow them by pattern.
  if (t.shell && mode === "every" && t.texts.some((x) => /\$\(|`/.test(x))) return false;
  return mode === "every" ? parts.every((p) => rule.pattern!.test(p)) : parts.some((p) => rule.pattern!.test(p)) || t.texts.some((x) => rule.pattern!.test(x));
}
