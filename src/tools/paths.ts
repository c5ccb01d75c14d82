// Path rules shared by the file tools: absolute or relative to the working directory, symlinks resolved before the
// inside-the-project check (a link inside the project pointing at /etc is outside), `~` expanded.
import { realpathSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { isSecretFile } from "../core/secrets";
import type { ToolContext } from "./types";

/** The real path of `p`, resolving symlinks of the deepest existing ancestor (the file itself may not exist yet). */
export function realish(p: string): string {
  let head = p;
  const tail: string[] = [];
  for (;;) {
    try {
      return join(realpathSync(head), ...tail.reverse());
    } catch {
      const up = dirname(head);
      if (up === head) return p;
      tail.push(head.slice(up.length + (up.endsWith(sep) ? 0 : 1)));
      head = up;
    }
  }
}

export function absolute(p: string, ctx: Pick<ToolContext, "cwd" | "home">): string {
  const expanded = p === "~" ? ctx.home : p.startsWith("~/") ? join(ctx.home, p.slice(2)) : p;
  return resolve(ctx.cwd, expanded);
}

export const inside = (root: string, p: string) => {
  const r = relative(root, p);
  return r === "" || (!r.startsWith(`..${sep}`) && r !== ".." && !isAbsolute(r));
};

/** Resolve a tool's path argument; an error string (for the model) when it is outside the project and not allowed. */
export function projectPath(p: string, ctx: ToolContext): { path: string } | { error: string } {
  const abs = absolute(p, ctx);
  const real = realish(abs);
  if (isSecretFile(abs) || isSecretFile(real))
    return { error: `${p} holds runcode's wallet key or tokens, and no tool may read, search or change it` };
  if (inside(ctx.root, real) || ctx.outside(real)) return { path: real };
  const why = real !== abs && inside(ctx.root, abs) ? ` (it is a symlink to ${real})` : "";
  return { error: `${p} is outside the project ${ctx.root}${why}; use a path inside the project` };
}

export const display = (p: string, root: string) => (inside(root, p) && p !== root ? relative(root, p) : p);

/** Permission subject of a file tool: the path as written (for `Edit(src/**)` rules) and its real absolute path. */
export const fileSubject = (p: string, ctx: Pick<ToolContext, "cwd" | "home">) => ({ texts: [p], paths: [realish(absolute(p, ctx))] });
