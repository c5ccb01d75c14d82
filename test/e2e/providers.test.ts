// Bring your own endpoint (docs/providers.md): a second fake server plays an OpenAI-compatible provider (Ollama, vLLM,
// OpenRouter…), added with `runcode providers add`. Its models are listed with their source and answer `-m NAME/…`
// runs, with a wallet set up and the fake gateway running: nothing goes to the gateway, nothing is signed, the
// provider gets its own key and never the wallet's or an x402 header, and its 402 is an error, not a payment.
import { Database } from "bun:sqlite";
import { afterEach, expect, test } from "bun:test";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type FakeGateway, type Recorded, type Script, startFakeGateway } from "../fake-gateway";
import { jsonLines, runCli, tempDir } from "../helpers";
import { type Harness, harness } from "../repl/harness";
import { walletEnv } from "../wallet";

const KEY = "sk-local-test-key-0123456789abcdef";
const OWN = [
  { id: "some-model", object: "model", created: 0, owned_by: "me" },
  { id: "coder:latest", object: "model", created: 0, owned_by: "me" },
];

let servers: FakeGateway[] = [];
let h: Harness | undefined;
afterEach(async () => {
  if (h) {
    h.end();
    await h.done;
    await h.gw.stop();
    h = undefined;
  }
  await Promise.all(servers.map((s) => s.stop()));
  servers = [];
});

/** The fake gateway and a fake provider serving `script`, and a home for them. */
async function start(script: Script[] = []) {
  const gateway = await startFakeGateway({ script: [{ text: "from the gateway" }] });
  const provider = await startFakeGateway({ models: OWN, script });
  servers.push(gateway, provider);
  return { gateway, provider, home: tempDir(), env: { RUNCODE_API_URL: gateway.url, LOCAL_KEY: KEY, ...walletEnv() } };
}

/** `start`, with the provider added as `local`, its key in $LOCAL_KEY. */
async function rig(script: Script[] = []) {
  const r = await start(script);
  const add = ["providers", "add", "local", "--url", `${r.provider.url}/v1`, "--api-key-env", "LOCAL_KEY"];
  const added = await runCli(add, { home: r.home, env: r.env });
  expect({ code: added.code, stderr: added.stderr }).toEqual({
    code: 0,
    stderr: `added provider "local" (${r.provider.url}/v1, openai) in ${join(r.home, "providers.json")}\n2 models, e.g. -m local/some-model (\`runcode models\` lists them)\n`,
  });
  return r;
}

/** Rows of the payment ledger: the table exists (the store was opened) and says what was signed. */
function payments(home: string): number {
  const db = new Database(join(home, "runcode.db"), { readonly: true });
  try {
    return db.query<{ n: number }, []>("SELECT count(*) AS n FROM payments").get()!.n;
  } finally {
    db.close();
  }
}

/** No wallet key, no x402 header, no payment header: what a provider must never see. */
function expectNoWallet(reqs: Recorded[]) {
  const key = walletEnv().BLOCKRUN_WALLET_KEY.replace(/^0x/, "");
  for (const r of reqs) {
    const all = JSON.stringify(r).toLowerCase();
    expect(all).not.toContain(key.toLowerCase());
    expect(all).not.toContain("x402");
    expect(Object.keys(r.headers).filter((k) => /payment|x402/i.test(k))).toEqual([]);
  }
}

const chats = (g: FakeGateway) => g.calls();

