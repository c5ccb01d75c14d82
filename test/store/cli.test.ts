// End to end: the real CLI against the fake gateway, with temp homes. Resume after kill -9, stats against the
// gateway's own request log, the sessions/stats commands, and the faults as the user sees them.
import { afterAll, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startFakeGateway, type FakeGateway } from "../fake-gateway";
import { cleanup, cliCommand, cliEnv, jsonLines, runCli, tempDir } from "../helpers";

const dirs: string[] = [];
const gws: FakeGateway[] = [];
afterAll(async () => {
  for (const g of gws) await g.stop();
  cleanup(...dirs);
});
const dir = () => {
  const d = tempDir("runcode-cli-store-");
  dirs.push(d);
  return d;
};
/** A runcode answering `prompt` in the latest session, which stays open (the script stalls it) until killed. */
const holding = (gw: FakeGateway, home: string, cwd: string, prompt: string) =>
  Bun.spawn([...cliCommand(), "ask", "-c", prompt], {
    cwd,
    env: cliEnv(home, { RUNCODE_API_URL: gw.url }),
    stdout: "pipe",
    stderr: "pipe",
  });

async function setup(script: Parameters<typeof startFakeGateway>[0] = {}) {
  const gw = await startFakeGateway(script);
  gws.push(gw);
  const home = dir();
  const cwd = dir();
  const run = (args: string[], env: Record<string, string> = {}) => runCli(args, { home, cwd, env: { RUNCODE_API_URL: gw.url, ...env } });
  return { gw, home, cwd, run };
}

test("kill -9 mid-turn loses only the answer in flight; ask -c resumes with the earlier messages", async () => {
  const { gw, home, cwd, run } = await setup({
    script: [{ text: "answer one" }, { text: "never finished", fault: "stall" }, { text: "answer three" }],
  });
  expect((await run(["ask", "first question"])).code).toBe(0);
  const proc = holding(gw, home, cwd, "second question");
  await gw.waitForCalls(2);
  expect(gw.calls()).toHaveLength(2);
  proc.kill("SIGKILL");
  expect(await proc.exited).not.toBe(0);
  const r = await run(["ask", "-c", "third question"]);
  expect(r.stdout).toBe("answer three\n");
  const earlier = [
    { role: "user", content: "first question" },
    { role: "assistant", content: [{ type: "text", text: "answer one" }] },
  ];
  expect(gw.calls()[1]!.body.messages).toEqual([...earlier, { role: "user", content: "second question" }]);
  expect(gw.calls()[2]!.body.messages).toEqual([...earlier, { role: "user", content: "second question\n\nthird question" }]);
  const list = jsonLines((await run(["sessions", "--json"])).stdout.replace(/\n(?!$)/g, ""))[0];
  expect(list).toHaveLength(1);
  expect(list[0]).toMatchObject({ turns: 3, messages: 5, cwd });
});

test("stats match the fake gateway's own request log", async () => {
  const { gw, run } = await setup({
    script: [
      { tools: [{ name: "Read", input: { file_path: "notes.txt" } }], usage: { input: 300, output: 40 } },
      { text: "read it", usage: { input: 420, output: 15 } },
      { text: "second", usage: { input: 1000, output: 200 } },
      { text: "third", usage: { input: 50, output: 5 } },
    ],
  });
  expect((await run(["ask", "read notes.txt"])).code).toBe(0);
  expect((await run(["ask", "-m", "nvidia/gpt-oss-120b", "hello"])).code).toBe(0);
  expect((await run(["ask", "--no-session", "-m", "nvidia/gpt-oss-120b", "again"])).code).toBe(0);
  const stats = JSON.parse((await run(["stats", "--json", "--by", "model"])).stdout);
  const byModel = new Map<string, number>();
  for (const c of gw.calls()) byModel.set(c.body.model, (byModel.get(c.body.model) ?? 0) + 1);
  expect(stats.groups.map((g: { key: string; requests: number }) => [g.key, g.requests])).toEqual([...byModel.entries()].sort());
  expect(stats.total).toMatchObject({
    requests: gw.calls().length,
    input: 300 + 420 + 1000 + 50,
    output: 40 + 15 + 200 + 5,
    usd: 0,
    fallbacks: 0,
  });
  expect(stats.total.savingsUsd).toBeCloseTo((1770 * 5 + 260 * 25) / 1e6, 9);
  expect(stats.total.p95Ms).toBeGreaterThanOrEqual(0);
  const sessions = JSON.parse((await run(["sessions", "--json"])).stdout);
  expect(sessions).toHaveLength(2); // --no-session saved nothing
  const show = JSON.parse((await run(["sessions", "show", sessions[1].id, "--json"])).stdout);
  expect(show.messages.map((m: { role: string }) => m.role)).toEqual(["user", "assistant", "user", "assistant"]);
  expect(show.messages[2].content[0]).toMatchObject({
    type: "tool_result",
    tool_use_id: gw.calls()[1]!.body.messages[2].content[0].tool_use_id,
  });
});

