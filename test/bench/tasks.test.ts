// The built-in task suite of `runcode bench` (src/bench/tasks/, format in docs/bench.md): every task.json is valid,
// the suite covers the languages, and each task's check FAILS on the starting files and PASSES once the reference
// solution (test/fixtures/bench-solutions/<id>/, kept out of the binary) is laid over them. The copies are made the
// way the runner makes them, from text with no file modes, so a check that relied on an executable bit would fail.
import { describe, expect, test } from "bun:test";
import { mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { requireDeps } from "../../scripts/test-deps";
import { readSuite } from "../../src/bench/format";
import { ROOT, tempDir } from "../helpers";

const TASKS = join(ROOT, "src", "bench", "tasks");
const SOLUTIONS = join(ROOT, "test", "fixtures", "bench-solutions");
const LANGUAGES = ["python", "typescript", "javascript", "go", "shell"];
const MAX_FILE = 16 * 1024;

const ids = readdirSync(TASKS)
  .filter((d) => statSync(join(TASKS, d)).isDirectory())
  .sort();

type TaskJson = {
  id: string;
  language: string;
  kind: string;
  title: string;
  instruction: string;
  check: string;
  needs: string[];
  timeoutSeconds: number;
  typical: { input: number; output: number };
};

const readTask = (id: string): TaskJson => JSON.parse(readFileSync(join(TASKS, id, "task.json"), "utf8"));

/** Relative paths of every file under `dir` (none when it does not exist). */
function walk(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir, { recursive: true }) as string[];
  } catch {
    return [];
  }
  return names.filter((n) => statSync(join(dir, n)).isFile()).sort();
}

/** Copies `src` over `dest` as the runner does: text content only, no file modes. */
function overlay(src: string, dest: string): void {
  for (const rel of walk(src)) {
    const to = join(dest, rel);
    mkdirSync(dirname(to), { recursive: true });
    writeFileSync(to, readFileSync(join(src, rel), "utf8"));
  }
}

// The checks' environment: `bun` is the Bun running these tests (a symlink in a folder put first on PATH, as the
// runner guarantees for a compiled runcode); HOME and Go's caches are temp dirs of this test process; no network.
let env: Record<string, string> | undefined;
function checkEnv(): Record<string, string> {
  if (env) return env;
  const bin = tempDir("bench-bin-");
  symlinkSync(process.execPath, join(bin, "bun"));
  const home = tempDir("bench-home-");
  env = {
    PATH: `${bin}:${process.env.PATH ?? "/usr/bin:/bin"}`,
    HOME: home,
    TMPDIR: process.env.TMPDIR ?? "/tmp",
    LANG: "C.UTF-8",
    GOCACHE: join(home, "go-build"),
    GOPATH: join(home, "go"),
    GOPROXY: "off",
    GOTOOLCHAIN: "local",
    GOFLAGS: "",
    NO_COLOR: "1",
  };
  return env;
}

/** Fails with the install command when a program a task needs is missing (go is in scripts/test-deps.ts). */
function requireNeeds(needs: string[]): void {
  for (const need of needs) {
    if (need === "bun") continue;
    if (need === "go") requireDeps("go");
    else if (!Bun.which(need)) throw new Error(`missing ${need}, which the bench tasks' checks need`);
  }
}

async function runCheck(dir: string, command: string, timeoutSeconds: number): Promise<{ code: number; output: string }> {
  // coreutils' timeout kills the check's whole process group (go test's children included) when it runs over.
  const timeout = Bun.which("timeout");
  const cmd = timeout ? [timeout, "-k", "5", String(timeoutSeconds), "bash", "-c", command] : ["bash", "-c", command];
  const proc = Bun.spawn(cmd, {
    cwd: dir,
    env: checkEnv(),
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
    timeout: (timeoutSeconds + 10) * 1000,
    killSignal: "SIGKILL",
  });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { code, output: `${stdout}${stderr}`.slice(-4000) };
}