test("runcode models lists the provider's models with their source next to the gateway's", async () => {
  const { home, env } = await rig();
  const r = await runCli(["models"], { home, env });
  expect(r.code).toBe(0);
  const lines = r.stdout.trim().split("\n");
  expect(lines[0]).toMatch(/^MODEL\s+IN\/1M\s+OUT\/1M\s+CONTEXT\s+SOURCE$/);
  expect(r.stdout).toMatch(/\nlocal\/some-model\s+-\s+-\s+128k\s+local\n/);
  expect(r.stdout).toMatch(/\nlocal\/coder:latest\s+-\s+-\s+128k\s+local\n/);
  expect(r.stdout).toMatch(/\nnvidia\/qwen3-coder-480b\s+-\s+-\s+131k\s+free \(default\)\s+gateway\n/);
  expect(r.stdout).toMatch(/\nanthropic\/claude-sonnet-4\.6\s+\$3\.00\s+\$15\.00\s+200k\s+gateway\n/);
  expect(r.stderr).toContain("a provider's models cost runcode nothing");
  const j = JSON.parse((await runCli(["models", "--json"], { home, env })).stdout);
  expect(j.models.find((m: { id: string }) => m.id === "local/some-model")).toMatchObject({
    source: "local",
    provider: "local",
    free: true,
  });
  expect(j.models.find((m: { id: string }) => m.id === "openai/gpt-5.4")).toMatchObject({ source: "gateway" });
  expect(j.models.find((m: { id: string }) => m.id === "openai/gpt-5.4").provider).toBeUndefined();
});

test("ask -m local/some-model: the provider answers with its own key; the gateway hears nothing, nothing is signed", async () => {
  const { gateway, provider, home, env } = await rig([{ text: "local answer" }]);
  const r = await runCli(["ask", "-m", "local/some-model", "hi"], { home, env });
  expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 0, stdout: "local answer\n" });
  // Not even the catalog: a run on a provider's model does not tell the gateway it happened.
  expect(gateway.requests).toEqual([]);
  expect(payments(home)).toBe(0);
  const [call] = chats(provider);
  expect(call!.path).toBe("/v1/chat/completions");
  expect(call!.body.model).toBe("some-model");
  expect(call!.body.messages.at(-1)).toEqual({ role: "user", content: "hi" });
  expect(call!.headers.authorization).toBe(`Bearer ${KEY}`);
  expectNoWallet(provider.requests);
  // Ollama lists `coder:latest`; `-m local/coder` finds it.
  provider.push({ text: "tagged" });
  const tagged = await runCli(["ask", "-m", "local/coder", "hi"], { home, env });
  expect(tagged.stdout).toBe("tagged\n");
  expect(chats(provider)[1]!.body.model).toBe("coder:latest");
  // And stats say what it cost runcode: nothing.
  const s = await runCli(["stats", "--by", "model"], { home, env });
  expect(s.stdout).toMatch(/\nlocal\/some-model\s+1\s+12\s+7\s+\$0\.00\s/);
  expect(s.stderr).toContain("models of your providers (local/…) count $0: runcode pays nothing for them");
});

test("an agent run through the provider: its tool call runs, the result goes back to it, and only to it", async () => {
  const project = tempDir();
  writeFileSync(join(project, "notes.txt"), "the note says provider-note-42\n");
  const { gateway, provider, home, env } = await rig([
    { tools: [{ name: "Read", input: { file_path: join(project, "notes.txt") } }] },
    { text: "it says provider-note-42" },
  ]);
  const r = await runCli(["ask", "--jsonl", "-m", "local/some-model", "what does notes.txt say?"], { home, env, cwd: project });
  expect(r.code).toBe(0);
  const events = jsonLines(r.stdout);
  expect(events.filter((e) => e.type === "tool.completed").map((e) => e.tool)).toEqual(["Read"]);
  expect(events.at(-1)).toMatchObject({ type: "result", ok: true, text: "it says provider-note-42", model: "local/some-model", usd: 0 });
  const [first, second] = chats(provider);
  expect(first!.body.tools.map((t: { function: { name: string } }) => t.function.name)).toContain("Read");
  const result = second!.body.messages.find((m: { role: string }) => m.role === "tool");
  expect(result.content).toContain("provider-note-42");
  expect(gateway.requests).toEqual([]);
  expect(payments(home)).toBe(0);
  expectNoWallet(provider.requests);
});

