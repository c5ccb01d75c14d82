// Glob: files matching a pattern, newest first, skipping what .gitignore ignores (via `git ls-files` when the
// directory is in a git work tree; .git and node_modules are always skipped).
import { relative } from "node:path";
import { secretFilesUnder } from "../core/secrets";
import { fileSubject, projectPath } from "./paths";
import { fail, type Tool, type ToolContext } from "./types";

const LIMIT = 500;
type Input = { pattern: string; path?: string };

/** Files under `dir` that git would not ignore, or undefined outside a work tree. */
export function gitVisible(dir: string): Set<string> | undefined {
  const p = Bun.spawnSync(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: dir,
    stdout: "pipe",
    stderr: "ignore",
  });
  if (p.exitCode !== 0) return undefined;
  return new Set(p.stdout.toString().split("\0").filter(Boolean));
}

/** Files under `dir` matching `pattern`, newest first unless `sorted` is false (Grep sorts by name itself). */
export function listFiles(dir: string, pattern: string, ctx: Pick<ToolContext, "files">, sorted = true): string[] {
  const visible = gitVisible(dir);
  const secret = new Set(secretFilesUnder(dir).map((f) => f.slice(dir.length + 1)));
  const out: string[] = [];
  for (const rel of new Bun.Glob(pattern).scanSync({ cwd: dir, dot: true, onlyFiles: true, followSymlinks: false })) {
    if (/(^|\/)(\.git|node_modules)\//.test(rel)) continue;
    if (visible && !visible.has(rel)) continue;
    if (secret.has(rel)) continue; // runcode's own key files, when the project contains its home
    out.push(rel);
  }
  if (!sorted) return out;
  const mtimes = new Map(out.map((r) => [r, ctx.files.stat(`${dir}/${r}`)?.mtimeMs ?? 0]));
  return out.sort((a, b) => mtimes.get(b)! - mtimes.get(a)! || a.localeCompare(b));
}

export const Glob: Tool<Input> = {
  name: "Glob",
  description: `Find files by name pattern, e.g. "**/*.ts" or "src/**/test_*.py". Returns matching paths, most recently modified first.
- path: directory to search (default: the working directory).
- Files ignored by .gitignore, .git and node_modules are skipped.
- At most ${LIMIT} paths are returned; narrow the pattern if the list is cut.`,
  input_schema: {
    type: "object",
    properties: {
      pattern: { type: "string", description: "glob pattern" },
      path: { type: "string", description: "directory to search in" },
    },
    required: ["pattern"],
  },
  mutating: false,
  subject: (i, ctx) => fileSubject(i.path ?? ".", ctx),
  async run(input, ctx) {
    const r = projectPath(input.path ?? ctx.cwd, ctx);
    if ("error" in r) return fail(r.error);
    if (!ctx.files.stat(r.path)?.dir) return fail(`${input.path} is not a directory`);
    const files = listFiles(r.path, input.pattern, ctx);
    if (!files.length) return { output: `no files match ${input.pattern} in ${relative(ctx.cwd, r.path) || "."}` };
    const shown = files.slice(0, LIMIT).map((f) => relative(ctx.cwd, `${r.path}/${f}`) || f);
    return { output: shown.join("\n") + (files.length > LIMIT ? `\n[… ${files.length - LIMIT} more; narrow the pattern]` : "") };
  },
};
