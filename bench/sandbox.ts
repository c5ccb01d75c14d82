// What the OS sandbox adds to a Bash call: `bash -c true` bare next to the same inside the bubblewrap sandbox
// runcode builds (workspace-write, network off), side by side with hyperfine. Target (issue 22): ≤ 10 ms p50 added.
// `ask` without Bash loads none of it (src/sandbox/ is imported only with --sandbox).
// Usage: bun bench/sandbox.ts [--runs 200]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSandbox } from "../src/sandbox";

const i = process.argv.indexOf("--runs");
const runs = i > 0 ? Number(process.argv[i + 1]) : 200;
const project = mkdtempSync(join(tmpdir(), "runcode-bench-sbx-"));
const home = mkdtempSync(join(tmpdir(), "runcode-bench-sbx-home-"));
const box = openSandbox({ mode: "workspace-write", root: project, home, secrets: [], network: false });
const quote = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;
const wrapped = box.wrap(["bash", "-c", "true"], { cwd: project }).map(quote).join(" ");
const hf = Bun.which("hyperfine");
if (!hf) throw new Error("hyperfine is needed: apt-get install hyperfine");
const r = Bun.spawnSync(
  [hf, "-N", "--warmup", "20", "--runs", String(runs), "--export-json", join(project, "out.json"), "bash -c true", wrapped],
  {
    stdout: "inherit",
    stderr: "inherit",
  },
);
if (r.exitCode === 0) {
  const res = (await Bun.file(join(project, "out.json")).json()).results as Array<{ median: number }>;
  const [bare, boxed] = res.map((x) => x.median * 1000);
  console.log(`\nmedian: bare ${bare!.toFixed(2)} ms, sandboxed ${boxed!.toFixed(2)} ms, added ${(boxed! - bare!).toFixed(2)} ms`);
}
box.dispose();
rmSync(project, { recursive: true, force: true });
rmSync(home, { recursive: true, force: true });