test("sub-agents and edit run on the provider's model too", async () => {
  const project = tempDir();
  const { gateway, provider, home, env } = await rig([
    { tools: [{ name: "SubAgent", input: { description: "look around", prompt: "list the files" } }] },
    { text: "child report: nothing here" },
    { text: "parent done" },
    { tools: [{ name: "Write", input: { file_path: join(project, "made.txt"), content: "by the provider\n" } }] },
    { text: "wrote it" },
  ]);
  const r = await runCli(["ask", "-m", "local/some-model", "use a sub-agent"], { home, env, cwd: project });
  expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 0, stdout: "parent done\n" });
  expect(chats(provider).map((c) => c.body.model)).toEqual(["some-model", "some-model", "some-model"]);
  expect(JSON.stringify(chats(provider)[1]!.body.messages)).toContain("list the files");
  const e = await runCli(["edit", "-m", "local/some-model", "make a file"], { home, env, cwd: project });
  expect(e.code).toBe(0);
  expect(readFileSync(join(project, "made.txt"), "utf8")).toBe("by the provider\n");
  expect(chats(provider)).toHaveLength(5);
  expect(gateway.requests).toEqual([]);
  expect(payments(home)).toBe(0);
});

test("REPL: /model local/some-model sends the next message to the provider, not the gateway", async () => {
  const provider = await startFakeGateway({ models: OWN, script: [{ text: "hello from local" }] });
  servers.push(provider);
  const home = tempDir();
  const added = await runCli(["providers", "add", "local", "--url", `${provider.url}/v1`], { home });
  expect(added.code).toBe(0);
  h = await harness({ home, script: [{ text: "from the gateway" }] });
  h.type("/model local/some-model\r");
  await h.waitFor("local/some-model");
  const from = h.out().length;
  h.type("hi\r");
  await h.waitFor("hello from local", from);
  expect(chats(provider).map((c) => c.body.model)).toEqual(["some-model"]);
  // The gateway still gave its catalog (the REPL started on it), but no message went to it.
  expect(h.gw.calls()).toEqual([]);
});

test("a provider answering 402 is an error with the fix, not a payment: one request, nothing signed", async () => {
  const { gateway, provider, home, env } = await rig([
    { fault: { status: 402, body: JSON.stringify({ error: { message: "insufficient credits" } }) } },
  ]);
  const r = await runCli(["ask", "-m", "local/some-model", "hi"], { home, env });
  expect(r.code).toBe(1);
  expect(r.stderr).toBe(
    "error: provider local asked for payment (HTTP 402: insufficient credits); runcode never pays a provider: check your account with that provider (credits, billing, its API key), or pick another model with -m\n",
  );
  expect(chats(provider)).toHaveLength(1);
  expectNoWallet(provider.requests);
  expect(gateway.requests).toEqual([]);
  expect(payments(home)).toBe(0);
});

test("a key given on stdin is stored 0600, never shown, sent only to its provider, and no tool can read the file", async () => {
  const stdinKey = "sk-stdin-secret-key-9876543210fedcba";
  const project = tempDir();
  const { provider, home, env } = await start();
  const add = ["providers", "add", "local", "--url", `${provider.url}/v1`, "--api-key-stdin"];
  const empty = await runCli(add, { home, env, stdin: "" });
  expect({ code: empty.code, stderr: empty.stderr }).toEqual({
    code: 2,
    stderr: "error: no API key on stdin: pipe it in: `printenv MY_KEY | runcode providers add NAME --url URL --api-key-stdin`\n",
  });
  expect((await runCli(add, { home, env, stdin: `${stdinKey}\n` })).code).toBe(0);
  const file = join(home, "providers.json");
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(JSON.parse(readFileSync(file, "utf8")).providers.local.apiKey).toBe(stdinKey);
  const list = await runCli(["providers", "list"], { home, env });
  expect(list.stdout).toBe(`local  ${provider.url}/v1  openai  stored key\n`);
  expect(list.stdout + list.stderr).not.toContain(stdinKey);
  provider.push({ tools: [{ name: "Read", input: { file_path: file } }] }, { text: "could not read it" });
  const r = await runCli(["ask", "--jsonl", "-m", "local/some-model", "read providers.json"], { home, env, cwd: project });
  expect(r.code).toBe(0);
  const [first, second] = chats(provider);
  expect(first!.headers.authorization).toBe(`Bearer ${stdinKey}`);
  const result = second!.body.messages.find((m: { role: string }) => m.role === "tool");
  expect(result.content).not.toContain(stdinKey);
  expect(jsonLines(r.stdout).find((e) => e.type === "tool.denied")).toMatchObject({
    tool: "Read",
    reason: `${file} holds runcode's wallet key or tokens, and no tool may read, search or change it`,
  });
  expect(r.stdout).not.toContain(stdinKey);
});