test("the suite has at least 26 tasks, at least 6 per language (TypeScript and JavaScript together)", () => {
  expect(ids.length).toBeGreaterThanOrEqual(26);
  const per: Record<string, number> = { python: 0, "ts/js": 0, go: 0, shell: 0 };
  for (const id of ids) {
    const lang = readTask(id).language;
    const key = lang === "typescript" || lang === "javascript" ? "ts/js" : lang;
    per[key] = (per[key] ?? 0) + 1;
  }
  for (const [lang, n] of Object.entries(per)) expect({ lang, n: n >= 6 }).toEqual({ lang, n: true });
});

test("the runner reads the built-in suite", () => {
  const tasks = readSuite(TASKS);
  expect(tasks.map((t) => t.id)).toEqual(ids);
  for (const t of tasks) expect(Object.keys(t.files).length).toBeGreaterThan(0);
});

describe.each(ids)("%s", (id) => {
  const folder = join(TASKS, id);
  const task = readTask(id);

  test("task.json is valid", () => {
    for (const key of ["id", "language", "kind", "title", "instruction", "check"] as const) {
      expect({ key, ok: typeof task[key] === "string" && task[key].trim() !== "" }).toEqual({ key, ok: true });
    }
    expect(task.id).toBe(id);
    expect(LANGUAGES).toContain(task.language);
    expect(id.startsWith(`${task.language}-`)).toBe(true);
    expect(Array.isArray(task.needs) && task.needs.length > 0 && task.needs.every((n) => typeof n === "string")).toBe(true);
    expect(task.timeoutSeconds).toBeGreaterThan(0);
    expect(task.typical.input).toBeGreaterThan(0);
    expect(task.typical.output).toBeGreaterThan(0);
    // The agent is never told about the hidden check.
    expect(task.instruction).not.toMatch(/_check|hidden|check\//i);
  });

  test("the starting files are small UTF-8 text, with a reference solution beside them", () => {
    const files = walk(join(folder, "files"));
    expect(files.length).toBeGreaterThan(0);
    for (const rel of [...files.map((f) => join("files", f)), ...walk(join(folder, "check")).map((f) => join("check", f))]) {
      const bytes = readFileSync(join(folder, rel));
      if (rel.startsWith("files")) expect({ rel, size: bytes.length <= MAX_FILE }).toEqual({ rel, size: true });
      expect({ rel, utf8: Buffer.from(bytes.toString("utf8"), "utf8").equals(bytes) && !bytes.includes(0) }).toEqual({ rel, utf8: true });
    }
    expect(walk(join(SOLUTIONS, id)).length).toBeGreaterThan(0);
  });

  test(
    "the check fails on the starting files and passes with the reference solution",
    async () => {
      requireNeeds(task.needs);
      const start = tempDir(`bench-${id}-start-`);
      overlay(join(folder, "files"), start);
      overlay(join(folder, "check"), start);
      const before = await runCheck(start, task.check, task.timeoutSeconds);
      if (before.code === 0) throw new Error(`${id}: the check passes on the starting files:\n${before.output}`);
      // 126/127: a missing program or a file run without its executable bit; 124/137: a timeout. Not honest failures.
      if ([124, 126, 127, 137].includes(before.code))
        throw new Error(`${id}: the check did not run on the starting files (exit ${before.code}):\n${before.output}`);

      const solved = tempDir(`bench-${id}-solved-`);
      overlay(join(folder, "files"), solved);
      overlay(join(SOLUTIONS, id), solved);
      overlay(join(folder, "check"), solved);
      const after = await runCheck(solved, task.check, task.timeoutSeconds);
      if (after.code !== 0) throw new Error(`${id}: the check fails with the reference solution (exit ${after.code}):\n${after.output}`);
    },
    (2 * task.timeoutSeconds + 30) * 1000,
  );
});
