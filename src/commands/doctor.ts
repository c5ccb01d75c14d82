// `runcode doctor`: what works, what does not, and the one-line fix for each problem. The table (or JSON with
// --json) goes to stdout; exit 1 when any check fails. Warnings never change the exit code. See docs/install.md.
import { defineCommand } from "citty";
import { homedir } from "node:os";
import { EXIT } from "../core/errors";
import { homeDir, paths } from "../core/home";
import { runChecks } from "../doctor/run";
import type { CheckResult } from "../doctor/types";
import { isCompiled } from "../release/assets";
import { runEnv } from "../cli/secrets";
import { outColor as c } from "../cli/ui";

function table(results: CheckResult[]): string {
  const mark = { ok: c.green("✓"), warn: c.yellow("!"), fail: c.red("✗") } as const;
  const width = Math.max(...results.map((r) => r.label.length));
  const lines = results.map((r) => {
    const head = `${mark[r.status]} ${r.label.padEnd(width)}  ${r.detail}`;
    return r.fix ? `${head}\n  ${" ".repeat(width)}  ${c.dim("fix:")} ${r.fix}` : head;
  });
  const failed = results.filter((r) => r.status === "fail").length;
  const warned = results.filter((r) => r.status === "warn").length;
  const summary = failed ? c.red(`${failed} problem(s)`) : c.green("no problems");
  return `${lines.join("\n")}\n\n${summary}${warned ? `, ${warned} warning(s)` : ""}\n`;
}

export default defineCommand({
  meta: { name: "doctor", description: "Check the install, wallet, gateway, RPC, MCP, Claude Code and proxy setup" },
  args: {
    json: { type: "boolean", description: "print the results as JSON ({ok, checks:[{id,label,status,detail,fix,ms}]})" },
    timeout: { type: "string", description: "milliseconds per network check (default 1500)" },
  },
  async run({ args }) {
    const env = runEnv();
    const timeoutMs = Number(args.timeout) > 0 ? Number(args.timeout) : 1500;
    const results = await runChecks({
      env,
      paths: paths(homeDir(env)),
      cwd: process.cwd(),
      userHome: env.HOME || homedir(),
      execPath: process.execPath,
      compiled: isCompiled(),
      fetch: (input, init) => fetch(input, init),
      timeoutMs,
    });
    const failed = results.some((r) => r.status === "fail");
    process.stdout.write(args.json ? `${JSON.stringify({ ok: !failed, checks: results }, null, 2)}\n` : table(results));
    return failed ? EXIT.failure : EXIT.ok;
  },
});
