// `runcode ask` end to end: the real CLI (or the compiled binary in CI) against the fake gateway.
import { afterEach, describe, expect, test } from "bun:test";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type FakeGateway, type Reply, startFakeGateway } from "../fake-gateway";
import { jsonLines, runCli, tempDir } from "../helpers";
import { assertEvents } from "../schema";
import { walletEnv } from "../wallet";

let gw: FakeGateway | undefined;
afterEach(async () => {
  await gw?.stop();
  gw = undefined;
});

async function ask(
  args: string[],
  replies: Reply[] = [{ text: "Looks good." }],
  opts: { stdin?: string | Uint8Array; env?: Record<string, string>; home?: string; chunkBytes?: number } = {},
) {
  gw = await startFakeGateway({ script: replies, chunkBytes: opts.chunkBytes });
  const r = await runCli(["ask", ...args], { stdin: opts.stdin, home: opts.home, env: { RUNCODE_API_URL: gw.url, ...opts.env } });
  return { ...r, gw };
}

const lastUserText = (body: any) => {
  const m = body.messages.at(-1);
  return typeof m.content === "string" ? m.content : m.content.find((b: any) => b.type === "text").text;
};

describe("ask: the Unix contract", () => {
  test("stdout is only the streamed answer; model and usage go to stderr", async () => {
    const r = await ask(["what does a 402 status mean?"], [{ text: "Payment Required." }]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("Payment Required.\n");
    expect(r.stderr).toContain("nvidia/qwen3-coder-480b");
    const body = r.gw.calls()[0]!.body;
    expect(body.stream).toBe(true);
    expect(lastUserText(body)).toBe("what does a 402 status mean?");
    expect(r.gw.calls()[0]!.headers["user-agent"]).toMatch(/^runcode\//);
  });

  test("piped stdin is fenced context after the instruction", async () => {
    const r = await ask(["review this diff"], undefined, { stdin: "diff --git a/x b/x\n+hello\n" });
    expect(r.code).toBe(0);
    expect(lastUserText(r.gw.calls()[0]!.body)).toBe("review this diff\n\n```\ndiff --git a/x b/x\n+hello\n```");
  });

  test("`-` reads the prompt itself from stdin", async () => {
    const r = await ask(["-"], undefined, { stdin: "question from a file\n" });
    expect(lastUserText(r.gw.calls()[0]!.body)).toBe("question from a file");
  });

  test("no prompt at all is a usage error (exit 2) and sends nothing", async () => {
    const r = await ask([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no prompt given");
    expect(r.gw.calls().length).toBe(0);
  });

  test("piped stdout gets only the final answer; narration before tool calls goes to stderr", async () => {
    const r = await ask(
      ["what files are here?"],
      [{ text: "Let me check.", tools: [{ name: "Glob", input: { pattern: "*" } }] }, { text: "There are none." }],
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("There are none.\n");
    expect(r.stderr).toContain("Let me check.");
    expect(r.stderr).toContain("Glob");
  });

  test("-q prints the answer and nothing else", async () => {
    const r = await ask(["-q", "hi"], [{ text: "hello" }]);
    expect(r.stdout).toBe("hello\n");
    expect(r.stderr).toBe("");
  });

  test("one model request per turn (catalog cached after the first run)", async () => {
    const home = tempDir();
    gw = await startFakeGateway({ script: [{ text: "a" }, { text: "b" }] });
    const env = { RUNCODE_API_URL: gw.url };
    expect((await runCli(["ask", "hi"], { home, env })).stdout).toBe("a\n");
    const before = gw.requests.length;
    expect((await runCli(["ask", "hi"], { home, env })).stdout).toBe("b\n");
    expect(gw.requests.slice(before).map((r) => r.path)).toEqual(["/v1/messages"]);
  });

  test("an answer split at every byte boundary arrives whole", async () => {
    const text = "Grüße, 世界 🙂 — done.";
    const r = await ask(["hi"], [{ text }], { chunkBytes: 1 });
    expect(r.stdout).toBe(`${text}\n`);
  });

  test("-m shortcut resolves to the gateway id; free-pool substitution is reported", async () => {
    const r = await ask(["-m", "free", "hi"], [{ text: "ok", model: "nvidia/gpt-oss-120b" }]);
    expect(r.gw.calls()[0]!.body.model).toBe("nvidia/qwen3-coder-480b");
    expect(r.stderr).toContain("answered with nvidia/gpt-oss-120b instead of nvidia/qwen3-coder-480b");
  });

  test("options reach the request body", async () => {
    // A paid model needs a wallet to be chosen (the fake gateway never asks for payment).
    const r = await ask(["--system", "be brief", "--max-tokens", "123", "--temperature", "0.2", "-m", "sonnet", "hi"], [{ text: "ok" }], {
      env: walletEnv(),
    });
    const body = r.gw.calls()[0]!.body;
    expect(body).toMatchObject({ model: "anthropic/claude-sonnet-4.6", max_tokens: 123, temperature: 0.2 });
    expect(JSON.stringify(body.system)).toContain("be brief");
  });

  test("--image sends an image block to a vision model and refuses a text-only one", async () => {
    const dir = tempDir();
    const png = join(dir, "a.png");
    writeFileSync(png, Buffer.from("89504e470d0a1a0a0000000d49484452", "hex"));
    const ok = await ask(["-m", "sonnet", "--image", png, "what is this?"], [{ text: "a png" }], { env: walletEnv() });
    expect(ok.code).toBe(0);
    const content = ok.gw.calls()[0]!.body.messages[0].content;
    expect(content[0]).toMatchObject({ type: "image", source: { type: "base64", media_type: "image/png" } });
    await gw!.stop();
    const bad = await ask(["-m", "deepseek", "--image", png, "what is this?"], undefined, { env: walletEnv() });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("does not accept images");
    expect(bad.gw.calls().length).toBe(0);
  });
});

describe("ask over OpenAI Chat Completions", () => {
  test("the protocol setting switches endpoint and framing", async () => {
    const home = tempDir();
    writeFileSync(join(home, "runcode-config.json"), JSON.stringify({ protocol: "chat-completions" }));
    const r = await ask(["--system", "terse", "hi"], [{ text: "from openai framing" }], { home });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("from openai framing\n");
    const call = r.gw.calls()[0]!;
    expect(call.path).toBe("/v1/chat/completions");
    expect(call.body.messages[0].role).toBe("system");
    expect(call.body.messages[0].content).toEndWith("terse");
    expect(call.body.messages.at(-1)).toEqual({ role: "user", content: "hi" });
  });
});

describe("ask --jsonl and --json", () => {
  test("every line validates; session.started first, exactly one result last", async () => {
    const r = await ask(["--jsonl", "review"], [{ text: "Fine.", thinking: "hmm" }], { stdin: "diff" });
    expect(r.code).toBe(0);
    const lines = jsonLines(r.stdout);
    assertEvents(lines);
    expect(lines[0]).toMatchObject({ type: "session.started", schema: 1, model: "nvidia/qwen3-coder-480b" });
    expect(lines.filter((l) => l.type === "result")).toHaveLength(1);
    expect(lines.at(-1)).toMatchObject({ type: "result", ok: true, text: "Fine.", usage: { input: 12, output: 7 }, turns: 1, usd: 0 });
    expect(
      lines
        .filter((l) => l.type === "text.delta")
        .map((l) => l.text)
        .join(""),
    ).toBe("Fine.");
    expect(lines.some((l) => l.type === "reasoning.delta")).toBe(true);
    expect(r.stderr).toBe("");
  });

  test("-q and colour never change JSONL", async () => {
    const a = await ask(["--jsonl", "hi"], [{ text: "x" }]);
    const b = await ask(["--jsonl", "-q", "hi"], [{ text: "x" }], { env: { FORCE_COLOR: "1" } });
    const strip = (s: string) => jsonLines(s).map(({ ts, ms, session, cwd, ...rest }) => rest);
    expect(strip(b.stdout)).toEqual(strip(a.stdout));
  });

  test("--json prints one final object", async () => {
    const r = await ask(["--json", "hi"], [{ text: "x" }]);
    const lines = jsonLines(r.stdout);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ type: "result", ok: true, text: "x" });
  });
});

describe("ask: bad input and faults", () => {
  type Case = {
    name: string;
    args?: string[];
    reply?: Reply;
    stdin?: string | Uint8Array;
    env?: Record<string, string>;
    code: number;
    err: RegExp;
    errCode: string;
  };
  const cases: Case[] = [
    {
      name: "500 with a JSON body",
      reply: { fault: { status: 500, body: '{"error":{"type":"api_error","message":"upstream exploded"}}' } },
      code: 1,
      err: /the gateway answered HTTP 500: upstream exploded: retry/,
      errCode: "gateway_error",
    },
    {
      name: "503 without a body",
      reply: { fault: { status: 503, body: "" } },
      code: 1,
      err: /the gateway answered HTTP 503 Service Unavailable: retry/,
      errCode: "gateway_error",
    },
    {
      name: "502 HTML error page",
      reply: { fault: { status: 502, body: "<html><head><title>502 Bad Gateway</title></head></html>", contentType: "text/html" } },
      code: 1,
      err: /HTML page \("502 Bad Gateway"\)/,
      errCode: "gateway_error",
    },
    {
      name: "400 unknown model",
      reply: { fault: { status: 400, body: '{"error":"Unknown model: x/y"}' } },
      code: 2,
      err: /does not know .*runcode models/,
      errCode: "unknown_model",
    },
    {
      name: "429 rate limit",
      reply: { fault: { status: 429, body: '{"error":{"message":"slow down"}}' } },
      code: 1,
      err: /rate limited.*wait a minute/,
      errCode: "rate_limited",
    },
    {
      name: "402 without a wallet",
      reply: { fault: { status: 402, body: "{}" } },
      code: 3,
      err: /paid model.*runcode setup.*-m free/,
      errCode: "payment_required",
    },
    {
      name: "stream cut mid-answer",
      reply: { text: "a b c d e f g h i j k l", fault: "cut" },
      code: 1,
      err: /ended early|model failed|stream/,
      errCode: "stream_error",
    },
    {
      name: "invalid JSON inside an SSE event",
      reply: { text: "hello", fault: "malformed" },
      code: 1,
      err: /invalid JSON/,
      errCode: "stream_error",
    },
    { name: "empty answer", reply: { text: "" }, code: 1, err: /empty answer/, errCode: "empty_answer" },
    { name: "binary stdin", stdin: new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1]), code: 2, err: /binary/, errCode: "input_too_large" },
    {
      name: "stdin over the limit",
      stdin: "y".repeat(2 * 1048576),
      env: { RUNCODE_MAX_STDIN_MB: "1" },
      code: 2,
      err: /larger than 1 MB/,
      errCode: "input_too_large",
    },
    { name: "unknown model", args: ["-m", "sonet"], code: 2, err: /unknown model "sonet".*did you mean sonnet/, errCode: "unknown_model" },
    {
      name: "gateway stops answering",
      reply: { text: "x", fault: "stall" },
      env: { RUNCODE_REQUEST_TIMEOUT: "1" },
      code: 1,
      err: /stopped answering/,
      errCode: "timeout",
    },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const home = tempDir();
      if (c.env?.RUNCODE_MAX_STDIN_MB) writeFileSync(join(home, "runcode-config.json"), JSON.stringify({ "max-stdin-mb": "1" }));
      if (c.env?.RUNCODE_REQUEST_TIMEOUT) writeFileSync(join(home, "runcode-config.json"), JSON.stringify({ "request-timeout": 1 }));
      // An explicit model: no fallback chain, so the fault itself must surface.
      const args = c.args ?? ["-m", "nvidia/qwen3-coder-480b"];
      const text = await ask([...args, "hi"], c.reply ? [c.reply] : undefined, { stdin: c.stdin, home });
      expect(text.code).toBe(c.code);
      expect(text.stderr).toMatch(c.err);
      expect(
        text.stderr
          .trim()
          .split("\n")
          .filter((l) => l.startsWith("error:")),
      ).toHaveLength(1);
      expect(text.stderr).not.toContain("    at ");
      await gw!.stop();
      const j = await ask(["--jsonl", ...args, "hi"], c.reply ? [c.reply] : undefined, { stdin: c.stdin, home });
      const lines = jsonLines(j.stdout);
      assertEvents(lines);
      expect(j.code).toBe(c.code);
      expect(lines.filter((l) => l.type === "result")).toHaveLength(1);
      expect(lines.at(-1)).toMatchObject({ type: "result", ok: false, error: { code: c.errCode } });
    });
  }

  test("gateway unreachable", async () => {
    const r = await runCli(["ask", "hi"], { env: { RUNCODE_API_URL: "http://127.0.0.1:9" } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot reach the gateway at 127.0.0.1:9.*RUNCODE_API_URL/);
  });

  test("unknown flags suggest the closest", async () => {
    const r = await runCli(["ask", "--modle", "sonnet", "hi"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown flag --modle");
    expect(r.stderr).toContain("did you mean --model?");
  });

  test("a corrupt config file is reported with its path and left alone", async () => {
    const home = tempDir();
    writeFileSync(join(home, "runcode-config.json"), "{ broken");
    const r = await ask(["hi"], undefined, { home });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(join(home, "runcode-config.json"));
    expect(readFileSync(join(home, "runcode-config.json"), "utf8")).toBe("{ broken");
  });

  test("a corrupt catalog cache is replaced with a warning", async () => {
    const home = tempDir();
    mkdirSync(join(home, "cache"));
    writeFileSync(join(home, "cache", "models.json"), "garbage");
    const r = await ask(["hi"], [{ text: "fine" }], { home });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("fine\n");
    expect(r.stderr).toContain("was corrupt");
  });

  test("Ctrl-C while waiting exits 130 with a result in JSONL", async () => {
    gw = await startFakeGateway({ script: [{ fault: "hang" }] });
    const { cliCommand, cliEnv } = await import("../helpers");
    const home = tempDir();
    const proc = Bun.spawn([...cliCommand(), "ask", "--jsonl", "hi"], {
      cwd: home,
      env: cliEnv(home, { RUNCODE_API_URL: gw.url }),
      stdout: "pipe",
      stderr: "pipe",
      stdin: "ignore",
    });
    await gw.waitForCalls(1);
    proc.kill("SIGINT");
    const [out, code] = await Promise.all([new Response(proc.stdout).text(), proc.exited]);
    expect(code).toBe(130);
    expect(jsonLines(out).at(-1)).toMatchObject({ type: "result", ok: false, error: { code: "interrupted" } });
  });
});
