// What `runcode doctor` and the REPL's /doctor show: every check run against this machine, as a table with the
// one-line fix under each problem.
import { homedir } from "node:os";
import type { Colors } from "picocolors/types";
import { homeDir, paths } from "../core/home";
import { isCompiled } from "../release/assets";
import type { CheckResult, DoctorContext } from "./types";

/** The machine as the checks see it; `env` is runcode's own copy of the environment (cli/secrets.ts runEnv). */
export function machine(env: NodeJS.ProcessEnv, timeoutMs = 1500): DoctorContext {
  return {
    env,
    paths: paths(homeDir(env)),
    cwd: process.cwd(),
    userHome: env.HOME || homedir(),
    execPath: process.execPath,
    compiled: isCompiled(),
    fetch: (input, init) => fetch(input, init),
    timeoutMs,
  };
}

export function table(results: CheckResult[], c: Colors): string {
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
