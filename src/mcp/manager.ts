// The MCP servers of one session: connects them in parallel in the background, registers each server's tools in
// the session's ToolRegistry as `mcp__<server>__<tool>`, and answers the REPL's /mcp (status, reconnect). Nothing
// here blocks a run: a tool whose server is still starting waits for it inside its own call, with the timeouts.
import type { ToolRegistry } from "../tools/registry";
import type { AnyTool, Tool } from "../tools/types";
import { cacheKey, readCache, writeCache, type ToolInfo } from "./cache";
import type { ServerSpec } from "./config";
import { connect, type Connection } from "./connect";
import { convertResult, inputSchema, toolName, type CallResult } from "./convert";

/**
 * What one server's tool definitions may add to every model request. Tool definitions are sent with each call: a
 * server listing 2,000 tools with 5 KB descriptions would make each request millions of tokens.
 */
const SERVER_TOOLS_BYTES = 96 * 1024;
const DESCRIPTION_CHARS = 2000;
export type Status = "pending" | "connecting" | "connected" | "failed";
export type ServerStatus = {
  name: string;
  scope: ServerSpec["scope"];
  transport: string;
  status: Status;
  tools: number;
  prompts: number;
  error?: string;
  ms?: number;
};
export type PromptInfo = {
  name: string;
  description?: string;
  arguments?: Array<{ name: string; description?: string; required?: boolean }>;
};

export type ManagerOptions = {
  servers: ServerSpec[];
  connectMs: number;
  callMs: number;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Where the session's tools live; omitted (e.g. `mcp list`) = connect and report only. */
  registry?: ToolRegistry;
  /** Whether to offer a tool to the model (the run's permission policy); default: all. Others are hidden. */
  offer?: (t: AnyTool) => boolean;
  /** ~/.blockrun/cache/mcp-tools.json; omitted = no cache. */
  cacheFile?: string;
};

type Server = {
  spec: ServerSpec;
  state: ServerStatus;
  conn?: Connection;
  ready?: Promise<Connection>;
  names: string[];
  prompts: PromptInfo[];
};

export class McpManager {
  readonly servers: Server[];
  private queued: string[] = [];
  private readonly abort = new AbortController();
  constructor(private readonly o: ManagerOptions) {
    const cache = o.cacheFile ? readCache(o.cacheFile) : {};
    this.servers = o.servers.map((spec) => {
      const state: ServerStatus = {
        name: spec.name,
        scope: spec.scope,
        transport: spec.transport,
        status: spec.error ? "failed" : "pending",
        tools: 0,
        prompts: 0,
        ...(spec.error ? { error: spec.error } : {}),
      };
      const s: Server = { spec, state, names: [], prompts: [] };
      if (spec.error) this.queued.push(`MCP server "${spec.name}": ${spec.error}`);
      else this.register(s, cache[cacheKey(spec)] ?? []);
      return s;
    });
  }

  /** Connect every server not yet connected, in parallel. Returns at once; `settled()` waits. */
  start(): void {
    for (const s of this.servers) if (s.state.status === "pending") this.open(s);
  }

  /** Resolves when every connection attempt has finished (connected or failed). */
  async settled(): Promise<ServerStatus[]> {
    this.start();
    await Promise.allSettled(this.servers.map((s) => s.ready));
    return this.status();
  }

  status(): ServerStatus[] {
    return this.servers.map((s) => ({ ...s.state }));
  }

  /** Servers still starting with no tools known yet (no cached list): their tools are missing from the next call. */
  pending(): string[] {
    return this.servers
      .filter((s) => (s.state.status === "connecting" || s.state.status === "pending") && !s.names.length)
      .map((s) => s.spec.name);
  }

  /** Warnings since the last call (failed servers, name clashes), each reported once. */
  warnings(): string[] {
    return this.queued.splice(0);
  }

  /** Close and connect again: one server by name, or all. */
  async reconnect(name?: string): Promise<ServerStatus[]> {
    const targets = this.servers.filter((s) => !name || s.spec.name === name);
    await Promise.all(targets.map((s) => s.conn?.close()));
    for (const s of targets) {
      s.conn = undefined;
      if (!s.spec.error) this.open(s);
    }
    await Promise.allSettled(targets.map((s) => s.ready));
    return this.status();
  }

  /** The live connection of a server, waiting for it if it is still starting. */
  connection(name: string): Promise<Connection> {
    const s = this.servers.find((x) => x.spec.name === name);
    if (!s) return Promise.reject(new Error(`no MCP server named "${name}"`));
    if (s.state.status === "pending") this.open(s);
    if (!s.ready) return Promise.reject(new Error(s.state.error ?? "not connected"));
    return s.ready;
  }

  prompts(): Array<{ server: string; prompt: PromptInfo }> {
    return this.servers.flatMap((s) => s.prompts.map((prompt) => ({ server: s.spec.name, prompt })));
  }

  /** End the session: stop connections in progress, close the rest (stdio servers are killed). Waits at most `ms`. */
  async close(ms = 1000): Promise<void> {
    this.abort.abort();
    let timer: ReturnType<typeof setTimeout> | undefined;
    // An unref'd timer: a plain sleep in the race would itself keep the process alive for `ms`.
    const limit = new Promise<void>((r) => (timer = setTimeout(r, ms)).unref());
    await Promise.race([Promise.all(this.servers.map((s) => s.conn?.close())), limit]);
    clearTimeout(timer);
  }

