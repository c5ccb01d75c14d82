// The agent end to end through the real CLI (compiled binary when RUNCODE_TEST_BIN is set) on the fake gateway.
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startFakeGateway, type FakeGateway, type Script } from "../fake-gateway";
import { cliCommand, cliEnv, jsonLines, runCli, tempDir } from "../helpers";
import { assertEvents } from "../schema";

const gateways: FakeGateway[] = [];
afterAll(async () => {
  for (const g of gateways) await g.stop();
});

function project(files: Record<string, string> = {}): string {
  const dir = realpathSync(tempDir("runcode-e2e-"));
  Bun.spawnSync(["git", "init", "-q"], { cwd: dir });
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(join(dir, p, ".."), { recursive: true });
    writeFileSync(join(dir, p), c);
  }
  return dir;
}

async function run(args: string[], script: Script[], o: { cwd: string; home?: string; stdin?: string }) {
  const gw = await startFakeGateway({ script });
  gateways.push(gw);
  const r = await runCli(args, {
    cwd: o.cwd,
    home: o.home,
    stdin: o.stdin,
    env: { RUNCODE_API_URL: gw.url, RUNCODE_NO_RIPGREP: "1" },
    timeoutMs: 30_000,
  });
  const events = args.includes("--jsonl") ? jsonLines(r.stdout) : [];
  if (events.length) assertEvents(events);
  return { ...r, events, gw, offered: (n = 0) => (gw.calls()[n]?.body.tools ?? []).map((t: { name: string }) => t.name) };
}

/** tool_result contents the gateway received in request n. */
const results = (gw: FakeGateway, n: number) =>
  (gw.calls()[n]!.body.messages.at(-1).content as Array<{ content: unknown; is_error?: boolean }>).map((b) => b.content);

test("a scripted multi-step task: Grep → Read → MultiEdit two files atomically → Bash test command streams", async () => {
  const dir = project({
    "src/user.ts": "export function getUser() {\n  return 1;\n}\n",
    "src/main.ts": "import { getUser } from './user';\nconsole.log(getUser());\n",
    "check.sh": "echo checking; grep -q fetchUser src/main.ts && echo PASS\n",
  });
  const r = await run(
    ["edit", "--jsonl", "--allow", "Bash(sh *)", "rename getUser to fetchUser"],
    [
      { text: "Searching.", tools: [{ name: "Grep", input: { pattern: "getUser", output_mode: "files_with_matches" } }] },
      {
        tools: [
          { name: "Read", input: { file_path: "src/user.ts" } },
          { name: "Read", input: { file_path: "src/main.ts" } },
        ],
      },
      {
        tools: [
          {
            name: "MultiEdit",
            input: {
              edits: [
                { file_path: "src/user.ts", old_string: "getUser", new_string: "fetchUser" },
                { file_path: "src/main.ts", old_string: "getUser", new_string: "fetchUser", replace_all: true },
              ],
            },
          },
        ],
      },
      { tools: [{ name: "Bash", input: { command: "sh check.sh", description: "run the check" } }] },
      { text: "Renamed getUser to fetchUser in 2 files." },
    ],
    { cwd: dir },
  );
  expect(r.code).toBe(0);
  expect(readFileSync(join(dir, "src/user.ts"), "utf8")).toBe("export function fetchUser() {\n  return 1;\n}\n");
  expect(readFileSync(join(dir, "src/main.ts"), "utf8")).toBe("import { fetchUser } from './user';\nconsole.log(fetchUser());\n");
  // What the model received back, call by call.
  expect(results(r.gw, 1)).toEqual(["src/main.ts\nsrc/user.ts"]);
  expect(results(r.gw, 2)).toEqual([
    "     1\texport function getUser() {\n     2\t  return 1;\n     3\t}\n",
    "     1\timport { getUser } from './user';\n     2\tconsole.log(getUser());\n",
  ]);
  expect(results(r.gw, 3)).toEqual(["applied 2 edit(s) to src/user.ts, src/main.ts"]);
  expect(results(r.gw, 4)).toEqual(["checking\nPASS\n"]);
  const seq = r.events
    .map((e) => (e.type.startsWith("tool.") ? `${e.type}:${e.tool ?? e.text}` : e.type))
    .filter((t) => t !== "usage" && t !== "text.delta");
  expect(seq).toEqual([
    "session.started",
    "turn.started",
    "tool.started:Grep",
    "tool.completed:Grep",
    "turn.completed",
    "turn.started",
    "tool.started:Read",
    "tool.completed:Read",
    "tool.started:Read",
    "tool.completed:Read",
    "turn.completed",
    "turn.started",
    "turn.completed",
    "tool.started:MultiEdit",
    "tool.completed:MultiEdit",
    "turn.started",
    "turn.completed",
    "tool.started:Bash",
    "tool.output:checking",
    "tool.output:PASS",
    "tool.completed:Bash",
    "turn.started",
    "turn.completed",
    "file.changed",
    "file.changed",
    "result",
  ]);
  expect(r.events.filter((e) => e.type === "file.changed").map((e) => e.path)).toEqual(["src/user.ts", "src/main.ts"]);
  expect(r.events.at(-1)).toMatchObject({ ok: true, text: "Renamed getUser to fetchUser in 2 files.", turns: 5 });
  // ask and edit offer different tools: edit gets the write tools, Bash only because it was allowed
  expect(r.offered()).toEqual([
    "Read",
    "Write",
    "Edit",
    "MultiEdit",
    "Bash",
    "Glob",
    "Grep",
    "WebFetch",
    "WebSearch",
    "Task",
    "AskUser",
    "SubAgent",
  ]);
});

