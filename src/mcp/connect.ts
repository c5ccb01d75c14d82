// Connecting to one server with the official SDK. The SDK costs ~60 ms of module loading, so it is imported only
// here, only when a server is configured, and only once. Stdio servers' stderr goes to the debug log (a chatty
// server must not scribble over the terminal) and their processes are killed when runcode exits.
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { log } from "../core/log";
import { childEnv } from "../core/secrets";
import { VERSION } from "../version";
import type { ServerSpec } from "./config";

type Sdk = {
  Client: typeof import("@modelcontextprotocol/sdk/client/index.js").Client;
  Stdio: typeof import("@modelcontextprotocol/sdk/client/stdio.js").StdioClientTransport;
  Http: typeof import("@modelcontextprotocol/sdk/client/streamableHttp.js").StreamableHTTPClientTransport;
  Sse: typeof import("@modelcontextprotocol/sdk/client/sse.js").SSEClientTransport;
};

let sdk: Promise<Sdk> | undefined;
export function loadSdk(): Promise<Sdk> {
  sdk ??= Promise.all([
    import("@modelcontextprotocol/sdk/client/index.js"),
    import("@modelcontextprotocol/sdk/client/stdio.js"),
    import("@modelcontextprotocol/sdk/client/streamableHttp.js"),
    import("@modelcontextprotocol/sdk/client/sse.js"),
  ]).then(([c, s, h, e]) => ({
    Client: c.Client,
    Stdio: s.StdioClientTransport,
    Http: h.StreamableHTTPClientTransport,
    Sse: e.SSEClientTransport,
  }));
  return sdk;
}

/** A live connection; `transport` says which one worked (http servers may have fallen back to sse). */
export type Connection = { client: Client; transport: "stdio" | "http" | "sse"; close: () => Promise<void> };
export type ConnectOptions = {
  timeoutMs: number;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Give up a connection still in progress (the session is ending). */
  signal?: AbortSignal;
  onClose?: (why: string) => void;
};

type Child = { readonly pid: number | null };
const children = new Set<Child>();
let exitHook = false;
/** Kill stdio servers when runcode exits, however it exits; they would otherwise outlive us holding resources. */
function track(t: Child) {
  children.add(t);
  if (exitHook) return;
  exitHook = true;
  process.once("exit", () => {
    for (const c of children) kill(c);
  });
}

function kill(c: Child) {
  children.delete(c);
  try {
    if (c.pid) process.kill(c.pid, "SIGTERM");
  } catch {
    // already gone
  }
}

export async function connect(spec: ServerSpec, o: ConnectOptions): Promise<Connection> {
  if (spec.error) throw new Error(spec.error);
  const s = await loadSdk();
  if (spec.transport === "stdio") {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...childEnv(o.env), ...spec.env })) if (v !== undefined) env[k] = v;
    // The SDK reports a missing program as a JSON-RPC error; say what it is instead.
    if (!Bun.which(spec.command, { PATH: env.PATH ?? "", cwd: spec.cwd ?? o.cwd }))
      throw new Error(`command "${spec.command}" was not found: install it, or fix "command" of server "${spec.name}" in ${spec.file}`);
    const t = new s.Stdio({ command: spec.command, args: spec.args, env, cwd: spec.cwd ?? o.cwd, stderr: "pipe" });
    t.stderr?.on("data", (chunk: Buffer) => {
      for (const line of chunk.toString("utf8").split("\n")) if (line.trim()) log(`mcp ${spec.name}: ${line.slice(0, 2000)}`);
    });
    track(t);
    const c = await attempt(s, t, spec, o);
    return {
      ...c,
      transport: "stdio",
      close: async () => {
        // SIGTERM first: the SDK would wait up to 2 s for a server that ignores the end of its stdin.
        kill(t);
        await c.close();
      },
    };
  }
  const url = new URL(spec.url);
  const init = { requestInit: { headers: spec.headers } };
  if (spec.transport === "sse") return { ...(await attempt(s, new s.Sse(url, init), spec, o)), transport: "sse" };
  try {
    return { ...(await attempt(s, new s.Http(url, init), spec, o)), transport: "http" };
  } catch (err) {
    // Many servers still speak only the 2024 HTTP+SSE transport; opencode falls back the same way.
    log(`mcp ${spec.name}: streamable HTTP failed (${msg(err)}), trying SSE`);
    try {
      return { ...(await attempt(s, new s.Sse(url, init), spec, o)), transport: "sse" };
    } catch {
      throw err;
    }
  }
}

async function attempt(s: Sdk, t: Transport, spec: ServerSpec, o: ConnectOptions) {
  const client = new s.Client({ name: "runcode", version: VERSION }, { capabilities: {} });
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const stop = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${o.timeoutMs / 1000} s (config mcp-connect-timeout)`)), o.timeoutMs);
    onAbort = () => reject(new Error("cancelled"));
    o.signal?.addEventListener("abort", onAbort, { once: true });
    // The SDK only reports unparsable output through onerror; during the handshake it means a broken server.
    client.onerror = (err) => reject(new Error(`sent something that is not JSON-RPC (${msg(err)})`));
  });
  try {
    if (o.signal?.aborted) throw new Error("cancelled");
    await Promise.race([client.connect(t, { timeout: o.timeoutMs }), stop]);
  } catch (err) {
    // A stdio server that hangs at start is killed here, not left running until runcode exits.
    if (t instanceof s.Stdio) kill(t);
    await client.close().catch(() => {});
    await t.close().catch(() => {});
    throw new Error(clean(err));
  } finally {
    clearTimeout(timer);
    if (onAbort) o.signal?.removeEventListener("abort", onAbort);
  }
  let closing = false;
  client.onclose = () => {
    if (!closing) o.onClose?.("the connection closed");
  };
  client.onerror = (err) => log(`mcp ${spec.name}: ${msg(err)}`);
  return {
    client,
    close: async () => {
      closing = true;
      await client.close().catch(() => {});
    },
  };
}

const msg = (err: unknown) => (err instanceof Error ? err.message : String(err));
/** SDK errors carry codes and JSON; users need one line. */
const clean = (err: unknown) =>
  msg(err)
    .replace(/^MCP error -?\d+: /, "")
    .split("\n")[0]!
    .slice(0, 300);
