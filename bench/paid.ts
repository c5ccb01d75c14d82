#!/usr/bin/env bun
// A paid `runcode ask` next to a free one, with hyperfine, against the local fake gateway (x402 server side on):
//   free          ask -m nvidia/qwen3-coder-480b                 (no wallet code loads)
//   paid, signed up front   ask -m anthropic/claude-sonnet-4.6  (a quote kept from an earlier run: one HTTP request)
//   paid, 402 first         the same, its kept quote deleted before each run (402 → sign → resend)
// Target (issue 17): a paid turn costs at most 10% more wall time than a free one. Medians, in a small git project,
// catalog cache warm (a user's second run).
// Usage: bun bench/paid.ts [path/to/binary | path/to/main.ts | --source] [--runs N]. Without one it uses (and builds
// when missing) dist/runcode-linux-x64, as bench/ask.ts does. A binary from before pre-signing is measured as a baseline.
import { Database } from "bun:sqlite";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startFakeGateway } from "../test/fake-gateway";
import { fakeX402 } from "../test/fake-x402";

const ROOT = resolve(import.meta.dir, "..");
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf("--runs") + 1]) || 30;
const source = args.includes("--source");
let cmd: string[];
const given = args.find((a) => !a.startsWith("--") && existsSync(a));
if (source) cmd = [process.execPath, join(ROOT, "src/main.ts")];
else if (given) cmd = given.endsWith(".ts") ? [process.execPath, resolve(given)] : [resolve(given)];
else {
  const dist = join(ROOT, "dist");
  const find = () => (existsSync(dist) ? readdirSync(dist).find((f) => f === "runcode-linux-x64") : undefined);
  if (!find())
    Bun.spawnSync(["bun", "scripts/build-binaries.ts", "--host-only", "--no-smoke"], { cwd: ROOT, stdout: "inherit", stderr: "inherit" });
  cmd = [join(dist, find()!)];
}

const home = mkdtempSync(join(tmpdir(), "runcode-bench-paid-"));
const project = mkdtempSync(join(tmpdir(), "runcode-bench-paid-proj-"));
for (const c of [
  ["init", "-q"],
  ["-c", "user.name=b", "-c", "user.email=b@x", "commit", "-q", "--allow-empty", "-m", "start"],
])
  Bun.spawnSync(["git", ...c], { cwd: project, stdout: "ignore", stderr: "ignore" });
await Bun.write(join(project, "README.md"), "# bench\n");

const x402 = fakeX402();
const gw = await startFakeGateway({ intercept: x402.intercept, script: [] });
const env: Record<string, string> = {
  PATH: process.env.PATH ?? "",
  HOME: home,
  RUNCODE_HOME: home,
  NO_COLOR: "1",
  RUNCODE_API_URL: gw.url,
  // A fixed test key: the fake gateway holds no balances, so every payment settles.
  BLOCKRUN_WALLET_KEY: `0x${"22".repeat(32)}`,
};
const FREE = "nvidia/qwen3-coder-480b";
const PAID = "anthropic/claude-sonnet-4.6";
const ask = (model: string) => [...cmd, "ask", "-q", "-m", model, "hi"];

async function run(argv: string[]) {
  const p = Bun.spawn(argv, { cwd: project, env, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  if (code !== 0) throw new Error(`${argv.join(" ")} exited ${code}: ${err || out}`);
}
// Budgets wide enough for hundreds of paid runs; the catalog cache warmed; a quote kept by one paid run.
await run([...cmd, "config", "set", "max-usd-per-day", "100000"]);
await run(ask(FREE));
await run(ask(PAID));
const db = join(home, "runcode.db");
const kept = (() => {
  try {
    return (new Database(db).query("SELECT count(*) AS n FROM quotes").get() as { n: number }).n > 0;
  } catch {
    return false; // a binary from before pre-signed payments: measured as the baseline
  }
})();
if (!kept) console.log("the paid warm-up run kept no quote: pre-signing is not in effect (baseline)");

// hyperfine's --prepare runs before every timed run of the 402-first command: it forgets the kept quote.
const forget = join(home, "forget.ts");
await Bun.write(forget, `import { Database } from "bun:sqlite"; new Database(${JSON.stringify(db)}).exec("DELETE FROM quotes");`);
const json = join(home, "hyperfine.json");

async function hyperfine(extra: string[]) {
  const p = Bun.spawn(["hyperfine", "-N", "--warmup", "3", "--runs", String(runs), "--export-json", json, ...extra], {
    cwd: project,
    env,
    stdout: "inherit",
    stderr: "inherit",
  });
  if ((await p.exited) !== 0) throw new Error("hyperfine failed (is it installed? apt-get install hyperfine)");
  return (JSON.parse(readFileSync(json, "utf8")) as { results: Array<{ median: number; mean: number; stddev: number }> }).results;
}

const q = (argv: string[]) => argv.map((a) => (/[\s"']/.test(a) ? JSON.stringify(a) : a)).join(" ");
const before = gw.calls().length;
const label = kept ? "paid, signed up front" : "paid";
const [free, presigned] = await hyperfine(["-n", "free", q(ask(FREE)), "-n", label, q(ask(PAID))]);
// Model calls per paid run: the free runs (warm-up included) make one each.
const callsPerPaid = (gw.calls().length - before - (runs + 3)) / (runs + 3);
const [first402] = kept ? await hyperfine(["-n", "paid, 402 first", "--prepare", q([process.execPath, forget]), q(ask(PAID))]) : [];
await gw.stop();
rmSync(home, { recursive: true, force: true });
rmSync(project, { recursive: true, force: true });

const ms = (s: number) => `${(s * 1000).toFixed(1)} ms`;
const vs = (s: number) => `${s >= free!.median ? "+" : ""}${((s / free!.median - 1) * 100).toFixed(0)}% (${ms(s - free!.median)})`;
console.log(`\n${source ? "from source" : cmd[0]!.replace(`${ROOT}/`, "")}, ${runs} runs each, medians`);
console.log(`free ask                      ${ms(free!.median)}`);
console.log(`${`${label.replace("paid", "paid ask")}`.padEnd(30)}${ms(presigned!.median)}  ${vs(presigned!.median)}   (target ≤ +10%)`);
if (first402) console.log(`paid ask, 402 first           ${ms(first402.median)}  ${vs(first402.median)}`);
console.log(`HTTP requests per paid ask    ${callsPerPaid.toFixed(2)}`);
