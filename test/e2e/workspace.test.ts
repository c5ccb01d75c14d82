// One run assembly behind ask, edit and the REPL (agent/workspace.ts): where the two copies it replaced disagreed,
// these pin the behaviour chosen, through the real CLI for ask and an in-process REPL for the REPL.
import { Database } from "bun:sqlite";
import { afterEach, expect, test } from "bun:test";
import { join } from "node:path";
import { type FakeGateway, startFakeGateway } from "../fake-gateway";
import { jsonLines, runCli, tempDir } from "../helpers";
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

const rows = (home: string, sql: string) => {
  const db = new Database(join(home, "runcode.db"), { readonly: true });
  try {
    return db.query(sql).all() as Record<string, unknown>[];
  } finally {
    db.close();
  }
};
const offered = (body: { tools?: Array<{ name: string }> }) => (body.tools ?? []).map((t) => t.name).sort();

test("--jsonl: a failure before the run starts still opens the stream with session.started, and says why on stderr", async () => {
  gw = await startFakeGateway({ script: [{ text: "never" }] });
  const r = await runCli(["ask", "--jsonl", "-m", "nosuch-model-xyz", "hi"], { env: { RUNCODE_API_URL: gw.url } });
  expect(r.code).toBe(2);
  const events = jsonLines(r.stdout);
  expect(events.map((e) => e.type)).toEqual(["session.started", "result"]);
  expect(events[1]).toMatchObject({ ok: false, error: { code: "unknown_model" } });
  expect(r.stderr.trim().split("\n")).toEqual([`error: ${events[1].error.message}`]);
  expect(gw.calls().filter((c) => c.path.includes("/messages") || c.path.includes("/chat"))).toHaveLength(0);
});

test("--jsonl: a run that fails after it started prints the reason on stderr too", async () => {
  gw = await startFakeGateway({ script: [{ fault: { status: 400, body: JSON.stringify({ error: { message: "bad thing" } }) } }] });
  const r = await runCli(["ask", "--jsonl", "hi"], { env: { RUNCODE_API_URL: gw.url } });
  expect(r.code).not.toBe(0);
  const result = jsonLines(r.stdout).at(-1);
  expect(result.ok).toBe(false);
  expect(r.stderr).toContain(`error: ${result.error.message}`);
});

test("the route decision is stored with the request it decided (ask)", async () => {
  gw = await startFakeGateway({ script: [{ text: "routed" }] });
  const r = await runCli(["ask", "--jsonl", "-m", "free", "write a haiku"], { env: { RUNCODE_API_URL: gw.url } });
  expect(r.code).toBe(0);
  const route = jsonLines(r.stdout).find((e) => e.type === "route.decided");
  expect(route).toBeDefined();
  const stored = rows(r.home, "SELECT route FROM requests");
  expect(stored).toHaveLength(1);
  expect(JSON.parse(String(stored[0]!.route))).toMatchObject({ profile: route.profile, tier: route.tier, model: route.model });
});

test("the REPL on a terminal offers no tool its rules deny, as ask does not", async () => {
  h = await harness({ script: [{ text: "ok" }], deny: ["Bash", "Write"] });
  h.type("hello\r");
  await h.waitFor("── ");
  const names = offered(h.gw.calls()[0]!.body);
  expect(names).not.toContain("Bash");
  expect(names).not.toContain("Write");
  expect(names).toContain("Read");
  gw = await startFakeGateway({ script: [{ text: "ok" }] });
  const r = await runCli(["ask", "--deny", "Bash,Write", "hello"], { env: { RUNCODE_API_URL: gw.url } });
  expect(r.code).toBe(0);
  expect(offered(gw.calls().at(-1)!.body)).not.toContain("Bash");
});

test("a REPL that sent no message leaves no empty session behind", async () => {
  h = await harness();
  h.type("/exit\r");
  expect(await h.done).toBe(0);
  const home = h.home;
  await h.gw.stop();
  h = undefined;
  const r = await runCli(["sessions", "--json"], { home });
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout)).toEqual([]);
});

test("the REPL records usage with session-save off, as ask does: stats count every request", async () => {
  const home = tempDir("runcode-ws-home-");
  expect((await runCli(["config", "set", "session-save", "false"], { home })).code).toBe(0);
  h = await harness({ home, script: [{ text: "one", usage: { input: 30, output: 5 } }] });
  h.type("hello\r");
  await h.waitFor("── ");
  h.type("/exit\r");
  await h.done;
  expect(rows(home, "SELECT session, input, output FROM requests")).toEqual([{ session: null, input: 30, output: 5 }]);
  expect(rows(home, "SELECT id FROM sessions")).toEqual([]);
});

test("/clear starts the counters over with the new conversation", async () => {
  h = await harness({
    script: [
      { text: "first", usage: { input: 100, output: 10 } },
      { text: "second", usage: { input: 40, output: 4 } },
    ],
  });
  h.type("hello\r");
  await h.waitFor("── ");
  h.type("/clear\r");
  await h.waitFor("new session");
  const from = h.out().length;
  h.type("again\r");
  await h.waitFor("── ", from);
  h.type("/tokens\r");
  await h.waitFor("request(s)", from);
  expect(h.out().slice(from)).toContain("40 input + 4 output tokens over 1 request(s)");
});

test("/compact shows what happened through the one human renderer, as a turn would", async () => {
  // On a 262k-token window four short exchanges are all "recent": the summary cannot be smaller, and says so.
  const long = (n: number) => ({ text: `answer ${n}: ${"a long explanation of the code ".repeat(80)}` });
  h = await harness({ script: [long(1), long(2), { text: "Summary: two questions were answered." }] });
  for (const q of ["one", "two"]) {
    const at = h.out().length;
    h.type(`${q}\r`);
    await h.waitFor("── ", at);
  }
  const from = h.out().length;
  h.type("/compact\r");
  await h.waitFor(/compaction failed/, from);
  expect(h.out().slice(from)).toMatch(/^warning: compaction failed: \S/m);
});
