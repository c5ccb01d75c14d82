// Claude Code pointed straight at the team server with a developer token: its defaults (Opus, 32,000 max_tokens,
// adaptive thinking) are paid from the team wallet at the output budget that fits, and a developer over budget sees
// the team's one line, once.
import { afterEach, expect, test } from "bun:test";
import { claude } from "../claude";
import { cleanup, jsonLines } from "../helpers";
import { serve, teamMachine, type Served, type Team } from "./setup";

let t: Team | undefined;
let s: Served | undefined;
afterEach(async () => {
  await s?.stop();
  await t?.gw.stop();
  if (t) cleanup(t.home);
  t = s = undefined;
});

test("claude -p through the team server with a developer token: answered, paid by the team, audited under the developer", async () => {
  t = await teamMachine({ script: Array.from({ length: 6 }, () => ({ text: "pong" })) });
  const token = await t.add("cc@example.com", "--budget", "5");
  s = await serve(t);
  const r = await claude(["say pong"], { baseUrl: `${s.url}/api`, token });
  expect({ code: r.code, out: r.out.trim(), err: r.err.slice(0, 500) }).toMatchObject({ code: 0, out: "pong" });
  cleanup(r.home);
  const main = t.gw.calls().find((c) => c.body.model === "anthropic/claude-opus-4.6" && c.headers["payment-signature"]);
  expect(main).toBeDefined();
  expect(main!.body.max_tokens).toBeLessThanOrEqual(4096); // the output budget, not Claude Code's 32,000
  const audit = jsonLines((await t.team(["audit", "--json", "--user", "cc@example.com"])).stdout);
  expect(audit.some((a) => /^claude-opus-/.test(a.model_asked) && a.model_served === "anthropic/claude-opus-4.6" && a.status === 200)).toBe(
    true,
  );
  expect(audit.every((a) => /claude-cli|claude-code/i.test(a.client ?? ""))).toBe(true);
  const paid = t.x402.settled.reduce((n, p) => n + p.amount, 0n);
  expect(paid).toBeGreaterThan(0n);
  const me = JSON.parse((await t.team(["list", "--json"])).stdout)[0];
  expect(me.spent).toBe(`$${(Number(paid) / 1e6).toFixed(6).replace(/0{1,4}$/, "")}`);
}, 90_000);

test("a developer over budget sees the team's refusal in Claude Code exactly, once; nothing is paid", async () => {
  t = await teamMachine({ script: [{ text: "never" }] });
  const token = await t.add("poor@example.com", "--budget", "0.01");
  s = await serve(t);
  const r = await claude(["say pong"], { baseUrl: `${s.url}/api`, token });
  cleanup(r.home);
  expect(r.code).toBe(1);
  expect(r.out.trim()).toMatch(
    /^API Error: 402 poor@example\.com has \$0\.01 of \$0\.01 left this week, and this request needs \$0\.\d+: ask your team admin to raise it \(`runcode team budget poor@example\.com <usd>`\), or use a free model with -m free$/,
  );
  expect(r.out).not.toMatch(/login|API key/i);
  expect(t.x402.settled).toEqual([]);
}, 90_000);