  private open(s: Server) {
    const t0 = performance.now();
    s.state = { ...s.state, status: "connecting", error: undefined };
    // `ready` covers connecting and listing, so a caller never sees a half-known server.
    s.ready = (async () => {
      const conn = await connect(s.spec, {
        timeoutMs: this.o.connectMs,
        env: this.o.env,
        cwd: this.o.cwd,
        signal: this.abort.signal,
        onClose: (why) => this.fail(s, why),
      });
      s.conn = conn;
      const caps = conn.client.getServerCapabilities() ?? {};
      const opts = { timeout: this.o.connectMs };
      const [tools, prompts] = await Promise.all([
        caps.tools
          ? listAll((cursor) => conn.client.listTools({ cursor }, opts).then((r) => ({ items: r.tools as ToolInfo[], next: r.nextCursor })))
          : [],
        caps.prompts
          ? listAll((cursor) =>
              conn.client.listPrompts({ cursor }, opts).then((r) => ({ items: r.prompts as PromptInfo[], next: r.nextCursor })),
            ).catch(() => [])
          : [],
      ]);
      if (this.o.cacheFile) writeCache(this.o.cacheFile, cacheKey(s.spec), tools);
      this.register(s, tools);
      s.prompts = prompts;
      s.state = {
        ...s.state,
        status: "connected",
        transport: conn.transport,
        tools: s.names.length,
        prompts: prompts.length,
        ms: Math.round(performance.now() - t0),
      };
      return conn;
    })();
    // A failure is recorded in the status (and reported once as a warning); callers awaiting `ready` see it too.
    s.ready.catch((err) => {
      void s.conn?.close();
      this.fail(s, err instanceof Error ? err.message : String(err));
    });
  }

  private fail(s: Server, error: string) {
    if (s.state.status === "failed" && s.state.error === error) return;
    s.state = { ...s.state, status: "failed", error };
    this.queued.push(`MCP server "${s.spec.name}" is unavailable: ${error}`);
  }

  /** Replace a server's tools in the registry with `infos`, as many as fit in what one server may add to a request. */
  private register(s: Server, infos: ToolInfo[]) {
    const reg = this.o.registry;
    for (const n of s.names) reg?.unregister(n);
    s.names = [];
    let bytes = 0;
    for (const [i, info] of infos.entries()) {
      const tool = this.tool(s, info) as AnyTool;
      bytes += JSON.stringify({ name: tool.name, description: tool.description, input_schema: tool.input_schema }).length;
      if (bytes > SERVER_TOOLS_BYTES) {
        this.queued.push(
          `MCP server "${s.spec.name}" offers ${infos.length} tools; only the first ${i} fit in the ${SERVER_TOOLS_BYTES / 1024} KB of tool definitions a server may add to each request, the other ${infos.length - i} are left out`,
        );
        break;
      }
      if (reg && !reg.register(tool)) {
        this.queued.push(`MCP tool ${tool.name} clashes with a tool of the same name; skipped`);
        continue;
      }
      // Not offered to the model, but still answered: a call then gets a permission denial, not "unknown tool".
      if (this.o.offer && !this.o.offer(tool)) reg?.hide(tool.name);
      s.names.push(tool.name);
    }
  }

  private tool(s: Server, info: ToolInfo): Tool<Record<string, unknown>> {
    const server = s.spec.name;
    return {
      name: toolName(server, info.name),
      description: `${(info.description ?? info.name).slice(0, DESCRIPTION_CHARS)} (MCP server ${server})`,
      input_schema: inputSchema(info.inputSchema),
      // An MCP tool may do anything; only the server's own read-only claim lets it run without asking.
      mutating: info.annotations?.readOnlyHint !== true,
      // Rules like `mcp__fs__write_file(/etc/*)` match the call's string arguments.
      subject: (input) => ({ texts: Object.values(input).filter((v): v is string => typeof v === "string") }),
      run: async (input, ctx) => {
        let conn: Connection;
        try {
          conn = await this.connection(server);
        } catch (err) {
          return { output: `MCP server "${server}" is not available: ${err instanceof Error ? err.message : String(err)}`, error: true };
        }
        try {
          const r = await conn.client.callTool({ name: info.name, arguments: input }, undefined, {
            timeout: this.o.callMs,
            signal: ctx.signal,
          });
          return convertResult(r as CallResult);
        } catch (err) {
          if (ctx.signal.aborted) throw err;
          const m = err instanceof Error ? err.message : String(err);
          const why = /timed out/i.test(m)
            ? `no answer within ${this.o.callMs / 1000} s (config mcp-call-timeout)`
            : m.replace(/^MCP error -?\d+: /, "");
          return { output: `${info.name} on MCP server "${server}" failed: ${why}`, error: true };
        }
      },
    };
  }
}

async function listAll<T>(page: (cursor?: string) => Promise<{ items: T[]; next?: string }>): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  // A server that pages forever must not hang the session.
  for (let i = 0; i < 100; i++) {
    const r = await page(cursor);
    out.push(...r.items);
    if (!r.next) break;
    cursor = r.next;
  }
  return out;
}
