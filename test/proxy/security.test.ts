// Every security rule, with the paying proxy: a refused request reaches nothing and pays nothing.
import { afterEach, describe, expect, test } from "bun:test";
import { networkInterfaces } from "node:os";
import { HELLO, proxyRig, raw, type ProxyRig, json } from "./setup";

let r: ProxyRig;
afterEach(() => r?.stop());

const PAID = JSON.stringify({ model: "anthropic/claude-sonnet-4.6", max_tokens: 100, messages: [{ role: "user", content: "hi" }] });

function nothingHappened() {
  expect(r.gw.requests).toHaveLength(0);
  expect(r.pay?.x402.settled ?? []).toHaveLength(0);
}

describe("proxy security", () => {
  test("a web page's request (Origin: https://evil.example) is refused; nothing forwarded or paid", async () => {
    r = await proxyRig({ paid: true, script: [{ text: "should not happen" }] });
    const res = await raw(r.url, "/v1/messages", { body: PAID, headers: { origin: "https://evil.example" } });
    expect(res.status).toBe(403);
    expect((await json(res)).error.type).toBe("permission_error");
    const oa = await raw(r.url, "/v1/chat/completions", { body: PAID, headers: { origin: "https://evil.example" } });
    expect(oa.status).toBe(403);
    expect((await json(oa)).error.code).toBe("forbidden_origin");
    nothingHappened();
    expect(r.lines[0]).toContain("refused 403 origin=https://evil.example");
  });

  test("a CORS preflight is refused, and a text/plain 'simple' POST is refused too", async () => {
    r = await proxyRig({ paid: true });
    expect(
      (
        await raw(r.url, "/v1/messages", {
          method: "OPTIONS",
          headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
        })
      ).status,
    ).toBe(403);
    const plain = await raw(r.url, "/v1/messages", { body: PAID, headers: { origin: "null", "content-type": "text/plain" } });
    expect(plain.status).toBe(415);
    nothingHappened();
  });

  test("Origin null and allow-listed origins are accepted", async () => {
    r = await proxyRig({ script: [{ text: "a" }, { text: "b" }], opts: { origins: ["http://localhost:3000"] } });
    expect((await raw(r.url, "/v1/messages", { body: HELLO, headers: { origin: "null" } })).status).toBe(200);
    expect((await raw(r.url, "/v1/messages", { body: HELLO, headers: { origin: "http://localhost:3000" } })).status).toBe(200);
    expect((await raw(r.url, "/v1/messages", { body: HELLO, headers: { origin: "http://localhost:3001" } })).status).toBe(403);
  });

  test("DNS rebinding: a foreign Host header (or the right name on another port) is refused", async () => {
    r = await proxyRig({ paid: true });
    for (const host of ["evil.example", `evil.example:${r.proxy.port}`, "localhost:1", `127.0.0.2:${r.proxy.port}`]) {
      const res = await raw(r.url, "/v1/messages", { body: PAID, headers: { host } });
      expect(res.status).toBe(403);
      expect((await json(res)).error.message).toContain("is not this proxy");
    }
    nothingHappened();
    for (const host of [`localhost:${r.proxy.port}`, `127.0.0.1:${r.proxy.port}`, `[::1]:${r.proxy.port}`])
      expect((await raw(r.url, "/health", { method: "GET", headers: { host } })).status).toBe(200);
  });

  test("--token: required as Bearer or x-api-key; wrong or missing is a 401 authentication_error", async () => {
    r = await proxyRig({ script: [{ text: "a" }, { text: "b" }], opts: { token: "s3cret-token" } });
    const missing = await r
      .anthropic()
      .messages.create({ model: "free", max_tokens: 5, messages: [{ role: "user", content: "x" }] })
      .catch((e) => e);
    expect(missing.status).toBe(401);
    expect(missing.error.error.type).toBe("authentication_error");
    expect((await raw(r.url, "/v1/messages", { body: HELLO, headers: { authorization: "Bearer s3cret-tokeN" } })).status).toBe(401);
    expect(r.gw.requests).toHaveLength(0);
    await r
      .anthropic({ apiKey: "s3cret-token" })
      .messages.create({ model: "free", max_tokens: 5, messages: [{ role: "user", content: "x" }] });
    const c = await r
      .openai({ apiKey: "s3cret-token" })
      .chat.completions.create({ model: "free", messages: [{ role: "user", content: "x" }] });
    expect(c.choices[0]!.message.content).toBe("b");
    expect((await raw(r.url, "/health", { method: "GET" })).status).toBe(200); // health carries no secret
  });

  test("bodies over the limit are a 413, declared or streamed without a length", async () => {
    r = await proxyRig({ paid: true, opts: { maxBody: 64 * 1024 } });
    const big = JSON.stringify({
      model: "anthropic/claude-sonnet-4.6",
      max_tokens: 5,
      messages: [{ role: "user", content: "x".repeat(100 * 1024) }],
    });
    const res = await raw(r.url, "/v1/messages", { body: big });
    expect(res.status).toBe(413);
    expect((await json(res)).error.type).toBe("invalid_request_error");
    const chunked = new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode(big));
        c.close();
      },
    });
    const res2 = await fetch(`${r.url}/v1/messages`, { method: "POST", body: chunked, headers: { "content-type": "application/json" } });
    expect(res2.status).toBe(413);
    nothingHappened();
  });

  test("binds loopback only: not reachable on the machine's other addresses", async () => {
    r = await proxyRig();
    expect(r.proxy.urls.every((u) => u.includes("127.0.0.1") || u.includes("[::1]"))).toBe(true);
    const other = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === "IPv4" && !i.internal);
    if (!other) return; // no non-loopback interface in this sandbox
    const err = await fetch(`http://${other.address}:${r.proxy.port}/health`, { signal: AbortSignal.timeout(2000) }).catch((e) => e);
    expect(err).toBeInstanceOf(Error);
  });
});
