// `runcode bench` end to end (the compiled binary in CI) against the fake gateway with the x402 server side, on a
// small suite of its own (test/fixtures/bench-suite): scripted models that fix the task, break it, hang and fail;
// pass rates, costs equal to the gateway's settled payments, the confirmation and --max-usd, resume after kill -9
// without paying twice, the HTML report, and no write outside a task's copy.
import { afterEach, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type FakeGateway, type Recorded, type Reply, startFakeGateway } from "../fake-gateway";
import { fakeX402 } from "../fake-x402";
import { cleanup, cliCommand, cliEnv, jsonLines, ROOT, runCli, tempDir, waitFor } from "../helpers";
import { walletEnv } from "../wallet";

const SUITE = join(ROOT, "test", "fixtures", "bench-suite");
const GOOD = "nvidia/qwen3-coder-480b";
const BAD = "nvidia/gpt-oss-120b";
const HANG = "nvidia/llama-4-maverick";
const PAID = "anthropic/claude-sonnet-4.6";
const FAILING = "anthropic/claude-haiku-4.5";
const FIX: Record<string, string> = {
  "shell-greet": 'echo "hello, $1"\n',
  "shell-sum": 's=0; for n in "$@"; do s=$((s + n)); done; echo "$s"\n',
};
const file = (task: string) => (task === "shell-greet" ? "greet.sh" : "sum.sh");

let gw: FakeGateway | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await gw?.stop();
  gw = undefined;
  cleanup(...dirs.splice(0));
});

const taskOf = (rec: Recorded) => (JSON.stringify(rec.body?.messages?.[0] ?? "").includes("greet.sh") ? "shell-greet" : "shell-sum");
/** How many model turns this cell had before this request: 0 → read the file, 1 → write it, then done. */
const stage = (rec: Recorded) => (rec.body?.messages ?? []).filter((m: { role: string }) => m.role === "assistant").length;

/** Each model's behaviour, by request content (cells run in parallel): write a fix, write a wrong one, hang, fail. */
function model(outside?: string, hangOnce?: { task: string; hung?: boolean }): (rec: Recorded) => Reply {
  return (rec) => {
    const m = rec.body?.model as string;
    const task = taskOf(rec);
    if (m === HANG) return { fault: "hang" };
    if (hangOnce && !hangOnce.hung && task === hangOnce.task) {
      hangOnce.hung = true;
      return { fault: "hang" };
    }
    if (m === FAILING)
      return { fault: { status: 400, body: JSON.stringify({ error: { type: "invalid_request_error", message: "scripted failure" } }) } };
    if (stage(rec) === 0) return { tools: [{ name: "Read", input: { file_path: file(task) } }] };
    if (stage(rec) > 1) return { text: "done" };
    const content = m === BAD ? "echo nope\n" : FIX[task]!;
    const tools = [{ name: "Write", input: { file_path: file(task), content } }];
    if (outside)
      tools.push({ name: "Write", input: { file_path: join(outside, "written.txt"), content: "x" } }, {
        name: "Bash",
        input: { command: `echo x > ${join(outside, "bashed.txt")}` },
      } as never);
    return { tools };
  };
}

async function setup(o: { paid?: boolean; outside?: string; hangOnce?: { task: string } } = {}) {
  const x402 = fakeX402(); // priced from the catalog, as runcode predicts: paid calls are signed up front
  const reply = model(o.outside, o.hangOnce);
  gw = await startFakeGateway({ intercept: x402.intercept, script: Array.from({ length: 400 }, () => reply) });
  const home = tempDir("runcode-bench-");
  dirs.push(home);
  const env = { RUNCODE_API_URL: gw.url, ...(o.paid ? walletEnv() : {}) };
  const bench = (args: string[], extra: Record<string, string> = {}) =>
    runCli(["bench", "--suite", SUITE, ...args], { home, env: { ...env, ...extra }, timeoutMs: 60_000 });
  return { x402, home, env, bench };
}