test("Bash output streams live through the CLI: `a` arrives while the command still waits to write `b`", async () => {
  const dir = project();
  // The command writes `b` only once the file `go` exists, and the test creates it only on reading `a`'s tool.output
  // event: output held back until the command ends would leave it waiting until its 10 s timeout killed it.
  const command = "echo a; until [ -e go ]; do sleep 0.01; done; echo b";
  const gw = await startFakeGateway({ script: [{ tools: [{ name: "Bash", input: { command, timeout: 10_000 } }] }, { text: "done" }] });
  gateways.push(gw);
  const home = tempDir();
  const proc = Bun.spawn([...cliCommand(), "ask", "--jsonl", "--trust", "run it"], {
    cwd: dir,
    env: cliEnv(home, { RUNCODE_API_URL: gw.url }),
    stdout: "pipe",
    stderr: "pipe",
  });
  const seen: string[] = [];
  let buf = "";
  for await (const chunk of proc.stdout) {
    buf += new TextDecoder().decode(chunk);
    let nl: number;
    while ((nl = buf.indexOf("\n")) >= 0) {
      const e = JSON.parse(buf.slice(0, nl));
      buf = buf.slice(nl + 1);
      if (e.type === "tool.output") {
        seen.push(`output ${e.text}`);
        if (e.text === "a") writeFileSync(join(dir, "go"), "");
      }
      if (e.type === "tool.completed") seen.push(`completed ${e.ok ? "ok" : e.output}`);
    }
  }
  expect(await proc.exited).toBe(0);
  expect(seen).toEqual(["output a", "output b", "completed ok"]);
});

