// Writing MCP config files and the trusted-projects list. Writes keep everything runcode does not own (other
// servers, unknown keys, key order) so Claude Code can keep reading the same file, and are atomic (temp + rename)
// so a crash never leaves half a file.
import { existsSync, readFileSync } from "node:fs";
import { ActionableError } from "../core/errors";
import { writeJsonAtomic as writeAtomic } from "../core/fs";
import { isObject, readServers } from "./config";

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



/** trusted-projects.json: a JSON list of project roots (the original's format). Unreadable = nothing trusted. */
export function trustedList(file: string): string[] {
  if (!existsSync(file)) return [];
  try {
    const v: unknown = JSON.parse(readFileSync(file, "utf8"));
    if (Array.isArray(v)) return v.filter((x): x is string => typeof x === "string");
    // Tolerate an object form ({projects: [...]}) should a later version write one.
    if (isObject(v) && Array.isArray(v.projects)) return v.projects.filter((x): x is string => typeof x === "string");
  } catch {
    // a corrupt list trusts nothing; trust() rewrites it
  }
  return [];
}

export const isTrusted = (file: string, dir: string) => trustedList(file).includes(dir);

/** Remember that the user trusts `dir` (asked once by the REPL). */
export function trust(file: string, dir: string) {
  const list = trustedList(file);
  if (!list.includes(dir)) writeAtomic(file, [...list, dir]);
}

export { writeAtomic };
