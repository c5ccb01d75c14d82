// Project context for the system prompt: where we are (cwd, git status, platform, date) and the project's own
// instructions: AGENTS.md, CLAUDE.md, RUNCODE.md from the working directory up to the repository root, plus a
// global one in the runcode home. Capped so a huge file cannot eat the context window.
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";

export const INSTRUCTION_FILES = ["AGENTS.md", "CLAUDE.md", "RUNCODE.md"];
const CAP = 32 * 1024;

export type ProjectContext = { system: string; files: string[]; root: string; git: boolean };

/** The repository root containing `cwd` (the nearest directory with .git), or undefined. */
export function repoRoot(cwd: string): string | undefined {
  for (let d = cwd; ; d = dirname(d)) {
    if (existsSync(join(d, ".git"))) return d;
    if (dirname(d) === d) return undefined;
  }
}

function gitSummary(root: string): string | undefined {
  const run = (args: string[]) => {
    const p = Bun.spawnSync(["git", ...args], { cwd: root, stdout: "pipe", stderr: "ignore" });
    return p.exitCode === 0 ? p.stdout.toString().trimEnd() : undefined;
  };
  // `status -b` names the branch even before the first commit, where `rev-parse HEAD` fails.
  const status = run(["status", "--porcelain=v1", "-b"]);
  if (status === undefined) return undefined;
  const [head = "", ...lines] = status.split("\n").filter(Boolean);
  const branch = head.replace(/^## /, "").replace(/^No commits yet on /, "");
  const last = run(["log", "-1", "--format=%h %s"]);
  return [
    `branch ${branch}${last ? `, last commit ${last}` : ""}`,
    lines.length
      ? `${lines.length} changed file(s):\n${lines.slice(0, 20).join("\n")}${lines.length > 20 ? "\n…" : ""}`
      : "working tree clean",
  ].join("\n");
}

/** Instruction files, global first, then from the repository root down to cwd (nearer files can override). */
export function instructionFiles(cwd: string, home: string, root: string): string[] {
  const dirs: string[] = [];
  for (let d = cwd; ; d = dirname(d)) {
    dirs.unshift(d);
    if (d === root || dirname(d) === d) break;
  }
  const found = [home, ...dirs]
    .flatMap((d) => INSTRUCTION_FILES.map((f) => join(d, f)))
    .filter((f) => existsSync(f) && statSync(f).isFile());
  return [...new Set(found)];
}

export function projectContext(o: { cwd: string; home: string; now?: Date; platform?: string }): ProjectContext {
  const git = repoRoot(o.cwd);
  const root = git ?? o.cwd;
  const files = instructionFiles(o.cwd, o.home, root);
  let budget = CAP;
  const parts: string[] = [];
  for (const f of files) {
    let text = readFileSync(f, "utf8");
    if (Buffer.byteLength(text) > budget)
      text = `${text.slice(0, Math.max(0, budget))}\n[… cut: instruction files are limited to ${CAP / 1024} KB in total]`;
    budget -= Buffer.byteLength(text);
    parts.push(`<instructions file="${f}">\n${text.trim()}\n</instructions>`);
    if (budget <= 0) break;
  }
  const summary = git ? gitSummary(git) : undefined;
  const date = (o.now ?? new Date()).toISOString().slice(0, 10);
  const system = [
    "You are runcode, an AI coding agent working in the user's project through tools. Read before you change; make the smallest change that does the job; run the project's tests or checks when you can; when done, say briefly what you changed.",
    `Working directory: ${o.cwd}\nProject root: ${root}\nPlatform: ${o.platform ?? process.platform}\nDate: ${date}`,
    summary ? `Git status:\n${summary}` : "Not a git repository.",
    ...(parts.length ? ["The project's instructions (follow them):", ...parts] : []),
  ].join("\n\n");
  return { system, files, root, git: !!git };
}
