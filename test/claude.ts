// The real Claude Code CLI (`claude -p`, a dev dependency) for tests: a temp HOME, every non-essential network
// feature off, so it talks only to the base URL it is given (a proxy or a team server on loopback).
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ROOT, tempDir } from "./helpers";

export const CLAUDE = join(ROOT, "node_modules", ".bin", "claude");

export async function claude(args: string[], o: { baseUrl: string; token: string; env?: Record<string, string> }) {
  // A dev dependency: `npm install` brings it, so its absence is a broken install, not a reason to skip.
  if (!existsSync(CLAUDE)) throw new Error("node_modules/.bin/claude is missing: run npm install");
  const home = tempDir("runcode-claude-");
  const proc = Bun.spawn([CLAUDE, "-p", ...args], {
    cwd: home,
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: home,
      ANTHROPIC_BASE_URL: o.baseUrl,
      ANTHROPIC_AUTH_TOKEN: o.token,
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
      DISABLE_TELEMETRY: "1",
      DISABLE_AUTOUPDATER: "1",
      DISABLE_ERROR_REPORTING: "1",
      CLAUDE_CODE_USE_BEDROCK: "",
      ...o.env,
    },
    stdout: "pipe",
    stderr: "pipe",
  });
  const timer = setTimeout(() => proc.kill("SIGKILL"), 60_000);
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  clearTimeout(timer);
  return { out, err, code, home };
}
