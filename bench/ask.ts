#!/usr/bin/env bun
// Startup and first-answer cost of the compiled binary, next to a compiled Bun hello-world (the floor):
//   `runcode --version`                      median ≤ 10 ms, ≤ 40 MB RSS; ≤ 1.5× the floor
//   `echo hi | runcode ask x` (instant fake)  median ≤ 40 ms, ≤ 60 MB RSS, one HTTP request per turn; ≤ 4× the floor
//   spawn → the model request reaching the gateway                                               ≤ 3× the floor
// Runs in a small git project (a commit, a changed file), as a user's would be.
// Usage: bun bench/ask.ts [path/to/binary] [--runs N]. Builds the host binary when none is given and dist/ has none.
import { existsSync, mkdtempSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startFakeGateway } from "../test/fake-gateway";

const ROOT = resolve(import.meta.dir, "..");
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf("--runs") + 1]) || 30;
let bin = args.find((a) => !a.startsWith("--") && existsSync(a));
if (bin) bin = resolve(bin);
if (!bin) {
  const dist = join(ROOT, "dist");
  const find = () => (existsSync(dist) ? readdirSync(dist).find((f) => /^runcode-linux-x64$/.test(f)) : undefined);
  if (!find())
    Bun.spawnSync(["bun", "scripts/build-binaries.ts", "--host-only", "--no-smoke"], { cwd: ROOT, stdout: "inherit", stderr: "inherit" });
  bin = join(dist, find()!);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const home = mkdtempSync(join(tmpdir(), "runcode-bench-"));

// Bun's resourceUsage() counts the forked parent's pages, so peak RSS comes from GNU time when it is installed.
const gnuTime = existsSync("/usr/bin/time") ? ["/usr/bin/time", "-f", "RSSKB=%M"] : [];

const project = mkdtempSync(join(tmpdir(), "runcode-bench-proj-"));
for (const c of [
  ["init", "-q"],
  ["-c", "user.name=b", "-c", "user.email=b@x", "commit", "-q", "--allow-empty", "-m", "start"],
])
  Bun.spawnSync(["git", ...c], { cwd: project, stdout: "ignore", stderr: "ignore" });
await Bun.write(join(project, "README.md"), "# bench\n");
/** When the latest model request reached the fake gateway (performance.now() of this process). */
let requestAt = 0;

async function measure(cmd: string[], env: Record<string, string>, stdin?: string) {
  const times: number[] = [];
  const firstRequest: number[] = [];
  const rss: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    requestAt = 0;
    const p = Bun.spawn(cmd, {
      cwd: project,
      env: { PATH: process.env.PATH ?? "", HOME: home, RUNCODE_HOME: home, NO_COLOR: "1", ...env },
      stdin: stdin ? new Blob([stdin]) : "ignore",
      stdout: "pipe",
      stderr: "pipe",
    });
    await new Response(p.stdout).text();
    const code = await p.exited;
    times.push(performance.now() - t);
    if (requestAt) firstRequest.push(requestAt - t);
    if (code !== 0) throw new Error(`${cmd.join(" ")} exited ${code}: ${await new Response(p.stderr).text()}`);
    if (gnuTime.length) {
      const q = Bun.spawn([...gnuTime, ...cmd], {
        cwd: project,
        env: { PATH: process.env.PATH ?? "", HOME: home, RUNCODE_HOME: home, NO_COLOR: "1", ...env },
        stdin: stdin ? new Blob([stdin]) : "ignore",
        stdout: "ignore",
        stderr: "pipe",
      });
      const err = await new Response(q.stderr).text();
      await q.exited;
      rss.push(Number(/RSSKB=(\d+)/.exec(err)?.[1] ?? 0) / 1024);
    } else rss.push((p.resourceUsage()?.maxRSS ?? 0) / 1048576);
  }
  return { ms: median(times), rssMb: median(rss), firstRequestMs: firstRequest.length ? median(firstRequest) : undefined };
}

const gw = await startFakeGateway({
  script: [],
  intercept: (req) => {
    if (req.method === "POST") requestAt ||= performance.now();
    return undefined;
  },
});
const env = { RUNCODE_API_URL: gw.url };
// Warm the catalog cache as a user's second run would have it.
await measure([bin, "ask", "-q", "warm"], env, "hi");
const before = gw.requests.length;
// Side by side in the same run: a compiled Bun hello-world is the floor for any Bun binary.
const hello = join(home, "hello");
await Bun.write(join(home, "hello.ts"), 'console.log("hi")');
Bun.spawnSync(["bun", "build", "--compile", "--minify", join(home, "hello.ts"), "--outfile", hello], {
  stdout: "ignore",
  stderr: "ignore",
});
const floor = existsSync(hello) ? await measure([hello], {}) : undefined;
const version = await measure([bin, "--version"], {});
const ask = await measure([bin, "ask", "-q", "x"], env, "hi");
const perTurn = (gw.requests.length - before) / (runs * (gnuTime.length ? 2 : 1));
await gw.stop();

const size = statSync(bin).size / 1048576;
console.log(`binary               ${bin!.replace(`${ROOT}/`, "")}  ${size.toFixed(1)} MB`);
console.log(`--version            median ${version.ms.toFixed(1)} ms   RSS ${version.rssMb.toFixed(1)} MB   (budget ≤ 10 ms, ≤ 40 MB)`);
const x = (ms: number | undefined) => (floor && ms ? ` = ${(ms / floor.ms).toFixed(2)}× the floor` : "");
if (floor) console.log(`bun hello-world      median ${floor.ms.toFixed(1)} ms   RSS ${floor.rssMb.toFixed(1)} MB   (floor)`);
console.log(`--version / floor    ${x(version.ms).slice(3) || "n/a"}   (target ≤ 1.5×)`);
console.log(
  `echo hi | ask x      median ${ask.ms.toFixed(1)} ms   RSS ${ask.rssMb.toFixed(1)} MB${x(ask.ms)}   (budget ≤ 40 ms, ≤ 60 MB; ≤ 4×)`,
);
if (ask.firstRequestMs)
  console.log(`spawn → request      median ${ask.firstRequestMs.toFixed(1)} ms${x(ask.firstRequestMs)}   (target ≤ 3×)`);
console.log(`HTTP requests/turn   ${perTurn.toFixed(2)}   (budget 1)`);
console.log(`runs                 ${runs} each`);
