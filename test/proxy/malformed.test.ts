// Hostile and broken request bodies: every answer is JSON in the client's protocol with the right status, never
// Bun's error page (source, working directory), a stack line or a path of this machine, and the gateway gets
// nothing. Body size is counted in bytes as they arrive, so multibyte text cannot slip past the limit.
import { afterEach, describe, expect, test } from "bun:test";
import { homedir, tmpdir } from "node:os";
import { HELLO, json, proxyRig, raw, type ProxyRig } from "./setup";
import { ROOT } from "../helpers";

let r: ProxyRig | undefined;
afterEach(async () => {
  await r?.stop();
  r = undefined;
});

const ok = (extra: Record<string, unknown>) =>
  JSON.stringify({ model: "nvidia/qwen3-coder-480b", max_tokens: 10, messages: [{ role: "user", content: "hi" }], ...extra });
const bytes = (...b: number[]) => new Uint8Array(b);
const utf8 = (s: string) => new TextEncoder().encode(s);

// [what, body]: each one is a 400 on every route.
const MALFORMED: Array<[string, string | Uint8Array]> = [
  ["messages is a string", '{"model":"x","messages":"x"}'],
  ["messages missing", '{"model":"free","max_tokens":5}'],
  ["messages an object", '{"messages":{"role":"user"}}'],
  ["messages empty", '{"messages":[]}'],
  ["a message is null", '{"messages":[null]}'],
  ["a message is a number", '{"messages":[1]}'],
  ["a message is a string", '{"messages":["hi"]}'],
  ["a message without role", '{"messages":[{"content":"hi"}]}'],
  ["content is a number", '{"messages":[{"role":"user","content":5}]}'],
  ["a content block is null", '{"messages":[{"role":"user","content":[null]}]}'],
  ["a content block without type", '{"messages":[{"role":"user","content":[{"text":"hi"}]}]}'],
  ["max_tokens a string", ok({ max_tokens: "5" })],
  ["max_tokens negative", ok({ max_tokens: -1 })],
  ["model a number", ok({ model: 5 })],
  ["stream a string", ok({ stream: "yes" })],
  ["tools a string", ok({ tools: "all" })],
  ["the body a JSON array", "[1,2]"],
  ["the body a number", "3"],
  ["the body a string", '"hello"'],
  ["the body null", "null"],
  ["an empty body", ""],
  ["truncated JSON", '{"messages":[{"role":"user","content":"hi"'],
  ["invalid UTF-8", bytes(...utf8('{"messages":[{"role":"user","content":"'), 0xff, 0xfe, ...utf8('"}]}'))],
  ["UTF-8 cut inside a character", bytes(...utf8('{"messages":[{"role":"user","content":"x"}]} '), 0xe2, 0x82)],
];

const ROUTES = [
  { path: "/v1/messages", flavor: "anthropic" },
  { path: "/api/v1/messages/count_tokens", flavor: "anthropic" },
  { path: "/v1/chat/completions", flavor: "openai" },
] as const;

/** Nothing of this machine leaks: no path, no stack line, no HTML. */
function clean(text: string) {
  for (const p of [ROOT, process.cwd(), homedir(), tmpdir(), import.meta.dir]) expect(text).not.toContain(p);
  expect(text).not.toMatch(/^\s*at /m);
  expect(text).not.toMatch(/\bat \S+:\d+:\d+/);
  expect(text).not.toMatch(/<(!doctype|html|head|body|pre|script)\b/i);
}

async function expectError(res: Response, status: number, flavor: "anthropic" | "openai", type = "invalid_request_error") {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toStartWith("application/json");
  const text = await res.text();
  clean(text);
  const j = JSON.parse(text);
  if (flavor === "anthropic") {
    expect(Object.keys(j).sort()).toEqual(["error", "type"]);
    expect(j).toMatchObject({ type: "error", error: { type } });
  } else {
    expect(Object.keys(j)).toEqual(["error"]);
    expect(j.error.type).toBe(type === "api_error" ? "server_error" : type);
    expect("code" in j.error).toBe(true);
  }
  expect(typeof j.error.message).toBe("string");
  expect(j.error.message.length).toBeGreaterThan(0);
  return j.error.message as string;
}

