// The built-in suite through `runcode bench` itself (the binary carries it, inlined at build time): a scripted model
// that writes each task's reference solution (test/fixtures/bench-solutions) solves it, one per language; a model
// that changes nothing fails every one. This is the runner's copy, check env (bun on PATH, Go offline) and verdict
// working on real tasks, not only on the test's own small suite.
import { afterEach, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { type FakeGateway, type Recorded, type Reply, startFakeGateway } from "../fake-gateway";
import { cleanup, ROOT, runCli, tempDir } from "../helpers";

const TASKS = ["python-fix-slugify", "typescript-fix-deep-merge", "go-implement-rle", "shell-parse-ini"];
const SOLVER = "nvidia/qwen3-coder-480b";
const IDLE = "nvidia/gpt-oss-120b";

let gw: FakeGateway | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await gw?.stop();
  gw = undefined;
  cleanup(...dirs.splice(0));
});

function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d, { withFileTypes: true }))
      n.isDirectory() ? walk(join(d, n.name)) : out.push(relative(dir, join(d, n.name)));
  };
  walk(dir);
  return out;
}

/** Which task a request is for: its instruction is the first user message. */
const instructions = Object.fromEntries(
  TASKS.map((id) => [id, JSON.parse(readFileSync(join(ROOT, "src/bench/tasks", id, "task.json"), "utf8")).instruction as string]),
);
const taskOf = (rec: Recorded) =>
  TASKS.find((id) => JSON.stringify(rec.body?.messages?.[0] ?? "").includes(JSON.stringify(instructions[id]).slice(1, 40)))!;
const stage = (rec: Recorded) => (rec.body?.messages ?? []).filter((m: { role: string }) => m.role === "assistant").length;

function solver(rec: Recorded): Reply {
  if (rec.body?.model === IDLE) return { text: "I looked; nothing to change." };
  const id = taskOf(rec);
  const sol = join(ROOT, "test/fixtures/bench-solutions", id);
  const paths = files(sol);
  const existing = paths.filter((p) => existsSync(join(ROOT, "src/bench/tasks", id, "files", p)));
  if (stage(rec) === 0 && existing.length) return { tools: existing.map((p) => ({ name: "Read", input: { file_path: p } })) };
  if (stage(rec) <= 1)
    return { tools: paths.map((p) => ({ name: "Write", input: { file_path: p, content: readFileSync(join(sol, p), "utf8") } })) };
  return { text: "done" };
}

test("the built-in tasks run through the runner: the reference solution passes each, doing nothing fails each", async () => {
  gw = await startFakeGateway({ script: Array.from({ length: 100 }, () => solver) });
  const home = tempDir("runcode-bench-builtin-");
  dirs.push(home);
  const r = await runCli(["bench", "-m", `${SOLVER},${IDLE}`, "--tasks", TASKS.join(","), "--json"], {
    home,
    env: { RUNCODE_API_URL: gw.url },
    timeoutMs: 120_000,
  });
  expect(r.code).toBe(0);
  const rep = JSON.parse(r.stdout);
  const by = Object.fromEntries(rep.models.map((m: { model: string }) => [m.model, m]));
  expect(by[SOLVER]).toMatchObject({ cells: 4, passes: 4 });
  expect(by[IDLE]).toMatchObject({ cells: 4, passes: 0, errors: 0, timeouts: 0 });
  expect(rep.tasks.map((t: { task: string; solvedBy: string[] }) => [t.task, t.solvedBy])).toEqual(TASKS.map((t) => [t, [SOLVER]]).sort());
}, 180_000);
