// Output budgets (src/router/budget.ts) as the gateway sees them: the max_tokens each request carries, and answers
// that stop at their budget continued with a larger one until they are whole, text and tool calls alike.
import { afterEach, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type FakeGateway, type Reply, startFakeGateway } from "../fake-gateway";
import { runCli, tempDir } from "../helpers";

let gw: FakeGateway | undefined;
afterEach(async () => {
  await gw?.stop();
  gw = undefined;
});

const MODEL = ["-m", "nvidia/qwen3-coder-480b"];
async function run(cmd: string, args: string[], replies: Reply[], config: Record<string, string> = {}, cwd?: string) {
  gw = await startFakeGateway({ script: replies });
  const home = tempDir();
  for (const [k, v] of Object.entries(config)) expect((await runCli(["config", "set", k, v], { home })).code).toBe(0);
  const r = await runCli([cmd, ...MODEL, ...args], { home, cwd, env: { RUNCODE_API_URL: gw.url } });
  return { ...r, budgets: gw.calls().map((c) => c.body.max_tokens as number) };
}

const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`).join(" ");

test("ask sends the MEDIUM budget, not max-tokens; client and fixed modes are what they say", async () => {
  expect((await run("ask", ["say pong"], [{ text: "pong" }])).budgets).toEqual([4096]);
  expect((await run("ask", ["say pong"], [{ text: "pong" }], { "output-budget": "client" })).budgets).toEqual([8192]);
  expect(
    (await run("ask", ["say pong"], [{ text: "pong" }], { "output-budget": "fixed", "output-budget-tokens": "1500" })).budgets,
  ).toEqual([1500]);
  // Write tools offered: twice the budget only when the prompt asks for writing.
  expect((await run("edit", ["why is it slow?"], [{ text: "because" }])).budgets).toEqual([4096]);
  expect((await run("edit", ["create a README"], [{ text: "ok" }])).budgets).toEqual([8192]);
  // The floor holds, and the upper bound (--max-tokens) wins over the budget.
  expect((await run("ask", ["--max-tokens", "600", "say pong"], [{ text: "pong" }])).budgets).toEqual([600]);
});

test("an answer that stops at its budget is continued with a larger one until it is whole", async () => {
  const long = words(4000); // about 5,600 fake tokens: past 4096, within 8192
  const r = await run("ask", ["write a lot"], [{ text: long }]);
  expect(r.code).toBe(0);
  expect(r.stdout).toBe(`${long}\n`);
  expect(r.budgets).toEqual([4096, 8192]);
});

test("at the upper bound itself the answer is still continued (a few more times)", async () => {
  const long = words(2000); // about 2,700 fake tokens
  const r = await run("ask", ["--max-tokens", "1000", "write a lot"], [{ text: long }]);
  expect(r.code).toBe(0);
  expect(r.stdout).toBe(`${long}\n`);
  expect(r.budgets).toEqual([1000, 1000, 1000]);
});

for (const narration of ["Writing it.", undefined])
  test(`a Write cut mid-JSON is never run; it is asked for again with a larger budget and then written whole (${narration ? "after text" : "alone"})`, async () => {
    const cwd = tempDir();
    const body = `${"x".repeat(70)}\n`.repeat(600); // 43 KB of file: past the 8192-token budget of a write-capable run
    const r = await run(
      "edit",
      ["--allow", "Write", "--max-tokens", "16000", "write big.txt"],
      [{ text: narration, tools: [{ name: "Write", input: { file_path: "big.txt", content: body } }] }, { text: "done" }],
      {},
      cwd,
    );
    expect(r.stderr).not.toContain("invalid");
    expect(r.code).toBe(0);
    expect(readFileSync(join(cwd, "big.txt"), "utf8")).toBe(body);
    expect(r.budgets).toEqual([8192, 16000, 8192]);
    // The second request asked for the call again: the cut one was not in the conversation (after text, a note was;
    // alone, the same request went again with the larger budget).
    const [first, second] = gw!.calls().map((c) => JSON.stringify(c.body.messages));
    expect(second).not.toContain("__invalid_json");
    if (narration) expect(second).toContain("that call was not run");
    else expect(second).toBe(first!);
  });