describe("malformed bodies", () => {
  for (const route of ROUTES)
    test(`${route.path}: ${MALFORMED.length} malformed bodies are 400s in ${route.flavor}'s shape`, async () => {
      r = await proxyRig({ script: [{ text: "must not be asked" }] });
      const messages = new Set<string>();
      for (const [what, body] of MALFORMED) {
        const res = await fetch(r.url + route.path, { method: "POST", headers: { "content-type": "application/json" }, body });
        try {
          messages.add(await expectError(res, 400, route.flavor));
        } catch (err) {
          throw new Error(`${what}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
      expect(messages.size).toBeGreaterThan(5); // each says what is wrong, not one catch-all
      expect(r.gw.requests).toHaveLength(0);
    });

  test("the messages say what to fix", async () => {
    r = await proxyRig();
    const say = async (body: string, path = "/v1/messages") => (await json(await raw(r!.url, path, { body }))).error.message;
    expect(await say('{"model":"x","messages":"x"}')).toBe("`messages` must be an array");
    expect(await say(ok({ max_tokens: "5" }))).toBe("`max_tokens` must be a positive whole number");
    expect(await say('{"messages":[{"role":"user","content":[null]}]}', "/v1/chat/completions")).toBe(
      "`messages[0].content` must be a string or an array of content blocks",
    );
  });

  test("OpenAI's null for 'not set', and an assistant message with only tool calls, are accepted", async () => {
    r = await proxyRig({ script: [{ text: "fine" }] });
    const body = JSON.stringify({
      model: "nvidia/qwen3-coder-480b",
      max_tokens: null,
      temperature: null,
      messages: [
        { role: "user", content: "hi" },
        { role: "assistant", content: null, tool_calls: [{ id: "c1", type: "function", function: { name: "f", arguments: "{}" } }] },
        { role: "tool", tool_call_id: "c1", content: "ok" },
      ],
    });
    expect((await raw(r.url, "/v1/chat/completions", { body })).status).toBe(200);
    expect(r.gw.calls()).toHaveLength(1);
  });

  test("unknown paths are 404s in the shape of the protocol they belong to", async () => {
    r = await proxyRig();
    await expectError(await raw(r.url, "/v1/embeddings", { body: "{}" }), 404, "openai");
    await expectError(await raw(r.url, "/v1/responses", { body: HELLO }), 404, "openai");
    await expectError(await raw(r.url, "/v1/messages/batches", { body: HELLO }), 404, "anthropic", "not_found_error");
    await expectError(
      await raw(r.url, "/nowhere", { body: HELLO, headers: { "anthropic-version": "2023-06-01" } }),
      404,
      "anthropic",
      "not_found_error",
    );
    expect(r.gw.requests).toHaveLength(0);
  });
});

describe("unexpected faults", () => {
  test("a fault inside the proxy is a 500 in the client's shape, without its message, stack or paths", async () => {
    const fault = new Error(`catalog unreadable: ${ROOT}/cache/models.json`);
    r = await proxyRig({
      script: [{ text: "must not be asked" }],
      opts: {
        catalog: () => {
          throw fault;
        },
      },
    });
    await expectError(await raw(r.url, "/v1/messages", { body: HELLO }), 500, "anthropic", "api_error");
    await expectError(await raw(r.url, "/v1/chat/completions", { body: HELLO }), 500, "openai", "api_error");
    await expectError(await raw(r.url, "/v1/models", { method: "GET" }), 500, "openai", "api_error");
    expect(r.lines.at(-1)).toContain("failed 500");
    expect(r.proxy.state.inflight).toBe(0); // a stop still drains correctly
    expect(r.gw.requests).toHaveLength(0);
  });

  test("even a fault in the fault handling is JSON (Bun's error handler), never Bun's error page", async () => {
    r = await proxyRig({
      opts: {
        log: () => {
          throw new Error(`log at ${ROOT}`);
        },
      },
    });
    const res = await raw(r.url, "/v1/messages", { body: "[]" });
    expect(res.status).toBe(500);
    const text = await res.text();
    clean(text);
    expect(JSON.parse(text)).toMatchObject({ type: "error", error: { type: "api_error", message: expect.any(String) } });
  });
});

describe("body size in bytes, as they arrive", () => {
  const MAX = 256 * 1024;
  const WORDS = "€uro été ✓ "; // 17 bytes in UTF-8 for 11 characters; words, so the count_tokens tokenizer is quick

  /** A valid body of exactly `size` bytes, mostly multibyte text. */
  function sized(size: number): Uint8Array {
    const shell = (pad: string) =>
      utf8(JSON.stringify({ model: "nvidia/qwen3-coder-480b", max_tokens: 10, messages: [{ role: "user", content: pad }] }));
    const base = shell("").length;
    const n = Math.floor((size - base) / 17);
    const out = shell(WORDS.repeat(n) + "x".repeat(size - base - n * 17));
    expect(out.length).toBe(size);
    return out;
  }

  /** Sent without a content-length, in chunks that split characters, as a streaming client would. */
  function chunked(body: Uint8Array, step = 10_000): ReadableStream<Uint8Array> {
    let i = 0;
    return new ReadableStream({
      pull(c) {
        if (i >= body.length) return c.close();
        c.enqueue(body.subarray(i, (i += step)));
      },
    });
  }

  for (const route of ROUTES)
    test(`${route.path}: a chunked multibyte body one byte over the limit is a 413; one byte under passes`, async () => {
      r = await proxyRig({ script: [{ text: "under the limit" }], opts: { maxBody: MAX } });
      const post = (body: Uint8Array) =>
        fetch(r!.url + route.path, { method: "POST", headers: { "content-type": "application/json" }, body: chunked(body) });
      const over = await post(sized(MAX + 1));
      await expectError(over, 413, route.flavor);
      expect(r.gw.requests).toHaveLength(0);

      const under = sized(MAX - 1);
      const res = await post(under);
      expect(res.status).toBe(200);
      await res.text();
      if (route.path.endsWith("count_tokens")) return; // answered locally
      expect(r.gw.calls()).toHaveLength(1);
      expect(Buffer.byteLength(r.gw.calls()[0]!.raw)).toBe(under.length); // forwarded byte for byte
    });

  test("a chunked body far over the limit is cut at the limit with the proxy's JSON 413, not an empty one", async () => {
    r = await proxyRig({ opts: { maxBody: MAX } });
    let sent = 0;
    const huge = new ReadableStream<Uint8Array>({
      pull(c) {
        if (sent > 40 * MAX) return c.close();
        sent += 65_536;
        c.enqueue(utf8("€".repeat(65_536 / 3)));
      },
    });
    const res = await fetch(`${r.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: huge,
    });
    await expectError(res, 413, "openai");
    expect(sent).toBeLessThan(20 * MAX); // the upload stopped soon after the limit, it was not read to the end
    expect(r.gw.requests).toHaveLength(0);
  });
});
