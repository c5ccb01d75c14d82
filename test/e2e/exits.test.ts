// runcode never hangs after it has spoken: every exit path releases its timers, sockets and children. Each run here
// would otherwise stay alive until request-timeout (300 s by default); runCli's deadline fails the test instead.
import { afterEach, expect, test } from "bun:test";
import { type FakeGateway, type Reply, startFakeGateway } from "../fake-gateway";
import { jsonLines, runCli } from "../helpers";

let gw: FakeGateway | undefined;
afterEach(async () => {
  await gw?.stop();
  gw = undefined;
});

const faults: Array<[string, Reply]> = [
  ["the stream is torn down mid-answer", { text: "a long answer that will not arrive in full ".repeat(20), fault: "reset" }],
  ["the body ends early without its final event", { text: "a long answer that will not arrive in full ".repeat(20), fault: "cut" }],
  ["the gateway answers 500", { fault: { status: 500, body: '{"error":{"message":"boom"}}' } }],
];

for (const [what, reply] of faults)
  test(`ask ends at once when ${what}`, async () => {
    // The default model is free: after a failure the free pool is tried; every model meets the same fault.
    gw = await startFakeGateway({ script: Array(8).fill(reply) });
    const r = await runCli(["ask", "--jsonl", "-m", "nvidia/qwen3-coder-480b", "hi"], {
      env: { RUNCODE_API_URL: gw.url },
      timeoutMs: 15_000,
    });
    const result = jsonLines(r.stdout).at(-1);
    expect(result).toMatchObject({ type: "result", ok: false });
    expect(r.code).toBe(1);
  });

/** A loopback port with nothing listening: the gateway host is down. */
async function deadUrl(): Promise<string> {
  const s = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response("") });
  const url = `http://127.0.0.1:${s.port}`;
  s.stop(true);
  return url;
}

test("a gateway host that is down: one line, no model walked, no runtime text, exit 1", async () => {
  const url = await deadUrl();
  for (const args of [
    ["ask", "hi"],
    ["ask", "-m", "auto", "hi"],
    ["edit", "make it so"],
  ]) {
    const r = await runCli(args, { env: { RUNCODE_API_URL: url }, timeoutMs: 15_000 });
    expect({ args, code: r.code, stdout: r.stdout }).toEqual({ args, code: 1, stdout: "" });
    expect(r.stderr).toBe(
      `error: cannot reach the gateway at ${url.replace("http://", "")} (connection refused): check your network connection, or point RUNCODE_API_URL at a reachable gateway\n`,
    );
  }
});

test("the fix the host-down line suggests works: the same run against a reachable gateway answers", async () => {
  gw = await startFakeGateway({ script: [{ text: "up again" }] });
  const r = await runCli(["ask", "hi"], { env: { RUNCODE_API_URL: gw.url } });
  expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 0, stdout: "up again\n" });
});

test("a connection dropped before any answer moves on to the next model, and says why in words", async () => {
  gw = await startFakeGateway({ script: [{ fault: "drop" }, { text: "second model answered" }] });
  const r = await runCli(["ask", "hi"], { env: { RUNCODE_API_URL: gw.url }, timeoutMs: 15_000 });
  expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 0, stdout: "second model answered\n" });
  expect(r.stderr).toMatch(
    /failed \(gateway error: the gateway at 127\.0\.0\.1:\d+ closed the connection before answering \(the connection was reset\)\); trying /,
  );
  expect(r.stderr).not.toMatch(/ECONN|Unable to connect|verbose: true/);
});

const rejected = (message: string): Reply => ({ fault: { status: 400, body: JSON.stringify({ error: { message } }) } });

test("a gateway 400 names the fix from what the gateway said, and the fix works", async () => {
  const cases: Array<[string, string, string[]]> = [
    [
      "max_tokens: 999999 > 64000, which is the maximum allowed",
      "lower --max-tokens (config max-tokens) for this model",
      ["--max-tokens", "4096"],
    ],
    ["temperature: must be between 0 and 1", "use a --temperature this model accepts (0-1 is safe)", ["--temperature", "0.5"]],
    ["messages: roles must alternate", "pick another model with -m (this one refused the request as it is)", ["-m", "nvidia/gpt-oss-120b"]],
  ];
  for (const [said, fix, applied] of cases) {
    gw = await startFakeGateway({ script: [rejected(said), { text: "accepted" }] });
    const env = { RUNCODE_API_URL: gw.url };
    const r = await runCli(["ask", "-m", "nvidia/qwen3-coder-480b", "hi"], { env });
    expect({ code: r.code, stderr: r.stderr }).toEqual({
      code: 1,
      stderr: `error: the gateway rejected the request (HTTP 400: ${said}): ${fix}\n`,
    });
    const model = applied.includes("-m") ? [] : ["-m", "nvidia/qwen3-coder-480b"];
    const again = await runCli(["ask", ...model, ...applied, "hi"], { env, home: r.home });
    expect({ fix, code: again.code, stdout: again.stdout }).toEqual({ fix, code: 0, stdout: "accepted\n" });
    await gw.stop();
    gw = undefined;
  }
});

test("a gateway 5xx says which status, in words", async () => {
  gw = await startFakeGateway({ script: [{ fault: { status: 502, body: "" } }] });
  const r = await runCli(["ask", "-m", "nvidia/qwen3-coder-480b", "hi"], { env: { RUNCODE_API_URL: gw.url } });
  expect({ code: r.code, stderr: r.stderr }).toEqual({
    code: 1,
    stderr: "error: the gateway answered HTTP 502 Bad Gateway: retry in a moment, or pick another model with -m\n",
  });
});
