// `runcode doctor`: what works, what does not, and the one-line fix for each problem. The table (or JSON with
// --json) goes to stdout; exit 1 when any check fails. Warnings never change the exit code. See docs/install.md.
import { out } from "../cli/io";
import { defineCommand } from "citty";
import { EXIT } from "../core/errors";
import { machine, table } from "../doctor/report";
import { runChecks } from "../doctor/run";
import { runEnv } from "../cli/secrets";
import { outColor } from "../cli/ui";

export default defineCommand({
  meta: { name: "doctor", description: "Check the install, wallet, gateway, RPC, MCP, Claude Code and proxy setup" },
  args: {
    json: { type: "boolean", description: "print the results as JSON ({ok, checks:[{id,label,status,detail,fix,ms}]})" },
    timeout: { type: "string", description: "milliseconds per network check (default 1500)" },
  },
  async run({ args }) {
    const results = await runChecks(machine(runEnv(), Number(args.timeout) > 0 ? Number(args.timeout) : undefined));
    const failed = results.some((r) => r.status === "fail");
    out(args.json ? `${JSON.stringify({ ok: !failed, checks: results }, null, 2)}\n` : table(results, outColor));
    return failed ? EXIT.failure : EXIT.ok;
  },
});
