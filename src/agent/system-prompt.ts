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

const started = new Map<string, Promise<string | undefined>>();

/**
 * Starts the project's git calls now (a front end calls this first thing, so git runs while the rest of runcode
 * loads); projectContext then uses them.
 */
export function prefetchProject(cwd: string) {
  const root = repoRoot(cwd);
  if (root && !started.has(root)) started.set(root, gitSummary(root));
}

/** Both git calls run at once, while the rest of the run is assembled: nothing waits on a synchronous spawn. */
async function gitSummary(root: string): Promise<string | undefined> {
  const run = async (args: string[]) => {
    try {
      const p = Bun.spawn(["git", ...args], { cwd: root, stdin: "ignore", stdout: "pipe", stderr: "ignore" });
      const [text, code] = await Promise.all([new Response(p.stdout).text(), p.exited]);
      return code === 0 ? text.trimEnd() : undefined;
    } catch {
      return undefined; // no git on PATH
    }
  };
  // `status -b` names the branch even before the first commit, where `rev-parse HEAD` fails.
  const [status, last] = await Promise.all([run(["status", "--porcelain=v1", "-b"]), run(["log", "-1", "--format=%h %s"])]);
  if (status === undefined) return undefined;
  const [head = "", ...lines] = status.split("\n").filter(Boolean);
  const branch = head.replace(/^## /, "").replace(/^No commits yet on /, "");
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

export async function projectContext(o: { cwd: string; home: string; now?: Date; platform?: string }): Promise<ProjectContext> {
  const git = repoRoot(o.cwd);
  const summary = git ? (started.get(git) ?? gitSummary(git)) : undefined;
  if (git) started.delete(git); // used once: a later workspace sees the tree as it is then
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
  const status = await summary;
  const date = (o.now ?? new Date()).toISOString().slice(0, 10);
  const system = [
    "You are runcode, an AI coding agent working in the user's project through tools. Read before you change; make the smallest change that does the job; run the project's tests or checks when you can; when done, say briefly what you changed.",
    `Working directory: ${o.cwd}\nProject root: ${root}\nPlatform: ${o.platform ?? process.platform}\nDate: ${date}`,
    status ? `Git status:\n${status}` : "Not a git repository.",
    ...(parts.length ? ["The project's instructions (follow them):", ...parts] : []),
  ].join("\n\n");
  return { system, files, root, git: !!git };
}