test("free models: the one that fixes the tasks passes, the one that breaks them fails, a hanging one times out; the report says so", async () => {
  const { bench, home } = await setup();
  const html = join(home, "report.html");
  const r = await bench(["-m", `${GOOD},${BAD},${HANG}`, "--json", "--html", html]);
  expect(r.code).toBe(0);
  const rep = JSON.parse(r.stdout);
  const by = Object.fromEntries(rep.models.map((m: { model: string }) => [m.model, m]));
  expect(by[GOOD]).toMatchObject({ cells: 2, passes: 2, passRate: 1, usd: 0 });
  expect(by[BAD]).toMatchObject({ cells: 2, passes: 0, passRate: 0 });
  expect(by[HANG]).toMatchObject({ cells: 2, passes: 0, timeouts: 2 });
  expect(by[GOOD].ci[0]).toBeGreaterThan(0.15); // Wilson 95% for 2/2
  expect(rep.tasks.map((t: { task: string; solvedBy: string[] }) => [t.task, t.solvedBy])).toEqual([
    ["shell-greet", [GOOD]],
    ["shell-sum", [GOOD]],
  ]);
  expect(rep.recommendation).toBe(`for these tasks, ${GOOD} solves 100% at $0/task`);
  // Free models cost nothing, so nothing was asked; each cell's progress went to stderr, the report to stdout.
  expect(r.stderr).toContain(`✓ ${GOOD} shell-greet pass`);
  expect(r.stderr).toContain(`✗ ${HANG} shell-sum timeout`);
  const page = readFileSync(html, "utf8");
  expect(page).toContain(`<th scope="row">${GOOD}</th><td>100%</td>`);
  expect(page).toContain(`<th scope="row">${BAD}</th><td>0%</td>`);
  expect(page).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  // The run is in the store: `bench report` shows it again, with the same figures.
  const runs = await runCli(["bench", "report"], { home });
  const id = runs.stdout.split(/\s+/)[0]!;
  expect(id).toMatch(/^bench_/);
  const again = JSON.parse((await runCli(["bench", "report", id, "--json"], { home })).stdout);
  expect(again.models).toEqual(rep.models);
  // Routing feedback: each tier's best measured model becomes that tier's primary, with its undo.
  const applied = await runCli(["bench", "report", id, "--apply-routing", "auto"], { home });
  expect(applied.code).toBe(0);
  const key = /set (routing\.tiers\.auto\.\w+\.primary) = (\S+)/.exec(applied.stderr);
  expect(key?.[2]).toBe(GOOD);
  expect((await runCli(["config", "get", key![1]!], { home })).stdout.trim()).toBe(GOOD);
  expect(applied.stderr).toContain(`undo with \`runcode config unset ${key![1]}\``);
  const other = await bench(["-m", GOOD, "--tasks", "shell-greet", "--json"]);
  const otherId = JSON.parse(other.stdout).run;
  const cmp = await runCli(["bench", "report", id, "--compare", otherId], { home });
  expect(cmp.stdout).toContain(GOOD);
  expect(cmp.stdout).toMatch(/100% \$0\/solved\s+100% \$0\/solved/);
}, 90_000);

test("paid models: the estimate is shown and confirmed; what the report says was spent is what the gateway settled", async () => {
  const { bench, x402 } = await setup({ paid: true });
  const ask = await bench(["-m", `${GOOD},${PAID}`]);
  expect(ask.code).toBe(2);
  expect(ask.stderr).toMatch(/bench would spend about \$0\.\d+: pass --yes to go ahead \(and --max-usd N for a hard limit\)/);
  expect(ask.stderr).toMatch(new RegExp(`${PAID.replace(/[./]/g, "\\$&")}\\s+2 cells\\s+~\\$0\\.\\d+`));
  expect(x402.settled).toHaveLength(0);

  const r = await bench(["-m", `${GOOD},${PAID},${FAILING}`, "--yes", "--jsonl", "-j", "1"]);
  expect(r.code).toBe(0);
  const lines = jsonLines(r.stdout);
  const cells = lines.filter((l) => l.type === "cell");
  expect(cells).toHaveLength(6);
  const summary = lines.at(-1);
  const paid = summary.models.find((m: { model: string }) => m.model === PAID);
  expect(paid).toMatchObject({ passes: 2, cells: 2 });
  const settled = x402.settled.reduce((n, p) => n + Number(p.amount), 0) / 1e6;
  expect(settled).toBeGreaterThan(0);
  expect(summary.usd).toBeCloseTo(settled, 6);
  expect(paid.usd).toBeCloseTo(settled, 6);
  expect(summary.models.find((m: { model: string }) => m.model === FAILING)).toMatchObject({ passes: 0, errors: 2 });
  // Free cells run first (one at a time here, so they also finish first).
  expect(cells.slice(0, 2).every((c) => c.model === GOOD)).toBe(true);
}, 90_000);