describe("sessions and stats commands", () => {
  test("list, show, export, search, rm, path; stats --clear asks unless --yes", async () => {
    const { home, run } = await setup({ script: [{ text: "the answer is forty-two" }, { text: "bananas are berries" }] });
    await run(["ask", "what is the answer"]);
    await run(["ask", "tell me a fruit fact"]);
    const list = (await run(["sessions"])).stdout.split("\n");
    expect(list[0]).toMatch(/^ID\s+UPDATED\s+TURNS\s+COST\s+MODEL\s+DIRECTORY\s+FIRST PROMPT$/);
    expect(list[1]).toContain("tell me a fruit fact");
    const [newest, oldest] = JSON.parse((await run(["sessions", "--json"])).stdout);
    expect(Object.keys(newest).sort()).toEqual(["bytes", "cwd", "id", "messages", "model", "started", "title", "turns", "updated", "usd"]);
    expect((await run(["sessions", "show", oldest.id])).stdout).toContain("the answer is forty-two");
    const md = (await run(["sessions", "export", oldest.id, "--format", "md"])).stdout;
    expect(md).toStartWith("# what is the answer\n");
    expect(md).toContain("## assistant\n\nthe answer is forty-two");
    const jsonl = jsonLines((await run(["sessions", "export", oldest.id, "--format", "jsonl"])).stdout);
    expect(jsonl).toEqual([
      { role: "user", content: "what is the answer" },
      { role: "assistant", content: [{ type: "text", text: "the answer is forty-two" }] },
    ]);
    expect((await run(["sessions", "export", oldest.id, "--format", "pdf"])).code).toBe(2);
    const hits = JSON.parse((await run(["sessions", "search", "banan", "--json"])).stdout);
    expect(hits.map((h: { session: string }) => h.session)).toEqual([newest.id]);
    expect((await run(["sessions", "path"])).stdout).toBe(`${join(home, "runcode.db")}\n`);
    expect((await run(["stats", "path"])).stdout).toBe(`${join(home, "runcode.db")}\n`);
    expect((await run(["sessions", "rm", newest.id.slice(0, 14)])).code).toBe(0);
    expect((await run(["sessions", "rm", "--older-than", "30d"])).stderr).toContain("removed 0 sessions");
    expect(JSON.parse((await run(["sessions", "--json"])).stdout).map((s: { id: string }) => s.id)).toEqual([oldest.id]);
    expect((await run(["sessions", "show", "ses_nope"])).stderr).toContain('no session "ses_nope"');
    const refused = await run(["stats", "--clear"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("runcode stats --clear --yes");
    expect((await run(["stats", "--clear", "--yes"])).stderr).toContain("cleared 2 request records");
    expect(JSON.parse((await run(["stats", "--json"])).stdout).total.requests).toBe(0);
    expect((await run(["stats", "--since", "soon"])).code).toBe(2);
  });

  test("session-save false saves nothing", async () => {
    const { home, run } = await setup({ script: [{ text: "a" }] });
    writeFileSync(join(home, "runcode-config.json"), JSON.stringify({ "session-save": "false" }));
    expect((await run(["ask", "q"])).code).toBe(0);
    expect(JSON.parse((await run(["sessions", "--json"])).stdout)).toEqual([]);
  });
});

describe("faults as the user sees them", () => {
  test("corrupt database: path and --repair; ask still answers; --repair keeps a backup", async () => {
    const { home, run } = await setup({ script: [{ text: "still here" }] });
    const db = join(home, "runcode.db");
    writeFileSync(db, Buffer.alloc(4096, 1));
    const r = await run(["sessions"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`the database ${db} is damaged (file is not a database): run \`runcode sessions --repair\``);
    const ask = await run(["ask", "q"]);
    expect(ask.stdout).toBe("still here\n");
    expect(ask.stderr).toContain("this session will not be saved");
    const fixed = await run(["sessions", "--repair"]);
    expect(fixed.code).toBe(0);
    expect(fixed.stderr).toContain("damaged database kept at");
    expect(readdirSync(home).some((f) => f.startsWith("runcode.db.damaged-"))).toBe(true);
    expect((await run(["sessions", "--json"])).stdout).toBe("[]\n");
  });

  test("database from a newer runcode: refused with the fix", async () => {
    const { home, run } = await setup();
    await run(["sessions"]);
    const db = new Database(join(home, "runcode.db"));
    db.run("INSERT INTO migrations (name, applied_at) VALUES ('store-200-later', 1)");
    db.close();
    const r = await run(["stats"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("was written by a newer runcode");
    expect(r.stderr).toContain("runcode upgrade");
  });

  test("read-only home: sessions go to a temp location with a warning", async () => {
    const { gw, cwd } = await setup({ script: [{ text: "fine" }] });
    const parent = dir();
    writeFileSync(join(parent, "not-a-dir"), "");
    const tmp = dir();
    mkdirSync(join(tmp, "x"));
    const env = { RUNCODE_API_URL: gw.url, TMPDIR: tmp };
    const home = join(parent, "not-a-dir", "home");
    const r = await runCli(["ask", "q"], { home, cwd, env });
    expect(r.stdout).toBe("fine\n");
    expect(r.stderr).toContain("sessions and stats go to");
    const fallback = readdirSync(tmp).find((f) => f.startsWith("runcode-"));
    expect(fallback && existsSync(join(tmp, fallback, "runcode.db"))).toBe(true);
  });
});

describe("two processes, one session", () => {
  test("ask -c while another runcode is in that conversation continues in a copy, named once; neither transcript interleaves", async () => {
    const { gw, home, cwd, run } = await setup({
      script: [{ text: "answer one" }, { text: "never finished", fault: "stall" }, { text: "answer other" }],
    });
    expect((await run(["ask", "first question"])).code).toBe(0);
    const first = jsonLines((await run(["sessions", "--json"])).stdout.replace(/\n(?!$)/g, ""))[0][0].id as string;
    const holder = holding(gw, home, cwd, "second question");
    await gw.waitForCalls(2);
    const other = await run(["ask", "-c", "other question"]);
    holder.kill("SIGKILL");
    await holder.exited;
    expect(other.code).toBe(0);
    expect(other.stdout).toBe("answer other\n");
    const note = other.stderr.split("\n").filter((l) => l.includes("in use by another runcode process"));
    expect(note).toHaveLength(1);
    const copy = /continuing in a copy of it: (ses_\w+)/.exec(note[0]!)?.[1];
    expect(note[0]).toContain(`session ${first} is in use by another runcode process (pid ${holder.pid})`);
    expect(copy).toBeDefined();
    // The copy starts from the holder's last finished turn: the prompt it was still answering is not in it.
    const earlier = [
      { role: "user", content: "first question" },
      { role: "assistant", content: [{ type: "text", text: "answer one" }] },
    ];
    expect(gw.calls()[2]!.body.messages).toEqual([...earlier, { role: "user", content: "other question" }]);
    const original = await run(["sessions", "show", first]);
    expect(original.stdout).toContain("second question");
    expect(original.stdout).not.toContain("other question");
    const forked = await run(["sessions", "show", copy!]);
    expect(forked.stdout).toContain("first question");
    expect(forked.stdout).toContain("other question");
    expect(forked.stdout).not.toContain("second question");
  });

  test("after the holder is gone (even by kill -9) the session is continued in place", async () => {
    const { gw, home, cwd, run } = await setup({
      script: [{ text: "answer one" }, { text: "never finished", fault: "stall" }, { text: "answer three" }],
    });
    await run(["ask", "first question"]);
    const holder = holding(gw, home, cwd, "second question");
    await gw.waitForCalls(2);
    holder.kill("SIGKILL");
    await holder.exited;
    const r = await run(["ask", "-c", "third question"]);
    expect(r.stderr).not.toContain("in use");
    const list = jsonLines((await run(["sessions", "--json"])).stdout.replace(/\n(?!$)/g, ""))[0];
    expect(list).toHaveLength(1);
  });
});

describe("damage and --repair", () => {
  const sql = (home: string, fn: (db: Database) => void) => {
    const db = new Database(join(home, "runcode.db"));
    try {
      fn(db);
    } finally {
      db.close();
    }
  };

  test("a table that is gone is damage with the repair hint, from any command; --repair rebuilds it", async () => {
    const { home, run } = await setup({ script: [{ text: "hi" }] });
    expect((await run(["ask", "q"])).code).toBe(0);
    sql(home, (db) => db.run("DROP TABLE payments"));
    const db = join(home, "runcode.db");
    for (const args of [["stats"], ["sessions"]]) {
      const r = await run(args);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(
        `error: the database ${db} is damaged (table payments missing): run \`runcode sessions --repair\` (it keeps a backup of the damaged file and rebuilds what can be read)\n`,
      );
    }
    const fixed = await run(["sessions", "--repair"]);
    expect(fixed.code).toBe(0);
    expect(fixed.stderr).toContain("found: table payments is missing");
    expect(fixed.stderr).toMatch(/recovered 1 sessions, 2 messages, 1 requests/);
    const stats = await run(["stats", "--json"]);
    expect(stats.code).toBe(0);
    expect(JSON.parse(stats.stdout).total.requests).toBe(1);
  });

  test("a damaged page is said with the repair hint where a read meets it", async () => {
    const { home, run } = await setup({ script: [{ text: "hi" }] });
    expect((await run(["ask", "q"])).code).toBe(0);
    const id = jsonLines((await run(["sessions", "--json"])).stdout.replace(/\n(?!$)/g, ""))[0][0].id as string;
    let root = 0;
    let pageSize = 0;
    sql(home, (db) => {
      root = Number(db.query<{ rootpage: number }, []>("SELECT rootpage FROM sqlite_master WHERE name = 'messages'").get()!.rootpage);
      pageSize = Number(db.query<{ page_size: number }, []>("PRAGMA page_size").get()!.page_size);
    });
    const file = join(home, "runcode.db");
    const bytes = readFileSync(file);
    bytes.fill(0xff, (root - 1) * pageSize, (root - 1) * pageSize + 64);
    writeFileSync(file, bytes);
    const r = await run(["sessions", "show", id]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `error: the database ${file} is damaged (database disk image is malformed): run \`runcode sessions --repair\` (it keeps a backup of the damaged file and rebuilds what can be read)\n`,
    );
    const fixed = await run(["sessions", "--repair"]);
    expect(fixed.code).toBe(0);
    expect(fixed.stderr).toContain("damaged database kept at");
    expect((await run(["sessions", "--json"])).code).toBe(0);
  });

  test("a healthy database is left alone; one another runcode has open is refused, whatever its state", async () => {
    const { gw, home, cwd, run } = await setup({ script: [{ text: "hi" }, { text: "never", fault: "stall" }] });
    await run(["ask", "q"]);
    const file = join(home, "runcode.db");
    const healthy = await run(["sessions", "--repair"]);
    expect(healthy.code).toBe(0);
    expect(healthy.stderr).toBe(`${file} passed its integrity check: nothing to repair\n`);
    expect(readdirSync(home).filter((f) => f.includes("damaged"))).toEqual([]);

    const holder = holding(gw, home, cwd, "more");
    await gw.waitForCalls(2);
    const busy = await run(["sessions", "--repair"]);
    holder.kill("SIGKILL");
    await holder.exited;
    expect(busy.code).toBe(1);
    expect(busy.stderr).toBe(
      `error: the database ${file} is in use by another runcode process (pid ${holder.pid}); nothing was changed: end it (for the background proxy: \`runcode daemon stop\`), then run \`runcode sessions --repair\` again\n`,
    );
    expect(readdirSync(home).filter((f) => f.includes("damaged"))).toEqual([]);
    expect((await run(["sessions", "--json"])).code).toBe(0);
  });
});
