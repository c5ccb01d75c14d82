// MCP server configuration in Claude Code's format, so servers users already set up elsewhere work unchanged:
// `{"mcpServers": {name: {command, args, env} | {type: "http"|"sse", url, headers}}}` in ~/.blockrun/mcp.json
// (global) and <project>/.mcp.json (only when the project is trusted: a checked-out repo must not start programs).
// Reading never throws: a broken file becomes one warning naming it, a broken server an error on that server.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { isSecretEnv } from "../core/secrets";

export type Scope = "global" | "project" | "builtin";
export type Stdio = { transport: "stdio"; command: string; args: string[]; env: Record<string, string>; cwd?: string };
export type Remote = { transport: "http" | "sse"; url: string; headers: Record<string, string> };
/** One server after `${VAR}` expansion. `error` set = configured but unusable (shown by `mcp list`, never connected). */
export type ServerSpec = { name: string; scope: Scope; file: string; error?: string } & (Stdio | Remote);

export type Loaded = { servers: ServerSpec[]; warnings: string[] };
export type LoadOptions = {
  globalFile: string;
  root: string;
  trusted: boolean;
  env: Record<string, string | undefined>;
  builtins?: boolean;
};

/** Executables runcode connects to when installed, unless a configured server already has the name. */
export const BUILTINS: Array<{ name: string; command: string; args: string[] }> = [
  { name: "blockrun", command: "blockrun-mcp", args: [] },
  { name: "unbrowse", command: "unbrowse", args: ["mcp"] },
];

export const projectFile = (root: string) => join(root, ".mcp.json");

/** Every server runcode would use here: global, then project (same name: project wins, as in Claude Code), then built-ins. */
export function loadServers(o: LoadOptions): Loaded {
  const warnings: string[] = [];
  const byName = new Map<string, ServerSpec>();
  const files: Array<[string, Scope]> = [[o.globalFile, "global"]];
  if (o.trusted) files.push([projectFile(o.root), "project"]);
  else if (existsSync(projectFile(o.root)))
    warnings.push(
      `${projectFile(o.root)} is ignored: this project is not trusted (rerun with --trust-mcp, or trust it when the REPL asks)`,
    );
  for (const [file, scope] of files) {
    const r = readServers(file);
    if ("error" in r) {
      warnings.push(r.error);
      continue;
    }
    for (const [name, raw] of Object.entries(r.servers)) byName.set(name, parseServer(name, raw, scope, file, o.env));
  }
  if (o.builtins !== false)
    for (const b of BUILTINS) {
      if (byName.has(b.name)) continue;
      const command = Bun.which(b.command, { PATH: o.env.PATH ?? "" });
      if (command)
        byName.set(b.name, { name: b.name, scope: "builtin", file: command, transport: "stdio", command, args: b.args, env: {} });
    }
  return { servers: [...byName.values()], warnings };
}

/** The `mcpServers` object of a file; a missing file is empty. */
export function readServers(file: string): { servers: Record<string, unknown>; data: Record<string, unknown> } | { error: string } {
  if (!existsSync(file)) return { servers: {}, data: {} };
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    return { error: `MCP config ${file} is not valid JSON (${err instanceof Error ? err.message : String(err)}); its servers are skipped` };
  }
  if (!isObject(data)) return { error: `MCP config ${file} must be a JSON object with "mcpServers"; its servers are skipped` };
  const servers = data.mcpServers ?? {};
  if (!isObject(servers)) return { error: `"mcpServers" in ${file} must be an object of servers by name; its servers are skipped` };
  return { servers, data };
}

export function parseServer(name: string, raw: unknown, scope: Scope, file: string, env: Record<string, string | undefined>): ServerSpec {
  const base = { name, scope, file };
  const bad = (why: string): ServerSpec => ({
    ...base,
    transport: "stdio",
    command: "",
    args: [],
    env: {},
    error: `${why} (server "${name}" in ${file})`,
  });
  if (!isObject(raw)) return bad("must be an object");
  const missing = new Set<string>();
  const secret = new Set<string>();
  // A server never gets runcode's secrets, not even by naming their variable in its config.
  const x = (s: string) => expand(s, env, missing, secret);
  const strings = (v: unknown, what: string): Record<string, string> | string => {
    if (v === undefined) return {};
    if (!isObject(v) || Object.values(v).some((s) => typeof s !== "string")) return `"${what}" must be an object of strings`;
    return Object.fromEntries(Object.entries(v as Record<string, string>).map(([k, s]) => [k, x(s)]));
  };
  const type = raw.type ?? (raw.url !== undefined ? "http" : "stdio");
  let spec: ServerSpec;
  if (type === "stdio") {
    if (typeof raw.command !== "string" || !raw.command) return bad('needs "command"');
    if (raw.args !== undefined && (!Array.isArray(raw.args) || raw.args.some((a) => typeof a !== "string")))
      return bad('"args" must be a list of strings');
    const e = strings(raw.env, "env");
    if (typeof e === "string") return bad(e);
    const cwd = typeof raw.cwd === "string" ? x(raw.cwd) : undefined;
    spec = {
      ...base,
      transport: "stdio",
      command: x(raw.command),
      args: ((raw.args ?? []) as string[]).map(x),
      env: e,
      ...(cwd ? { cwd } : {}),
    };
  } else if (type === "http" || type === "sse" || type === "streamable-http") {
    if (typeof raw.url !== "string" || !raw.url) return bad('needs "url"');
    const h = strings(raw.headers, "headers");
    if (typeof h === "string") return bad(h);
    const url = x(raw.url);
    if (!URL.canParse(url)) return bad(`"url" is not a URL: ${url}`);
    spec = { ...base, transport: type === "sse" ? "sse" : "http", url, headers: h };
  } else return bad(`unknown "type" ${JSON.stringify(type)} (use stdio, http or sse)`);
  if (secret.size)
    spec.error = `it names ${[...secret].join(", ")}, which holds runcode's wallet key, and MCP servers never get runcode's secrets (server "${name}" in ${file}); remove that reference`;
  else if (missing.size)
    spec.error = `environment variable ${[...missing].join(", ")} is not set (server "${name}" in ${file}); set it or use \${VAR:-default}`;
  return spec;
}

/** Claude Code's expansion: `${VAR}` and `${VAR:-default}`; unset variables without a default are collected. */
export function expand(
  s: string,
  env: Record<string, string | undefined>,
  missing = new Set<string>(),
  secret = new Set<string>(),
): string {
  return s.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (_, v: string, dflt: string | undefined) => {
    if (isSecretEnv(v)) {
      secret.add(v);
      return "";
    }
    const val = env[v];
    if (val !== undefined && val !== "") return val;
    if (dflt !== undefined) return dflt;
    missing.add(v);
    return "";
  });
}

export const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);
