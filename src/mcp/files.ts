// Writing MCP config files and the trusted-projects list. Writes keep everything runcode does not own (other
// servers, unknown keys, key order) so Claude Code can keep reading the same file, and are atomic (temp + rename)
// so a crash never leaves half a file.
import { ActionableError } from "../core/errors";
import { writeJsonAtomic as writeAtomic } from "../core/fs";
import { readServers } from "./config";

/** Add or replace one server entry; returns whether it replaced an existing one. */
export function addServer(file: string, name: string, entry: Record<string, unknown>): boolean {
  const { data, servers } = editable(file);
  const replaced = name in servers;
  data.mcpServers = { ...servers, [name]: entry };
  writeAtomic(file, data);
  return replaced;
}

/** Remove one server entry; returns false when the file has no such server. */
export function removeServer(file: string, name: string): boolean {
  const { data, servers } = editable(file);
  if (!(name in servers)) return false;
  const { [name]: _, ...rest } = servers;
  data.mcpServers = rest;
  writeAtomic(file, data);
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

export { writeAtomic };
