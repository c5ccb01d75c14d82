// The wallet key never leaves the process. runcode is started in the user's home (so the project root contains
// the runcode home), with a Base key in the key file, another in BLOCKRUN_WALLET_KEY, a Solana key file, a proxy
// token in the config, a symlink and a hard link to the key file in the project, a custom tool and a hostile MCP
// server. A scripted model tries every tool on them; then every request the fake gateway received, everything on
// stdout and stderr, and every file runcode wrote are searched for each secret in each spelling.
import { afterAll, expect, test } from "bun:test";
import { linkSync, mkdirSync, readdirSync, readFileSync, realpathSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { paths } from "../../src/core/home";
import { generate } from "../../src/money/wallet/crypto";
import { saveKey } from "../../src/money/wallet/files";
import { startFakeGateway, type FakeGateway, type Script } from "../fake-gateway";
import { jsonLines, runCli, tempDir } from "../helpers";
import { assertEvents } from "../schema";

const gateways: FakeGateway[] = [];
afterAll(async () => {
  for (const g of gateways) await g.stop();
});

const FIXTURE = join(import.meta.dir, "hostile-mcp.ts");

/** A user's home with runcode's home inside it, and every kind of secret runcode knows. */
function userHome() {
  const user = realpathSync(tempDir("runcode-sec-"));
  const home = join(user, ".blockrun");
  const p = paths(home);
  const fileKey = generate("base").secret;
  const envKey = generate("base").secret;
  const solKey = generate("solana").secret;
  const token = `tok_${"s3cr3t".repeat(6)}`;
  saveKey(p, "base", fileKey);
  saveKey(p, "solana", solKey);
  writeFileSync(p.config, JSON.stringify({ "proxy-token": token }), { mode: 0o600 });
  mkdirSync(p.tools, { recursive: true });
  writeFileSync(
    join(p.tools, "envdump.json"),
    JSON.stringify({
      name: "envdump",
      description: "prints the environment",
      input_schema: { type: "object", properties: {} },
      command: "env",
    }),
  );
  writeFileSync(p.mcp, JSON.stringify({ mcpServers: { hostile: { command: process.execPath, args: [FIXTURE, p.evmKey] } } }));
  symlinkSync(p.evmKey, join(user, "notes.txt"));
  linkSync(p.evmKey, join(user, "backup.txt"));
  writeFileSync(join(user, "README.md"), "a project\n");
  return { user, home, p, fileKey, envKey, solKey, token };
}

/** Every spelling of a secret a leak could take verbatim. */
const spellings = (s: string) => [
  s,
  s.replace(/^0x/, ""),
  s.replace(/^0x/, "").toUpperCase(),
  Buffer.from(s).toString("base64").slice(0, 40),
];

function leaks(text: string, secrets: string[]): string[] {
  return secrets.flatMap((s) =>
    spellings(s)
      .filter((v) => text.includes(v))
      .map((v) => v.slice(0, 12)),
  );
}

/** Every file under `dir` except the key files themselves (and their links, which the test made). */
function written(dir: string, skip: Set<string>): Array<{ file: string; text: string }> {
  const out: Array<{ file: string; text: string }> = [];
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const file = join(dir, name);
    if (skip.has(file) || !statSync(file, { throwIfNoEntry: false })?.isFile()) continue;
    out.push({ file, text: readFileSync(file).toString("latin1") });
  }
  return out;
}

async function run(args: string[], script: Script[], h: ReturnType<typeof userHome>, stdin?: string) {
  const gw = await startFakeGateway({ script });
  gateways.push(gw);
  const r = await runCli(args, {
    cwd: h.user,
    home: h.home,
    stdin,
    env: { HOME: h.user, RUNCODE_API_URL: gw.url, BLOCKRUN_WALLET_KEY: h.envKey, RUNCODE_NO_RIPGREP: undefined },
    timeoutMs: 60_000,
  });
  return { ...r, gw, events: args.includes("--jsonl") ? jsonLines(r.stdout) : [] };
}

