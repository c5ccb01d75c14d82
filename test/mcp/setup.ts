// Shared pieces of the MCP tests: the real reference servers from node_modules (never `npx -y`: tests must not
// need the network), tiny fault fixtures run with this Bun, config writers and the scripted model turn.
import { writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Recorded, Reply } from "../fake-gateway";
import { ROOT, waitFor } from "../helpers";

export const BUN = process.execPath;
const pkg = (name: string) => join(ROOT, "node_modules", "@modelcontextprotocol", name, "dist", "index.js");
export const EVERYTHING = pkg("server-everything");
export const FILESYSTEM = pkg("server-filesystem");
export const fixture = (name: string) => join(import.meta.dir, "fixtures", `${name}.ts`);

export const stdio = (script: string, ...args: string[]) => ({ command: BUN, args: [script, ...args] });

export function writeMcp(file: string, servers: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  mkdirSync(join(file, ".."), { recursive: true });
  writeFileSync(file, JSON.stringify({ ...extra, mcpServers: servers }, null, 2));
}

/** The tool_result blocks of the last user message the gateway received. */
export function toolResults(rec: Recorded): Array<{ tool_use_id: string; content: unknown; is_error?: boolean }> {
  const m = rec.body.messages.at(-1);
  return Array.isArray(m.content) ? m.content.filter((b: { type: string }) => b.type === "tool_result") : [];
}

export const resultText = (content: unknown): string =>
  typeof content === "string"
    ? content
    : (content as Array<{ type: string; text?: string }>)
        .filter((b) => b.type === "text")
        .map((b) => b.text)
        .join("\n");

/** A model turn that calls one tool, then answers with what the tool returned. */
export function callThenEcho(tool: string, input: Record<string, unknown>): Reply[] | Array<Reply | ((r: Recorded) => Reply)> {
  return [
    { tools: [{ name: tool, input, id: "toolu_mcp_1" }] },
    (rec: Recorded) => ({ text: `got: ${resultText(toolResults(rec)[0]?.content ?? "")}` }),
  ];
}

/** Start server-everything's Streamable HTTP (and SSE) mode on a free loopback port. */
export async function startHttpEverything(mode: "streamableHttp" | "sse" = "streamableHttp"): Promise<{ url: string; stop: () => void }> {
  const probe = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response() });
  const port = probe.port;
  probe.stop(true);
  const proc = Bun.spawn([BUN, EVERYTHING, mode], { env: { ...process.env, PORT: String(port) }, stdout: "ignore", stderr: "pipe" });
  const base = `http://127.0.0.1:${port}`;
  // Both modes announce `… on port N` on stderr once they listen; stderr is read to the end so the pipe never fills.
  let stderr = "";
  void (async () => {
    const dec = new TextDecoder();
    for await (const chunk of proc.stderr) stderr += dec.decode(chunk, { stream: true });
  })();
  await waitFor(() => proc.exitCode !== null || stderr.includes(`on port ${port}`), {
    timeoutMs: 15_000,
    what: `server-everything (${mode}) to listen on port ${port}`,
  });
  if (proc.exitCode !== null) throw new Error(`server-everything (${mode}) exited with ${proc.exitCode} before listening:\n${stderr}`);
  return { url: `${base}/${mode === "sse" ? "sse" : "mcp"}`, stop: () => proc.kill() };
}