describe("permission modes through the CLI", () => {
  const write = { name: "Write", input: { file_path: "new.txt", content: "x" } };
  const bash = { name: "Bash", input: { command: "touch made-by-bash" } };

  test("ask (default): read-only tools only; a write or Bash call is denied, never blocks", async () => {
    const dir = project();
    const r = await run(["ask", "--jsonl", "hi"], [{ tools: [write, bash] }, { text: "ok" }], { cwd: dir });
    expect(r.offered()).toEqual(["Read", "Glob", "Grep", "WebFetch", "WebSearch", "Task", "AskUser", "SubAgent"]);
    expect(r.events.filter((e) => e.type === "tool.denied").map((e) => e.tool)).toEqual(["Write", "Bash"]);
    expect(existsSync(join(dir, "new.txt")) || existsSync(join(dir, "made-by-bash"))).toBe(false);
    expect(r.code).toBe(0);
  });
  test("ask --allow Bash and --trust", async () => {
    const dir = project();
    const a = await run(["ask", "--jsonl", "--allow", "Bash", "hi"], [{ tools: [write, bash] }, { text: "ok" }], { cwd: dir });
    expect(a.events.filter((e) => e.type === "tool.denied").map((e) => e.tool)).toEqual(["Write"]);
    expect(existsSync(join(dir, "made-by-bash"))).toBe(true);
    const t = await run(["ask", "--jsonl", "--trust", "hi"], [{ tools: [write] }, { text: "ok" }], { cwd: dir });
    expect(t.events.some((e) => e.type === "tool.denied")).toBe(false);
    expect(existsSync(join(dir, "new.txt"))).toBe(true);
  });
  test("edit (default): writes inside the project, Bash denied, outside paths denied", async () => {
    const dir = project();
    const r = await run(
      ["edit", "--jsonl", "go"],
      [{ tools: [write, bash, { name: "Write", input: { file_path: "/tmp/runcode-outside.txt", content: "x" } }] }, { text: "ok" }],
      { cwd: dir },
    );
    expect(readFileSync(join(dir, "new.txt"), "utf8")).toBe("x");
    expect(r.events.filter((e) => e.type === "tool.denied").map((e) => `${e.tool}: ${e.reason}`)).toEqual([
      "Bash: Bash needs permission, and this run cannot ask (non-interactive): rerun with --allow 'Bash(touch *)' or --trust",
      "Write: /tmp/runcode-outside.txt is outside the project, and this run cannot ask (non-interactive): rerun with --trust",
    ]);
  });
  test("plan and deny-all are read-only; --deny and the rules file refuse", async () => {
    const dir = project({ "a.txt": "a" });
    const plan = await run(["edit", "--jsonl", "--mode", "plan", "go"], [{ tools: [write] }, { text: "ok" }], { cwd: dir });
    expect(plan.offered()).not.toContain("Write");
    expect(plan.events.find((e) => e.type === "tool.denied")?.reason).toBe(
      "plan mode is read-only: describe the change instead of making it",
    );
    const none = await run(
      ["ask", "--jsonl", "--mode", "deny-all", "go"],
      [
        {
          tools: [
            { name: "WebFetch", input: { url: "http://127.0.0.1:1/" } },
            { name: "Read", input: { file_path: "a.txt" } },
          ],
        },
        { text: "ok" },
      ],
      { cwd: dir },
    );
    expect(none.offered()).toEqual(["Read", "Glob", "Grep", "Task", "AskUser"]);
    expect(none.events.filter((e) => e.type === "tool.denied").map((e) => e.tool)).toEqual(["WebFetch"]);
    const home = tempDir();
    writeFileSync(
      join(home, "runcode-permissions.json"),
      JSON.stringify({ allow: ["Read"], deny: ["Grep"], ask: ["Write", "Edit", "Bash"] }),
    );
    const ruled = await run(
      ["edit", "--jsonl", "--deny", "Write", "go"],
      [{ tools: [write, { name: "Grep", input: { pattern: "a" } }] }, { text: "ok" }],
      { cwd: dir, home },
    );
    expect(ruled.events.filter((e) => e.type === "tool.denied").map((e) => e.reason)).toEqual([
      "denied by the rule Write",
      "denied by the rule Grep",
    ]);
  });
});

describe("runcode edit", () => {
  const script = (): Script[] => [
    { tools: [{ name: "Read", input: { file_path: "a.ts" } }] },
    {
      tools: [
        { name: "Edit", input: { file_path: "a.ts", old_string: "1", new_string: "2" } },
        { name: "Write", input: { file_path: "b.ts", content: "new\n" } },
      ],
    },
    { text: "Done." },
  ];

  test("--dry-run writes nothing and prints the unified diff on stdout", async () => {
    const dir = project({ "a.ts": "const a = 1;\n" });
    const r = await run(["edit", "--dry-run", "bump a"], script(), { cwd: dir });
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, "a.ts"), "utf8")).toBe("const a = 1;\n");
    expect(existsSync(join(dir, "b.ts"))).toBe(false);
    expect(r.stdout).toBe(
      "Done.\n--- a/a.ts\n+++ b/a.ts\n@@ -1,1 +1,1 @@\n-const a = 1;\n+const a = 2;\n--- /dev/null\n+++ b/b.ts\n@@ -0,0 +1,1 @@\n+new\n",
    );
    expect(r.stderr).toContain("changed 2 file(s):\n  a.ts +1 -1\n  b.ts +1 -0\n");
  });
  test("--dry-run denies commands even with --trust (they could write anything)", async () => {
    const dir = project();
    const r = await run(
      ["edit", "--jsonl", "--dry-run", "--trust", "go"],
      [{ tools: [{ name: "Bash", input: { command: "touch x" } }] }, { text: "ok" }],
      { cwd: dir },
    );
    expect(r.events.find((e) => e.type === "tool.denied")?.reason).toBe("denied by the rule Bash");
    expect(existsSync(join(dir, "x"))).toBe(false);
  });
  test("text mode: tool lines, summary and diff on stderr; stdin is context; paths focus", async () => {
    const dir = project({ "a.ts": "const a = 1;\n" });
    const r = await run(["edit", "bump a", "a.ts"], script(), { cwd: dir, stdin: "TypeError: a is 1" });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("Done.\n");
    expect(r.stderr).toContain("● Read a.ts\n● Edit a.ts\n● Write b.ts\n");
    expect(r.stderr).toContain("+const a = 2;");
    expect(readFileSync(join(dir, "a.ts"), "utf8")).toBe("const a = 2;\n");
    const prompt = r.gw.calls()[0]!.body.messages[0].content as string;
    expect(prompt).toStartWith("bump a\n\n```\nTypeError: a is 1\n```\n\nFocus on: a.ts");
  });
  test("exit code is non-zero when the run did not end normally", async () => {
    const dir = project();
    const call = { name: "Glob", input: { pattern: "*" } };
    const r = await run(["edit", "--jsonl", "go"], [{ tools: [call] }, { tools: [call] }, { tools: [call] }], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.events.at(-1)).toMatchObject({ ok: false, error: { code: "doom_loop" } });
  });
});