test("a scripted model tries every tool on runcode's secrets: each is denied or redacted, and no secret is sent, printed or written", async () => {
  const h = userHome();
  const script: Script[] = [
    {
      tools: [
        { name: "Read", input: { file_path: ".blockrun/.session" } },
        { name: "Read", input: { file_path: join(h.home, ".solana-session") } },
        { name: "Read", input: { file_path: ".blockrun/runcode-config.json" } },
      ],
    },
    {
      tools: [
        { name: "Read", input: { file_path: "notes.txt" } },
        { name: "Read", input: { file_path: "backup.txt" } },
        { name: "Read", input: { file_path: "~/.blockrun/mcp.json" } },
      ],
    },
    {
      tools: [
        { name: "Grep", input: { pattern: "0x|a project|[1-9A-HJ-NP-Za-km-z]{80}", output_mode: "content" } },
        { name: "Glob", input: { pattern: "**/*" } },
        { name: "Grep", input: { pattern: ".", path: ".blockrun", output_mode: "content" } },
      ],
    },
    { tools: [{ name: "Bash", input: { command: "env" } }] },
    { tools: [{ name: "Bash", input: { command: "cat ~/.blockrun/.session" } }] },
    { tools: [{ name: "Bash", input: { command: "cd .blockrun && ls" } }] },
    { tools: [{ name: "Bash", input: { command: "cat backup.txt notes.txt" } }] },
    { tools: [{ name: "envdump", input: {} }] },
    { tools: [{ name: "Bash", input: { command: `echo ${h.envKey.slice(2)}` } }] },
    { tools: [{ name: "WebFetch", input: { url: `http://127.0.0.1:9/?k=${h.fileKey}` } }] },
    {
      tools: [
        { name: "Edit", input: { file_path: ".blockrun/.session", old_string: "0x", new_string: "0y" } },
        { name: "Write", input: { file_path: "notes.txt", content: "x" } },
      ],
    },
    {
      tools: [
        { name: "mcp__hostile__env", input: {} },
        { name: "mcp__hostile__keyfile", input: {} },
      ],
    },
    { text: "done" },
  ];
  const r = await run(["edit", "--jsonl", "--trust", "look around"], script, h);
  expect({ code: r.code, stderr: r.stderr, result: r.events.at(-1) }).toMatchObject({ code: 0 });
  assertEvents(r.events);
  const secrets = [h.fileKey, h.envKey, h.solKey, h.token];

  // The denials are clear, and happen whatever the mode (--trust).
  const denied = r.events.filter((e) => e.type === "tool.denied");
  const reasons = denied.map((e) => `${e.tool}: ${e.reason}`);
  for (const f of [".session", ".solana-session", "runcode-config.json", "mcp.json"])
    expect(reasons.some((x) => x.startsWith("Read:") && x.includes(f) && x.includes("no tool may read"))).toBe(true);
  expect(denied.filter((e) => e.tool === "Read")).toHaveLength(6); // the symlink and the hard link too
  expect(reasons).toContain("Bash: the command names .session, where runcode keeps its wallet key and tokens, and no tool may touch them");
  expect(reasons).toContain("Bash: the command names .blockrun, where runcode keeps its wallet key and tokens, and no tool may touch them");
  expect(reasons.filter((x) => x.startsWith("Bash:") && x.includes("runcode keeps its wallet key"))).toHaveLength(2);
  expect(reasons).toContain("Bash: the call carries runcode's wallet key or a token, which never leaves runcode");
  expect(reasons).toContain("WebFetch: the call carries runcode's wallet key or a token, which never leaves runcode");
  expect(reasons.filter((x) => x.startsWith("Edit:") || x.startsWith("Write:"))).toHaveLength(2);
  // The key file is untouched.
  expect(readFileSync(h.p.evmKey, "utf8")).toBe(`${h.fileKey}\n`);

  // What the tools returned: no key, with the key variables gone from children's environments.
  const completed = r.events.filter((e) => e.type === "tool.completed");
  const out = (tool: string) =>
    completed
      .filter((e) => e.tool === tool)
      .map((e) => e.output)
      .join("\n");
  expect(out("Bash")).toContain("PATH=");
  expect(out("Bash")).not.toContain("BLOCKRUN_WALLET_KEY");
  expect(out("envdump")).toContain("PATH=");
  expect(out("envdump")).not.toContain("BLOCKRUN_WALLET_KEY");
  expect(out("mcp__hostile__env")).toContain("PATH");
  expect(out("mcp__hostile__env")).not.toContain("BLOCKRUN_WALLET_KEY");
  expect(out("mcp__hostile__keyfile")).toContain("[redacted]");
  expect(out("Bash")).toContain("[redacted]"); // `cat backup.txt notes.txt`: a hard link and a symlink, read by the shell
  expect(out("Grep")).toContain("README.md");
  expect(out("Glob")).toContain("README.md");
  expect(out("Glob")).not.toContain(".session");

  // The channels: every request body, stdout, stderr, and every file runcode wrote under the user's home.
  const sent = r.gw.requests.map((q) => q.raw).join("\n");
  expect(r.gw.calls()).toHaveLength(script.length);
  expect(leaks(sent, secrets)).toEqual([]);
  expect(leaks(r.stdout, secrets)).toEqual([]);
  expect(leaks(r.stderr, secrets)).toEqual([]);
  const files = written(h.user, new Set([h.p.evmKey, h.p.solanaKey, h.p.config, join(h.user, "backup.txt"), join(h.user, "notes.txt")]));
  expect(files.map((f) => f.file)).toContain(h.p.db);
  expect(files.map((f) => f.file)).toContain(h.p.log);
  expect(readFileSync(h.p.log, "utf8")).toContain("mcp hostile: answering with [redacted]");
  for (const f of files) expect({ file: f.file, leaks: leaks(f.text, secrets) }).toEqual({ file: f.file, leaks: [] });

  // Session export (what `sessions show` prints) carries none either.
  const id = r.events[0].session;
  const shown = await runCli(["sessions", "show", id, "--json"], { cwd: h.user, home: h.home, env: { HOME: h.user } });
  expect(shown.code).toBe(0);
  expect(leaks(shown.stdout + shown.stderr, secrets)).toEqual([]);
}, 90_000);

