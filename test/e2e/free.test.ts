// Without a wallet, free means free: routing profiles choose among the free models (and say so once), a paid model
// the user names is refused before anything is sent, with a fix that works.
import { afterEach, expect, test } from "bun:test";
import { FAKE_MODELS, type FakeGateway, startFakeGateway } from "../fake-gateway";
import { jsonLines, runCli } from "../helpers";
import { type Harness, harness } from "../repl/harness";

let gw: FakeGateway | undefined;
let h: Harness | undefined;
afterEach(async () => {
  await gw?.stop();
  gw = undefined;
  if (h) {
    h.end();
    await h.done;
    await h.gw.stop();
    h = undefined;
  }
});

const FREE = new Set(FAKE_MODELS.filter((m) => m.billing_mode === "free").map((m) => m.id));
const WITH_TOOLS = new Set(FAKE_MODELS.filter((m) => m.categories.includes("tools")).map((m) => m.id));
const modelCalls = (g: FakeGateway) => g.calls().filter((c) => c.method === "POST");
const NOTE = /warning: no wallet: the \w+ profile routes among the free models only/g;

for (const profile of ["auto", "eco", "premium"])
  for (const prompt of ["hi", "prove that the halting problem is undecidable, step by step, then write a parser for it"])
    test(`no wallet, -m ${profile} (${prompt.length > 10 ? "a hard prompt" : "a simple one"}): a free model with tools answers, said once`, async () => {
      gw = await startFakeGateway({ script: [{ text: "free answer" }, { text: "free answer" }] });
      const r = await runCli(["ask", "--jsonl", "-m", profile, prompt], { env: { RUNCODE_API_URL: gw.url } });
      expect(r.code).toBe(0);
      const [call] = modelCalls(gw);
      expect(FREE.has(call!.body.model)).toBe(true);
      // ask offers its read-only tools, so the routed model must support tools.
      expect(WITH_TOOLS.has(call!.body.model)).toBe(true);
      const events = jsonLines(r.stdout);
      expect(events.filter((e) => e.type === "warning" && e.code === "free_only")).toHaveLength(1);
      expect(events.find((e) => e.type === "route.decided").signals).toContain("no wallet: free models only");
      // A person sees it once, on stderr.
      const human = await runCli(["ask", "-m", profile, prompt], { env: { RUNCODE_API_URL: gw.url }, home: r.home });
      expect(human.stderr.match(NOTE)).toHaveLength(1);
    });

for (const name of ["flash", "gpt", "sonnet", "anthropic/claude-opus-4.6"])
  test(`no wallet, -m ${name}: refused before anything is sent, exit 3, and the fix works`, async () => {
    gw = await startFakeGateway({ script: [{ text: "free answer" }] });
    const env = { RUNCODE_API_URL: gw.url };
    const r = await runCli(["ask", "-m", name, "hi"], { env });
    expect(r.code).toBe(3);
    expect(modelCalls(gw)).toHaveLength(0);
    expect(r.stderr).toMatch(
      /^error: \S+ is a paid model and no wallet is set up: run `runcode setup` to create and fund one, or use a free model \(-m free, or a routing profile: auto, eco, premium\)\n$/,
    );
    const fixed = await runCli(["ask", "-m", "free", "hi"], { env, home: r.home });
    expect({ code: fixed.code, stdout: fixed.stdout }).toEqual({ code: 0, stdout: "free answer\n" });
  });

test("no wallet, REPL: /model sonnet is refused at the switch with the fix; messages keep going to the free model", async () => {
  h = await harness({ script: [{ text: "still free" }] });
  h.type("/model sonnet\r");
  await h.waitFor("is a paid model and no wallet is set up");
  const from = h.out().length;
  h.type("hello\r");
  await h.waitFor("── ", from);
  const after = h.out().slice(from);
  expect(after).toContain("still free");
  expect(after).not.toMatch(/failed|trying/);
  expect(FREE.has(h.gw.calls().filter((c) => c.method === "POST")[0]!.body.model)).toBe(true);
});

test("REPL: after a fallback the status line names the model that answered, not the one that failed", async () => {
  h = await harness({ script: [{ fault: { status: 503 } }, { text: "from the fallback" }] });
  h.type("hi\r");
  await h.waitFor(/── .*\n/);
  const [a, b] = h.gw.calls().filter((c) => c.method === "POST");
  expect(b!.body.model).not.toBe(a!.body.model);
  const status = h
    .out()
    .split("\n")
    .find((l) => l.startsWith("── "))!;
  expect(status.startsWith(`── ${b!.body.model} · `)).toBe(true);
});