test("--max-usd is a hard limit held by the payment guards: cells past it are refused, nothing over it is signed", async () => {
  const { bench, x402 } = await setup({ paid: true });
  // What one cell costs (three paid calls), measured on one task first.
  const one = JSON.parse((await bench(["-m", PAID, "--tasks", "shell-greet", "--yes", "--json"])).stdout).usd as number;
  expect(one).toBeGreaterThan(0);
  const spentBefore = x402.settled.reduce((n, p) => n + p.amount, 0n);
  const limit = (one * 1.5).toFixed(6);
  const r = await bench(["-m", PAID, "--yes", "--max-usd", limit, "-j", "1", "--json"]);
  expect(r.code).toBe(0);
  const rep = JSON.parse(r.stdout);
  const spent = Number(x402.settled.reduce((n, p) => n + p.amount, 0n) - spentBefore) / 1e6;
  expect(spent).toBeLessThanOrEqual(Number(limit));
  expect(rep.models[0]).toMatchObject({ model: PAID, passes: 1, errors: 1 });
  expect(rep.usd).toBeCloseTo(spent, 6);
  expect(r.stderr).toContain(`refused: this run's --max-usd ($${Number(limit)}) is spent`);
}, 90_000);

test("kill -9 mid-run, then --resume: finished cells are kept and not paid again; the rest run", async () => {
  const { bench, x402, home, env } = await setup({ paid: true, hangOnce: { task: "shell-sum" } });
  const proc = Bun.spawn([...cliCommand(), "bench", "--suite", SUITE, "-m", PAID, "--yes", "-j", "1"], {
    cwd: home,
    env: cliEnv(home, env),
    stdout: "pipe",
    stderr: "pipe",
  });
  const stderr: string[] = [];
  void (async () => {
    for await (const c of proc.stderr) stderr.push(new TextDecoder().decode(c));
  })();
  // The greet cell passes and is recorded; the sum cell's first call hangs: the run is killed there.
  await waitFor(() => stderr.join("").includes(`✓ ${PAID} shell-greet pass`), { what: "the first cell", timeoutMs: 30_000 });
  await waitFor(() => gw!.calls().some((c) => taskOf(c) === "shell-sum"), { what: "the second cell to start" });
  proc.kill("SIGKILL");
  await proc.exited;
  const id = /bench (bench_\w+): /.exec(stderr.join(""))?.[1];
  expect(id).toBeDefined();
  const greet = () => gw!.calls().filter((c) => taskOf(c) === "shell-greet").length;
  const before = greet();
  expect(before).toBeGreaterThanOrEqual(3);

  const resumed = await bench(["--resume", id!, "--yes", "--json"]);
  expect(resumed.code).toBe(0);
  expect(resumed.stderr).toContain("1 cells (2 tasks × 1 models × 1 runs, the rest of an interrupted run)");
  const rep = JSON.parse(resumed.stdout);
  expect(rep.models[0]).toMatchObject({ model: PAID, cells: 2, passes: 2 });
  expect(greet()).toBe(before); // the finished cell was not run, nor paid for, again
  const greetUsd = rep.models[0].usd;
  expect(greetUsd).toBeGreaterThan(0);
  expect(x402.settled.filter((p) => p.model === PAID).length).toBeGreaterThanOrEqual(6);
}, 90_000);

test("a task's agent cannot write outside its temp copy (Write and Bash alike); the task itself still passes", async () => {
  const outside = tempDir("runcode-outside-");
  dirs.push(outside);
  const { bench } = await setup({ outside });
  const r = await bench(["-m", GOOD, "--tasks", "shell-greet", "--json"]);
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout).models[0]).toMatchObject({ passes: 1 });
  expect(existsSync(join(outside, "written.txt"))).toBe(false);
  expect(existsSync(join(outside, "bashed.txt"))).toBe(false);
}, 60_000);
