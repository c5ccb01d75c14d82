import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Gateway } from "../../src/gateway/client";
import { AskUser } from "../../src/tools/askuser";
import { ImageGen } from "../../src/tools/imagegen";
import { Task } from "../../src/tools/task";
import { WebFetch } from "../../src/tools/webfetch";
import { WebSearch } from "../../src/tools/websearch";
import { startFakeGateway } from "../fake-gateway";
import { testCtx } from "./ctx";

const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

const site = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  fetch(req) {
    const u = new URL(req.url);
    switch (u.pathname) {
      case "/page":
        return new Response(
          "<html><head><title>T</title><script>evil()</script></head><body><h1>Hello</h1><p>A <a href='/x'>link</a>.</p></body></html>",
          { headers: { "content-type": "text/html; charset=utf-8" } },
        );
      case "/moved":
        return Response.redirect(`${u.origin}/page`, 302);
      case "/loop":
        return Response.redirect(`${u.origin}/loop`, 302);
      case "/data.json":
        return Response.json({ a: 1 });
      case "/img.png":
        return new Response(Buffer.from(PNG, "base64"), { headers: { "content-type": "image/png" } });
      case "/big":
        return new Response("x".repeat(6 * 1048576), { headers: { "content-type": "text/plain" } });
      case "/slow":
        return Bun.sleep(3000).then(() => new Response("late"));
      case "/img-url":
        return new Response(Buffer.from(PNG, "base64"), { headers: { "content-type": "image/png" } });
      default:
        return new Response("nope", { status: 404, statusText: "Not Found" });
    }
  },
});
afterAll(() => site.stop(true));
const base = `http://127.0.0.1:${site.port}`;

describe("WebFetch", () => {
  test("HTML becomes Markdown, scripts dropped, redirects followed and reported", async () => {
    const r = await WebFetch.run({ url: `${base}/moved`, prompt: "the greeting" }, testCtx());
    expect(r.output).toContain(`${base}/page (redirected from ${base}/moved) · text/html`);
    expect(r.output).toContain("Looking for: the greeting");
    expect(r.output).toContain("# Hello");
    expect(r.output).toContain("[link](/x)");
    expect(r.output).not.toContain("evil");
  });
  test("JSON as is, binary refused, 404, redirect loops, bad URLs, size cap", async () => {
    const ctx = testCtx();
    expect((await WebFetch.run({ url: `${base}/data.json` }, ctx)).output).toEndWith('{"a":1}');
    expect((await WebFetch.run({ url: `${base}/img.png` }, ctx)).output).toContain("is image/png content");
    expect((await WebFetch.run({ url: `${base}/missing` }, ctx)).output).toBe(`${base}/missing answered 404 Not Found`);
    expect((await WebFetch.run({ url: `${base}/loop` }, ctx)).output).toBe(`too many redirects fetching ${base}/loop`);
    expect((await WebFetch.run({ url: "not a url" }, ctx)).error).toBe(true);
    expect((await WebFetch.run({ url: "file:///etc/passwd" }, ctx)).output).toBe("only http and https URLs can be fetched, not file:");
    const big = await WebFetch.run({ url: `${base}/big` }, ctx);
    expect(big.output).toContain("cut at 5 MB");
  });
  test("a server that does not answer hits the time limit", async () => {
    const ctx = testCtx();
    ctx.limits.webTimeoutMs = 300;
    expect(await WebFetch.run({ url: `${base}/slow` }, ctx)).toEqual({ output: `${base}/slow did not answer within 0.3 s`, error: true });
  });
});

describe("gateway tools", () => {
  let polls = 0;
  const gwP = startFakeGateway({
    intercept: (req, rec) => {
      if (rec.path === "/v1/search") return Response.json({ results: [{ title: "Bun", url: "https://bun.sh", snippet: "fast  runtime" }] });
      if (rec.path === "/v1/images/generations" && rec.body?.prompt === "b64") return Response.json({ data: [{ b64_json: PNG }] });
      if (rec.path === "/v1/images/generations" && rec.body?.prompt === "url") return Response.json({ data: [{ url: `${base}/img-url` }] });
      if (rec.path === "/v1/images/generations" && rec.body?.prompt === "slow")
        return Response.json({ id: "job1", status: "queued" }, { status: 202 });
      if (rec.path === "/v1/images/generations/job1")
        return Response.json(++polls < 2 ? { status: "running" } : { data: [{ b64_json: PNG }] });
      return undefined;
    },
  });
  const ctxFor = async () => {
    const gw = await gwP;
    return { ...testCtx(), gateway: new Gateway({ baseUrl: gw.url, userAgent: "t" }) };
  };
  afterAll(async () => (await gwP).stop());

  test("WebSearch posts the query to /v1/search", async () => {
    const r = await WebSearch.run({ query: "bun runtime" }, await ctxFor());
    expect(r.output).toBe("1. Bun\n   https://bun.sh\n   fast runtime");
    expect((await gwP).requests.find((q) => q.path === "/v1/search")?.body).toEqual({ query: "bun runtime", max_results: 8 });
  });
  test("ImageGen saves b64, url and polled (202) images and records the change", async () => {
    const ctx = await ctxFor();
    expect((await ImageGen.run({ prompt: "b64", path: "a.png" }, ctx)).output).toBe("saved a.png (70 bytes)");
    expect((await ImageGen.run({ prompt: "url", path: "b.png" }, ctx)).output).toBe("saved b.png (70 bytes)");
    expect((await ImageGen.run({ prompt: "slow", path: "c.png" }, ctx)).output).toBe("saved c.png (70 bytes)");
    expect(readFileSync(join(ctx.root, "a.png")).toString("base64")).toBe(PNG);
    expect(ctx.changes.entries.map((c) => c.tool)).toEqual(["ImageGen", "ImageGen", "ImageGen"]);
    expect((await ImageGen.run({ prompt: "b64", path: "../out.png" }, ctx)).error).toBe(true);
    ctx.changes.undo(ctx.files);
    expect(existsSync(join(ctx.root, "a.png"))).toBe(false);
  });
});

describe("Task and AskUser", () => {
  test("Task keeps the session todo list", async () => {
    const ctx = testCtx();
    const r = await Task.run(
      {
        todos: [
          { content: "read", status: "completed" },
          { content: "edit", status: "in_progress" },
          { content: "test", status: "pending" },
        ],
      },
      ctx,
    );
    expect(r.output).toBe("[x] read\n[~] edit\n[ ] test");
    expect(ctx.todos).toHaveLength(3);
    expect(
      (
        await Task.run(
          {
            todos: [
              { content: "a", status: "in_progress" },
              { content: "b", status: "in_progress" },
            ],
          },
          ctx,
        )
      ).error,
    ).toBe(true);
  });
  test("AskUser asks through the injected function; without one there is no user", async () => {
    expect((await AskUser.run({ question: "which?" }, testCtx())).output).toStartWith("no user available");
    const ctx = testCtx({ ask: async (q) => `B for ${q.question}` });
    expect((await AskUser.run({ question: "which?", options: ["A", "B"] }, ctx)).output).toBe("the user answered: B for which?");
  });
});