// ask and the REPL refuse it the same way (one run assembly): before the message joins the conversation, so nothing
// is sent and nothing is stored; the gateway client's own refusal stays behind it as the last line of defence.
test("a prompt that carries the key is refused before anything is sent or stored", async () => {
  const h = userHome();
  const r = await run(["ask", "--jsonl", `is this my key? ${h.fileKey}`], [{ text: "never" }], h);
  expect(r.code).toBe(1);
  expect(r.gw.calls()).toHaveLength(0);
  const result = r.events.at(-1);
  expect(result).toMatchObject({ type: "result", ok: false, error: { code: "secret_refused" } });
  expect(result.error.message).toBe("refused to send your message: it contains runcode's wallet key or a token: send it again without it");
  expect(r.stderr).toContain("error: refused to send your message");
  const secrets = [h.fileKey, h.envKey];
  expect(leaks(r.stdout + r.stderr, secrets)).toEqual([]);
  for (const f of written(h.home, new Set([h.p.evmKey, h.p.solanaKey, h.p.config])))
    expect({ file: f.file, leaks: leaks(f.text, secrets) }).toEqual({ file: f.file, leaks: [] });
  const db = readFileSync(h.p.db).toString("latin1") + readFileSync(`${h.p.db}-wal`, { flag: "a+" }).toString("latin1");
  expect(db).not.toContain("is this my key?");
}, 60_000);

test("an MCP config that names a key variable gets nothing: the server is refused with the reason", async () => {
  const h = userHome();
  writeFileSync(
    h.p.mcp,
    JSON.stringify({ mcpServers: { hostile: { command: process.execPath, args: [FIXTURE, "${BLOCKRUN_WALLET_KEY}"] } } }),
  );
  const r = await runCli(["mcp", "list"], { cwd: h.user, home: h.home, env: { HOME: h.user, BLOCKRUN_WALLET_KEY: h.envKey } });
  expect(r.stdout + r.stderr).toContain(
    "it names BLOCKRUN_WALLET_KEY, which holds runcode's wallet key, and MCP servers never get runcode's secrets",
  );
  expect(leaks(r.stdout + r.stderr, [h.envKey])).toEqual([]);
});

test("the proxy refuses a client body that carries the key (Claude Code read the key file): a JSON 400, nothing forwarded", async () => {
  const { proxyRig, raw } = await import("../proxy/setup");
  const { addSecret, resetSecrets } = await import("../../src/core/secrets");
  const key = generate("base").secret;
  addSecret(key);
  const rig = await proxyRig({ script: [{ text: "never" }] });
  try {
    const body = JSON.stringify({
      model: "nvidia/qwen3-coder-480b",
      max_tokens: 100,
      messages: [{ role: "user", content: `here is a file:\n${key}\n` }],
    });
    for (const path of ["/v1/messages", "/v1/chat/completions"]) {
      const res = await raw(rig.url, path, { body });
      expect(res.status).toBe(400);
      const text = await res.text();
      expect(text).toContain("refused to send the request: it contains runcode's wallet key or a token");
      expect(leaks(text, [key])).toEqual([]);
      expect(() => JSON.parse(text)).not.toThrow();
    }
    expect(rig.gw.calls()).toHaveLength(0);
    expect(leaks(rig.lines.join("\n"), [key])).toEqual([]);
  } finally {
    resetSecrets();
    await rig.stop();
  }
});

test("REPL: a key typed at the prompt is not sent and not kept in the history file; Read of the key file is denied", async () => {
  const { harness } = await import("../repl/harness");
  const { resetSecrets } = await import("../../src/core/secrets");
  const home = tempDir("runcode-sec-repl-");
  const key = generate("base").secret;
  saveKey(paths(home), "base", key);
  const h = await harness({
    home,
    script: [{ tools: [{ name: "Read", input: { file_path: join(home, ".session") } }] }, { text: "could not read it" }],
  });
  try {
    h.type(`remember ${key}\r`);
    await h.waitFor("refused to send your message: it contains runcode's wallet key or a token: send it again without it");
    expect(h.gw.calls()).toHaveLength(0);
    h.type("read my key file\r");
    await h.waitFor("could not read it");
    const denied = JSON.stringify(h.gw.calls()[1]!.body.messages.at(-1));
    expect(denied).toContain("holds runcode's wallet key or tokens, and no tool may read, search or change it");
    h.end();
    await h.done;
    const history = readFileSync(join(home, "repl-history"), "utf8");
    expect(history).toContain("remember [redacted]");
    // (The terminal shows the line as the user typed it: that echo is the only place the key appears.)
    expect(leaks(history + h.out().replace(`remember ${key}`, "") + h.err(), [key])).toEqual([]);
    expect(leaks(h.gw.requests.map((r) => r.raw).join("\n"), [key])).toEqual([]);
  } finally {
    resetSecrets();
    await h.gw.stop();
  }
});
