// The shell rules through the real CLI (the compiled binary when RUNCODE_TEST_BIN is set, where the bash grammar
// must load from the embedded wasm): a scripted model tries to walk commands past a deny and an allow rule.
import { afterAll, expect, test } from "bun:test";
import { existsSync, realpathSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startFakeGateway, type FakeGateway, type ToolCall } from "../fake-gateway";
import { jsonLines, runCli, tempDir } from "../helpers";

const gateways: FakeGateway[] = [];
afterAll(async () => {
  for (const g of gateways) await g.stop();
});

async function ask(flags: string[], tools: ToolCall[], cwd: string) {
  const gw = await startFakeGateway({ script: [{ tools }, { text: "done" }] });
  gateways.push(gw);
  const r = await runCli(["ask", "--jsonl", ...flags, "go"], { cwd, env: { RUNCODE_API_URL: gw.url }, timeoutMs: 30_000 });
  const denied = jsonLines(r.stdout)
    .filter((e) => e.type === "tool.denied")
    .map((e) => e.reason as string);
  return { ...r, denied };
}

const bash = (command: string): ToolCall => ({ name: "Bash", input: { command } });

test("--trust --deny 'Bash(rm *)' stops rm however it is spelled; --allow 'Bash(git *)' does not run what git's line hides", async () => {
  const dir = realpathSync(tempDir("runcode-shell-e2e-"));
  Bun.spawnSync(["git", "init", "-q"], { cwd: dir });
  writeFileSync(join(dir, "victim"), "keep me");
  writeFileSync(join(dir, "victim2"), "keep me too");

  const rm = await ask(["--trust", "--deny", "Bash(rm *)"], [bash("/bin/rm victim"), bash("bash -c 'rm victim2'")], dir);
  expect(rm.code).toBe(0);
  expect(existsSync(join(dir, "victim")) && existsSync(join(dir, "victim2"))).toBe(true);
  expect(rm.denied).toEqual(["denied by the rule Bash(rm *)", "denied by the rule Bash(rm *)"]);

  const git = await ask(["--allow", "Bash(git *)"], [bash("git diff <(touch pwned)"), bash("git status --short")], dir);
  expect(git.code).toBe(0);
  expect(existsSync(join(dir, "pwned"))).toBe(false);
  expect(git.denied).toEqual([
    "Bash needs permission to run `touch pwned` (no allow rule covers it), and this run cannot ask (non-interactive): rerun with --allow 'Bash(touch *)' or --trust",
  ]);
  // The plain git call beside it ran.
  expect(jsonLines(git.stdout).some((e) => e.type === "tool.completed" && e.tool === "Bash" && e.ok)).toBe(true);
});
