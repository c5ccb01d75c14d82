// WebSearch: the gateway's /v1/search, paid through the same payment seam as model calls.
import { fail, type Tool } from "./types";

type Input = { query: string };
type Hit = { title?: string; url?: string; snippet?: string; content?: string; text?: string; published_date?: string };

export const WebSearch: Tool<Input> = {
  name: "WebSearch",
  description: `Search the web (and news) for current information. Returns titles, URLs and snippets; use WebFetch to read a result in full.
- query: what to search for, as you would type it into a search engine.`,
  input_schema: { type: "object", properties: { query: { type: "string", description: "the search query" } }, required: ["query"] },
  mutating: false,
  subject: (i) => ({ texts: [i.query] }),
  async run(input, ctx) {
    if (!ctx.gateway) return fail("web search is not available in this run");
    if (!input.query.trim()) return fail("query is empty");
    let body: unknown;
    try {
      const { response } = await ctx.gateway.post("/v1/search", { query: input.query, max_results: 8 }, { signal: ctx.signal });
      body = await response.json();
    } catch (err) {
      return fail(`web search failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    const b = body as { results?: Hit[]; data?: Hit[]; answer?: string; summary?: string };
    const hits = b.results ?? b.data ?? [];
    const lines = hits.map(
      (h, n) =>
        `${n + 1}. ${h.title ?? h.url ?? "(untitled)"}\n   ${h.url ?? ""}${h.published_date ? ` (${h.published_date})` : ""}\n   ${(h.snippet ?? h.content ?? h.text ?? "").replace(/\s+/g, " ").slice(0, 400)}`,
    );
    const answer = b.answer ?? b.summary;
    if (!lines.length && !answer) return { output: `no results for "${input.query}"` };
    return { output: `${answer ? `${answer}\n\n` : ""}${lines.join("\n")}` };
  },
};
