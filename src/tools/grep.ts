// Grep: regex search over file contents. Uses ripgrep when installed (fast, respects .gitignore itself); otherwise
// a built-in search over the same file list Glob uses. Both paths print the same formats.
import { relative } from "node:path";
import { containsSecret, secretFilesUnder } from "../core/secrets";
import { listFiles } from "./glob";
import { fileSubject, projectPath } from "./paths";
import { fail, type CallContext, type Tool } from "./types";

const LIMIT_LINES = 2000;
type Mode = "content" | "files_with_matches" | "count";
type Input = { pattern: string; path?: string; glob?: string; output_mode?: Mode; "-i"?: boolean; "-n"?: boolean; "-C"?: number };

export const Grep: Tool<Input> = {
  name: "Grep",
  description: `Search file contents with a regular expression (ripgrep syntax, e.g. "function\\s+\\w+", "TODO|FIXME").
- path: file or directory to search (default: the working directory). glob: only files matching it, e.g. "*.ts" or "src/**/*.py".
- output_mode: "files_with_matches" (default: paths only), "content" (matching lines), or "count" (matches per file).
- In content mode: -n adds line numbers, -C N shows N lines of context. -i makes the search case-insensitive.
- Files ignored by .gitignore are skipped.`,
  input_schema: {
    type: "object",
    properties: {
      pattern: { type: "string", description: "regular expression" },
      path: { type: "string", description: "file or directory to search" },
      glob: { type: "string", description: "only search files matching this glob" },
      output_mode: {
        type: "string",
        enum: ["content", "files_with_matches", "count"],
        description: "what to return (default files_with_matches)",
      },
      "-i": { type: "boolean", description: "case-insensitive" },
      "-n": { type: "boolean", description: "show line numbers (content mode)" },
      "-C": { type: "integer", minimum: 0, description: "lines of context around each match (content mode)" },
    },
    required: ["pattern"],
  },
  mutating: false,
  subject: (i, ctx) => fileSubject(i.path ?? ".", ctx),
  async run(input, ctx) {
    const r = projectPath(input.path ?? ctx.cwd, ctx);
    if ("error" in r) return fail(r.error);
    const st = ctx.files.stat(r.path);
    if (!st) return fail(`${input.path} does not exist`);
    let re: RegExp;
    try {
      re = new RegExp(input.pattern, input["-i"] ? "i" : "");
    } catch (err) {
      return fail(`invalid regular expression: ${err instanceof Error ? err.message : String(err)}`);
    }
    // ripgrep would search runcode's key files when the project contains its home; the built-in search skips them.
    const rg = ctx.noRipgrep || secretFilesUnder(r.path).length ? null : Bun.which("rg");
    const lines = rg ? await ripgrep(rg, input, r.path, ctx) : builtin(re, input, r.path, st.dir, ctx);
    if (typeof lines === "string") return fail(lines);
    if (!lines.length) return { output: `no matches for /${input.pattern}/` };
    const cut = lines.length > LIMIT_LINES;
    return {
      output: lines.slice(0, LIMIT_LINES).join("\n") + (cut ? `\n[… ${lines.length - LIMIT_LINES} more lines; narrow the search]` : ""),
    };
  },
};

async function ripgrep(rg: string, i: Input, target: string, ctx: CallContext): Promise<string[] | string> {
  const mode = i.output_mode ?? "files_with_matches";
  // Same view of the project as the built-in search: .gitignore counts outside a git repo too, and dependency
  // folders are never searched.
  const args = [
    rg,
    "--no-heading",
    "--with-filename",
    "--color=never",
    "--no-messages",
    "--no-require-git",
    "--glob",
    "!node_modules",
    "--glob",
    "!.git",
  ];
  if (i["-i"]) args.push("-i");
  if (mode === "files_with_matches") args.push("-l");
  if (mode === "count") args.push("-c");
  if (mode === "content" && i["-n"]) args.push("-n");
  if (mode === "content" && i["-C"]) args.push("-C", String(i["-C"]));
  if (i.glob) args.push("--glob", i.glob);
  args.push("-e", i.pattern, "--", relative(ctx.cwd, target) || ".");
  const p = Bun.spawn(args, { cwd: ctx.cwd, stdout: "pipe", stderr: "pipe", signal: ctx.signal });
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  if (code === 2 && !out) return `ripgrep failed: ${err.trim().split("\n")[0]}`;
  return out
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => (l.startsWith("./") ? l.slice(2) : l));
}

function builtin(re: RegExp, i: Input, target: string, dir: boolean, ctx: CallContext): string[] {
  const mode = i.output_mode ?? "files_with_matches";
  const glob = i.glob ? (i.glob.includes("/") ? i.glob : `**/${i.glob}`) : "**/*";
  const files = dir ? listFiles(target, glob, ctx, false).map((f) => `${target}/${f}`) : [target];
  const ctxN = mode === "content" ? (i["-C"] ?? 0) : 0;
  // A whole-file test with the `m` flag is a superset of the per-line test: most files are ruled out without
  // splitting them into lines.
  const pre = new RegExp(re.source, `${re.flags}m`);
  const dec = new TextDecoder();
  const out: string[] = [];
  for (const abs of files.sort()) {
    const data = ctx.files.read(abs);
    if (!data || data.length > 8 * 1048576 || data.subarray(0, 8192).includes(0) || containsSecret(data)) continue;
    const text = dec.decode(data);
    if (!pre.test(text)) continue;
    const name = relative(ctx.cwd, abs) || abs;
    const lines = text.split("\n");
    if (lines.at(-1) === "") lines.pop();
    const hits = lines.flatMap((l, n) => (re.test(l) ? [n] : []));
    if (!hits.length) continue;
    if (mode === "files_with_matches") out.push(name);
    else if (mode === "count") out.push(`${name}:${hits.length}`);
    else {
      const show = new Set<number>();
      for (const h of hits) for (let k = Math.max(0, h - ctxN); k <= Math.min(lines.length - 1, h + ctxN); k++) show.add(k);
      const hitSet = new Set(hits);
      let last = -2;
      for (const k of [...show].sort((a, b) => a - b)) {
        if (ctxN && last >= 0 && k > last + 1) out.push("--");
        const sep = hitSet.has(k) ? ":" : "-";
        out.push(`${name}${sep}${i["-n"] ? `${k + 1}${sep}` : ""}${lines[k]}`);
        last = k;
      }
    }
  }
  return out;
}
