// Writing MCP config files and the trusted-projects list. Writes keep everything runcode does not own (other
// servers, unknown keys, key order) so Claude Code can keep reading the same file, and are atomic (temp + rename)
// so a crash never leaves half a file. The global mcp.json (in runcode's home, and its headers may hold tokens) is
// 0600; a project's .mcp.json is the user's file and keeps its mode (or the umask's).
import { ActionableError } from "../core/errors";
import { writeJsonAtomic } from "../core/fs";
import { writePrivateJson } from "../core/private";
import { readServers } from "./config";

/** `home`: the file is runcode's global mcp.json, not a project's .mcp.json. */
export type Where = { home: boolean };
const write = (file: string, data: unknown, w: Where) => (w.home ? writePrivateJson(file, data) : writeJsonAtomic(file, data));

/** Add or replace one server entry; returns whether it replaced an existing one. */
export function addServer(file: string, name: string, entry: Record<string, unknown>, w: Where): boolean {
  const { data, servers } = editable(file);
  const replaced = name in servers;
  data.mcpServers = { ...servers, [name]: entry };
  write(file, data, w);
  return replaced;
}

/** Remove one server entry; returns false when the file has no such server. */
export function removeServer(file: string, name: string, w: Where): boolean {
  const { data, servers } = editable(file);
  if (!(name in servers)) return false;
  const { [name]: _, ...rest } = servers;
  data.mcpServers = rest;
  write(file, data, w);
  return true;
}

function editable(file: string) {
  const r = readServers(file);
  // Never rewrite a file we could not read: the user's hand edits would be lost.
  if ("error" in r) throw new ActionableError(r.error.replace(/; its servers are skipped$/, ""), `fix ${file} by hand first`, "config");
  return r;
}

// The trust list is shared with custom tools (src/core/trust.ts); MCP callers import it from here as before.
export { isTrusted, trust, trustedList } from "../core/trust";
