// The MCP client's front door for ask, edit and the REPL. Reading config is cheap and synchronous; with no server
// configured nothing else is loaded (the SDK is imported by connect.ts only when a server starts).
import { join } from "node:path";
import type { ToolRegistry } from "../tools/registry";
import type { AnyTool } from "../tools/types";
import { loadServers } from "./config";
import { McpManager } from "./manager";

export { McpManager, type ServerStatus } from "./manager";
export { promptCommands, attachResources, type SlashCommand } from "./context";
export { isTrusted, trust } from "./files";

export type StartOptions = {
  home: string;
  /** ~/.blockrun/mcp.json */
  globalFile: string;
  root: string;
  cwd: string;
  /** The project is trusted (trusted-projects.json, --trust-mcp): its .mcp.json is read. */
  trusted: boolean;
  env: Record<string, string | undefined>;
  connectMs: number;
  callMs: number;
  registry?: ToolRegistry;
  offer?: (t: AnyTool) => boolean;
};

/** The session's MCP servers, or undefined when none is configured. Call `start()` to connect (in the background). */
export function openMcp(o: StartOptions): { manager: McpManager; warnings: string[] } | undefined {
  const { servers, warnings } = loadServers({ globalFile: o.globalFile, root: o.root, trusted: o.trusted, env: o.env });
  if (!servers.length) return warnings.length ? { manager: new McpManager({ ...o, servers: [] }), warnings } : undefined;
  return { manager: new McpManager({ ...o, servers, cacheFile: join(o.home, "cache", "mcp-tools.json") }), warnings };
}
