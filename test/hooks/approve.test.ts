// PreToolUse decisions where runcode can ask (the REPL on a terminal): the agent loop in-process against the fake
// gateway, with an approval function that records what it was asked. A hook's allow spares the question, its ask
// asks even for a call the rules allow, its deny wins over a user who would have said yes.
import { expect, test } from "bun:test";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ApprovalRequest } from "../../src/permissions/approve";
import { loadHooks } from "../../src/hooks/config";
import { Hooks } from "../../src/hooks/hooks";
import { tempDir } from "../helpers";
import { runScripted } from "../agent/harness";

function hooksAnswering(decision: string, reason: string): Hooks {
  const dir = tempDir("runcode-hooks-approve-");
  const out = { hookSpecificOutput: { hookEventName: "PreToolUse", permissionDecision: decision, permissionDecisionReason: reason } };
  const file = join(dir, "settings.json");
  writeFileSync(
    file,
    JSON.stringify({
      hooks: { PreToolUse: [{ matcher: "Bash", hooks: [{ type: "command", command: `echo '${JSON.stringify(out)}'` }] }] },
    }),
  );
  const { table, warnings } = loadHooks({ userFile: file, root: dir, trusted: false });
  expect(warnings).toEqual([]);
  return new Hooks(table, { session: () => "ses_test", cwd: () => dir, root: dir, env: { PATH: process.env.PATH }, mode: () => "default" });
}

async function run(decision: string, answer: "yes" | "no", policy: { allow?: string[] } = {}) {
  const asked: ApprovalRequest[] = [];
  const r = await runScripted([{ tools: [{ name: "Bash", input: { command: "touch made.txt" } }] }, { text: "done" }], {
    hooks: hooksAnswering(decision, "checked by the team hook"),
    policy,
    approve: async (q) => {
      asked.push(q);
      return answer;
    },
  });
  return { ...r, asked, made: existsSync(join(r.root, "made.txt")) };
}

test("allow: a call the rules would ask about runs without the question", async () => {
  const r = await run("allow", "no");
  expect(r.asked).toEqual([]);
  expect(r.made).toBe(true);
});

test("ask: a call the rules allow is asked about, with the hook's reason", async () => {
  const r = await run("ask", "no", { allow: ["Bash"] });
  expect(r.asked.map((q) => q.reason)).toEqual(["a PreToolUse hook asks for approval: checked by the team hook"]);
  expect(r.made).toBe(false);
  const yes = await run("ask", "yes", { allow: ["Bash"] });
  expect(yes.made).toBe(true);
});

test("deny wins: nothing is asked and the call does not run", async () => {
  const r = await run("deny", "yes", { allow: ["Bash"] });
  expect(r.asked).toEqual([]);
  expect(r.made).toBe(false);
  expect(r.events.find((e) => e.type === "tool.denied")).toMatchObject({
    reason: "blocked by a PreToolUse hook: checked by the team hook",
  });
});
