// WebFetch: GET a URL and return it as Markdown (HTML converted with turndown), plain text or JSON. Redirects are
// followed (at most 5), the body is read up to a size limit, and the whole fetch has a time limit.
import { fetchFailure } from "../core/net";
import { fail, type Tool } from "./types";

const MAX_BYTES = 5 * 1048576;
const TIMEOUT_MS = 20_000;
type Input = { url: string; prompt?: string };

export const WebFetch: Tool<Input> = {
  name: "WebFetch",
  description: `Fetch a web page or file over HTTP(S) and return its content: HTML as Markdown, text and JSON as they are.
- url: a full http:// or https:// URL.
- prompt: what you are looking for on the page (kept with the result to focus your reading).
- Binary content (images, PDFs, archives) is not returned; pages over 5 MB are cut.`,
  input_schema: {
    type: "object",
    properties: {
      url: { type: "string", description: "the URL to fetch" },
      prompt: { type: "string", description: "what to look for in the page" },
    },
    required: ["url"],
  },
  mutating: false,
  subject: (i) => ({ texts: [i.url] }),
  async run(input, ctx) {
    let url: URL;
    try {
      url = new URL(input.url);
    } catch {
      return fail(`"${input.url}" is not a valid URL; pass a full URL like https://example.com/page`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") return fail(`only http and https URLs can be fetched, not ${url.protocol}`);
    const limit = ctx.limits.webTimeoutMs ?? TIMEOUT_MS;
    const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(limit)]);
    const doFetch = ctx.fetch ?? ((r: Request) => fetch(r));
    let res: Response | undefined;
    for (let hop = 0; hop <= 5; hop++) {
      try {
        res = await doFetch(
          new Request(url.href, {
            redirect: "manual",
            signal,
            headers: {
              "user-agent": "runcode (+https://github.com/blockrun)",
              accept: "text/html, text/markdown, text/plain, application/json, */*;q=0.5",
            },
          }),
        );
      } catch (err) {
        if (signal.aborted && !ctx.signal.aborted) return fail(`${url} did not answer within ${limit / 1000} s`);
        return fail(`cannot fetch ${url} (${fetchFailure(err)})`);
      }
      const loc = res.headers.get("location");
      if (res.status < 300 || res.status >= 400 || !loc) break;
      url = new URL(loc, url);
      res = undefined;
    }
    if (!res) return fail(`too many redirects fetching ${input.url}`);
    if (!res.ok) return fail(`${url} answered ${res.status} ${res.statusText}`);
    const type = (res.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    const textual = type === "" || type.startsWith("text/") || /json|xml|javascript|yaml|markdown/.test(type);
    if (!textual) {
      await res.body?.cancel();
      return fail(`${url} is ${type} content, which WebFetch does not return; only HTML, text and JSON can be read`);
    }
    const { text, cut } = await readCapped(res, MAX_BYTES);
    let body = text;
    if (type.includes("html") || (!type && /^\s*<(!doctype|html)/i.test(text))) {
      const { default: Turndown } = await import("turndown");
      const td = new Turndown({ headingStyle: "atx", codeBlockStyle: "fenced" });
      td.remove(["script", "style", "noscript"]);
      body = td.turndown(text);
    }
    const head = `${url}${url.href !== input.url ? ` (redirected from ${input.url})` : ""} · ${type || "unknown type"}${cut ? " · cut at 5 MB" : ""}`;
    return { output: `${head}${input.prompt ? `\nLooking for: ${input.prompt}` : ""}\n\n${body}` };
  },
};

async function readCapped(res: Response, max: number): Promise<{ text: string; cut: boolean }> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (!res.body) return { text: "", cut: false };
  const reader = res.body.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return { text: new TextDecoder().decode(Buffer.concat(chunks)), cut: false };
    chunks.push(value);
    size += value.length;
    if (size > max) {
      await reader.cancel();
      return { text: new TextDecoder().decode(Buffer.concat(chunks).subarray(0, max)), cut: true };
    }
  }
}
