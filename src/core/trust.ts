// trusted-projects.json: the project roots whose own code runcode may run (.runcode/tools custom tools, .mcp.json
// servers). Shared by the agent and MCP so one "trust this project" answer covers both.
import { existsSync, readFileSync } from "node:fs";
import { writePrivateJson } from "./private";

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);

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
  if (!list.includes(dir)) writePrivateJson(file, [...list, dir]);
}