test("an Anthropic-compatible provider: /v1/messages with x-api-key, model without the prefix", async () => {
  const gateway = await startFakeGateway();
  const provider = await startFakeGateway({ models: OWN, script: [{ text: "messages answer" }] });
  servers.push(gateway, provider);
  const home = tempDir();
  const env = { RUNCODE_API_URL: gateway.url, ANTH_KEY: KEY, ...walletEnv() };
  const add = ["providers", "add", "anth", "--url", provider.url, "--protocol", "anthropic", "--api-key-env", "ANTH_KEY"];
  expect((await runCli(add, { home, env })).stderr).toContain(`added provider "anth" (${provider.url}/v1, anthropic)`);
  const r = await runCli(["ask", "-m", "anth/some-model", "hi"], { home, env });
  expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 0, stdout: "messages answer\n" });
  const [call] = chats(provider);
  expect(call!.path).toBe("/v1/messages");
  expect(call!.body.model).toBe("some-model");
  expect(call!.headers["x-api-key"]).toBe(KEY);
  expect(call!.headers["anthropic-version"]).toBe("2023-06-01");
  expect(call!.headers.authorization).toBeUndefined();
  expect(gateway.requests).toEqual([]);
});

test("one-line errors with the fix: unknown provider, removed provider, missing key variable, unreachable, taken name", async () => {
  const { provider, home, env } = await rig();
  const line = (r: { stderr: string }) => expect(r.stderr.split("\n").filter(Boolean)).toHaveLength(1);

  const unknown = await runCli(["ask", "-m", "nosuch/model", "hi"], { home, env });
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toBe(
    'error: unknown model "nosuch/model": no provider is called "nosuch": add it with `runcode providers add nosuch --url URL`, or see `runcode providers list` and `runcode models`\n',
  );

  const noKey = await runCli(["ask", "-m", "local/some-model", "hi"], { home, env: { ...env, LOCAL_KEY: undefined } });
  expect(noKey.code).toBe(2);
  expect(noKey.stderr).toBe(
    `error: provider local takes its API key from LOCAL_KEY, which is not set: export LOCAL_KEY, or store the key: \`runcode providers add local --url ${provider.url}/v1 --api-key-stdin\`\n`,
  );

  const taken = await runCli(["providers", "add", "openai", "--url", "https://api.openai.com/v1"], { home, env });
  expect(taken.code).toBe(2);
  expect(taken.stderr).toBe('error: "openai" already names the gateway\'s models or a profile: pick another name, e.g. openai-direct\n');

  const removeUnknown = await runCli(["providers", "remove", "nosuch"], { home, env });
  expect(removeUnknown.code).toBe(2);
  expect(removeUnknown.stderr).toBe(`error: no provider "nosuch" in ${join(home, "providers.json")}: see \`runcode providers list\`\n`);

  await provider.stop();
  const down = await runCli(["ask", "-m", "local/some-model", "hi"], { home, env });
  expect(down.code).toBe(1);
  expect(down.stderr).toMatch(
    /^error: cannot reach provider local at 127\.0\.0\.1:\d+ \(connection refused\): start it, or change its URL with `runcode providers add local --url URL`\n$/,
  );

  const removed = await runCli(["providers", "remove", "local"], { home, env });
  expect({ code: removed.code, stderr: removed.stderr }).toEqual({
    code: 0,
    stderr: `removed provider "local" from ${join(home, "providers.json")}\n`,
  });
  expect((await runCli(["providers", "list"], { home, env })).stderr).toContain(
    "no providers: add one with `runcode providers add NAME --url URL`",
  );
  const gone = await runCli(["ask", "-m", "local/some-model", "hi"], { home, env });
  expect(gone.code).toBe(2);
  expect(gone.stderr).toMatch(/^error: unknown model "local\/some-model": no provider is called "local": add it with/);
  for (const r of [unknown, noKey, taken, removeUnknown, down, gone]) line(r);
});
