// The task format of `runcode bench` (docs/bench.md): a folder per task with task.json, files/ (the starting
// project) and check/ (hidden files, copied in only when the check runs). Built-in tasks and a user's --suite DIR
// are read into the same shape; a task that does not follow the format is refused with the file and the fix.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { ActionableError } from "../core/errors";

export const LANGUAGES = ["python", "typescript", "javascript", "go", "shell"] as const;
export type Language = (typeof LANGUAGES)[number];

export type Task = {
  id: string;
  language: Language;
  kind: string;
  title: string;
  instruction: string;
  /** Shell command run in the copy after the agent finished (check/ copied over it first); exit 0 = solved. */
  check: string;
  /** Programs the check needs (python3, bun, go, bash…): a task whose needs are missing is skipped, said why. */
  needs: string[];
  timeoutSeconds: number;
  /** Tokens a good run uses, for the estimate before any run of this task was measured. */
  typical: { input: number; output: number };
  /** Relative path → content, for files/ and check/. */
  files: Record<string, string>;
  hidden: Record<string, string>;
};

/** The task.json fields, checked; `where` names the file in messages. */
export function parseTask(json: unknown, where: string, id: string): Omit<Task, "files" | "hidden"> {
  const bad = (what: string) => new ActionableError(`${where}: ${what}`, "see docs/bench.md for the task format", "usage");
  if (!json || typeof json !== "object") throw bad("not a JSON object");
  const t = json as Record<string, unknown>;
  const str = (k: string) => {
    if (typeof t[k] !== "string" || !(t[k] as string).trim()) throw bad(`"${k}" must be a non-empty string`);
    return t[k] as string;
  };
  const language = str("language") as Language;
  if (!LANGUAGES.includes(language)) throw bad(`"language" must be one of ${LANGUAGES.join(", ")}`);
  if (t.id !== undefined && t.id !== id) throw bad(`"id" is "${String(t.id)}" but the folder is ${id}`);
  const typical = (t.typical ?? { input: 20_000, output: 2_000 }) as { input?: unknown; output?: unknown };
  if (!Number.isFinite(typical.input) || !Number.isFinite(typical.output)) throw bad(`"typical" must be { "input": n, "output": n }`);
  const timeout = t.timeoutSeconds ?? 120;
  if (!Number.isFinite(timeout) || (timeout as number) <= 0) throw bad(`"timeoutSeconds" must be a positive number`);
  const needs = t.needs ?? [];
  if (!Array.isArray(needs) || !needs.every((n) => typeof n === "string")) throw bad(`"needs" must be a list of program names`);
  return {
    id,
    language,
    kind: typeof t.kind === "string" ? t.kind : "task",
    title: typeof t.title === "string" ? t.title : id,
    instruction: str("instruction"),
    check: str("check"),
    needs: needs as string[],
    timeoutSeconds: timeout as number,
    typical: { input: typical.input as number, output: typical.output as number },
  };
}

const MAX_FILE = 256 * 1024;

/** Every file under `dir`, relative path → UTF-8 content. */
export function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(dir)) return out;
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const f = join(d, name);
      const st = statSync(f);
      if (st.isDirectory()) walk(f);
      else if (st.isFile()) {
        if (st.size > MAX_FILE) throw new ActionableError(`${f} is over 256 KB`, "bench tasks are small projects: trim it", "usage");
        out[relative(dir, f)] = readFileSync(f, "utf8");
      }
    }
  };
  walk(dir);
  return out;
}

/** A suite folder: one sub-folder per task (the built-in suite's layout, and a user's --suite DIR). */
export function readSuite(dir: string): Task[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new ActionableError(`no suite folder at ${dir}`, "pass a folder with one sub-folder per task (docs/bench.md)", "usage");
  const tasks: Task[] = [];
  for (const id of readdirSync(dir).sort()) {
    const folder = join(dir, id);
    if (!statSync(folder).isDirectory()) continue;
    const file = join(folder, "task.json");
    if (!existsSync(file)) continue;
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, "utf8"));
    } catch (err) {
      throw new ActionableError(`${file} is not valid JSON (${err instanceof Error ? err.message : String(err)})`, "fix the file", "usage");
    }
    tasks.push({ ...parseTask(json, file, id), files: readTree(join(folder, "files")), hidden: readTree(join(folder, "check")) });
  }
  if (!tasks.length) throw new ActionableError(`no tasks in ${dir}`, "each task is a folder with a task.json (docs/bench.md)", "usage");
  return tasks;
}