describe("project context and custom tools", () => {
  test("instruction files walk up to the repo root plus the global one; listed in session.started and on stderr", async () => {
    const dir = project({ "AGENTS.md": "Use tabs.", "pkg/CLAUDE.md": "Run bun test.", "pkg/sub/x.ts": "" });
    const home = tempDir();
    writeFileSync(join(home, "RUNCODE.md"), "Be brief.");
    const cwd = join(dir, "pkg/sub");
    const r = await run(["ask", "--jsonl", "hi"], [{ text: "ok" }], { cwd, home });
    const files = [join(home, "RUNCODE.md"), join(dir, "AGENTS.md"), join(dir, "pkg/CLAUDE.md")];
    expect(r.events[0]).toMatchObject({ type: "session.started", context: files });
    const system = String(r.gw.calls()[0]!.body.system);
    expect(system).toContain(`Working directory: ${cwd}\nProject root: ${dir}`);
    for (const t of ["Use tabs.", "Run bun test.", "Be brief.", "Git status:"]) expect(system).toContain(t);
    const text = await run(["ask", "hi"], [{ text: "ok" }], { cwd, home });
    expect(text.stderr).toContain(`context: ${files.join(", ")}`);
  });

  test("custom tools: input JSON on stdin, stdout is the result; project tools only when trusted; Bash rules apply", async () => {
    const dir = project();
    const home = tempDir();
    mkdirSync(join(home, "tools"));
    writeFileSync(
      join(home, "tools/shout.json"),
      JSON.stringify({
        name: "shout",
        description: "Upper-case a word",
        input_schema: { type: "object", properties: { word: { type: "string" } }, required: ["word"] },
        command: "tr a-z A-Z",
      }),
    );
    writeFileSync(join(home, "tools/broken.json"), "{");
    mkdirSync(join(dir, ".runcode/tools"), { recursive: true });
    writeFileSync(
      join(dir, ".runcode/tools/proj.json"),
      JSON.stringify({ name: "proj", description: "project tool", input_schema: { type: "object" }, command: "echo project" }),
    );
    const call = [{ tools: [{ name: "shout", input: { word: "hi" } }] }, { text: "ok" }];
    const r = await run(["ask", "--jsonl", "--allow", "shout", "go"], call, { cwd: dir, home });
    expect(r.offered()).toContain("shout");
    expect(r.offered()).not.toContain("proj");
    expect(results(r.gw, 1)).toEqual(['{"WORD":"HI"}']);
    expect(r.events.find((e) => e.type === "warning")?.message).toContain("broken.json is not valid JSON; skipped");
    const denied = await run(["ask", "--jsonl", "go"], call, { cwd: dir, home });
    expect(denied.events.find((e) => e.type === "tool.denied")?.tool).toBe("shout");
    const trusted = await run(["ask", "--jsonl", "--trust", "go"], [{ tools: [{ name: "proj", input: {} }] }, { text: "ok" }], {
      cwd: dir,
      home,
    });
    expect(results(trusted.gw, 1)).toEqual(["project\n"]);
    writeFileSync(join(home, "trusted-projects.json"), JSON.stringify([dir]));
    const listed = await run(["ask", "--jsonl", "--allow", "Bash", "go"], [{ tools: [{ name: "proj", input: {} }] }, { text: "ok" }], {
      cwd: dir,
      home,
    });
    expect(results(listed.gw, 1)).toEqual(["project\n"]);
  });
});

test("WebFetch through the CLI (turndown is bundled in the binary too)", async () => {
  const site = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch: () => new Response("<h1>Docs</h1><p>Use <code>bun test</code>.</p>", { headers: { "content-type": "text/html" } }),
  });
  try {
    const r = await run(
      ["ask", "--jsonl", "how to test?"],
      [{ tools: [{ name: "WebFetch", input: { url: `http://127.0.0.1:${site.port}/docs` } }] }, { text: "bun test" }],
      { cwd: project() },
    );
    expect(results(r.gw, 1)[0]).toBe(`http://127.0.0.1:${site.port}/docs · text/html\n\n# Docs\n\nUse \`bun test\`.`);
  } finally {
    site.stop(true);
  }
});
