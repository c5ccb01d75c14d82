// The last tool list each server reported, keyed by its configuration. With it the very first model call already
// lists a server's tools while the server is still starting (a call then waits for the connection), so background
// connecting costs the model nothing after the first run. A changed config is a new key, so stale lists are not used.
import { existsSync, readFileSync } from "node:fs";
import type { ServerSpec } from "./config";
import { isObject } from "./config";
import { writePrivateJson } from "../core/private";

export type ToolInfo = { name: string; description?: string; inputSchema?: unknown; annotations?: { readOnlyHint?: boolean } };

export const cacheKey = (s: ServerSpec) =>
  Bun.hash(JSON.stringify(s.transport === "stdio" ? [s.name, s.command, s.args, s.cwd ?? ""] : [s.name, s.transport, s.url])).toString(36);

export function readCache(file: string): Record<string, ToolInfo[]> {
  if (!existsSync(file)) return {};
  try {
    const v: unknown = JSON.parse(readFileSync(file, "utf8"));
    return isObject(v) ? (v as Record<string, ToolInfo[]>) : {};
  } catch {
    return {}; // a cache: rebuilt on the next connection
  }
}

export function writeCache(file: string, key: string, tools: ToolInfo[]) {
  try {
    writePrivateJson(file, {
      ...readCache(file),
      [key]: tools.map(({ name, description, inputSchema, annotations }) => ({ name, description, inputSchema, annotations })),
    });
  } catch {
    // read-only home: next run starts cold, nothing else changes
  }
}
