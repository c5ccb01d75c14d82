// `runcode mcp list|add|remove`: the MCP servers in ~/.blockrun/mcp.json and the project's .mcp.json, in Claude
// Code's format so both tools read the same files. See docs/mcp.md.
import { err, out } from "../cli/io";
import { defineCommand } from "citty";
import { repeated } from "../cli/args";
import { context } from "../cli/context";
import { repoRoot } from "../agent/system-prompt";
import { usageError } from "../core/errors";
import { loadServers, projectFile } from "../mcp/config";
import { addServer, isTrusted, removeServer } from "../mcp/files";
import { McpManager } from "../mcp/manager";

const scopeArg = { scope: { type: "string", description: "global (~/.blockrun/mcp.json, default) or project (./.mcp.json)" } } as const;

function where(scope: unknown) {
  const ctx = context();
  const root = repoRoot(ctx.cwd) ?? ctx.cwd;
  if (scope !== undefined && scope !== "global" && scope !== "project")
    throw usageError(`--scope must be global or project, got "${String(scope)}"`, "e.g. --scope project");
  return { ctx, root, file: scope === "project" ? projectFile(root) : ctx.paths.mcp };
}

const NAME = /^[A-Za-z0-9_.-]+$/;

export default defineCommand({
  meta: { name: "mcp", description: "Manage MCP servers (mcp.json, .mcp.json; same format as Claude Code)" },
  subCommands: {
    list: defineCommand({
      meta: { name: "list", description: "Connect to each server and show its transport, status, tool count and errors" },
      args: {
        json: { type: "boolean", description: "print as JSON" },
        "trust-mcp": { type: "boolean", description: "include this project's .mcp.json even if it is not trusted" },
      },
      async run({ args }) {
        const { ctx, root } = where(undefined);
        const trusted = !!args["trust-mcp"] || isTrusted(ctx.paths.trusted, root);
        const { servers, warnings } = loadServers({ globalFile: ctx.paths.mcp, root, trusted, env: ctx.env });
        const m = new McpManager({
          servers,
          env: ctx.env,
          cwd: ctx.cwd,
          connectMs: (ctx.get("mcp-connect-timeout") as number) * 1000,
          callMs: 0,
          cacheFile: `${ctx.paths.home}/cache/mcp-tools.json`,
        });
        const rows = await m.settled();
        await m.close();
        if (args.json) {
          out(`${JSON.stringify({ servers: rows, warnings }, null, 2)}\n`);
          return 0;
        }
        // A config that cannot be read is an error, not an empty list: the user's servers are there, unread.
        for (const w of warnings) err(`error: ${w}\n`);
        if (!rows.length) {
          if (!warnings.length)
            out("no MCP servers configured: add one with `runcode mcp add NAME -- COMMAND ARGS…` or `runcode mcp add NAME --url URL`\n");
          return warnings.length ? 1 : 0;
        }
        const w = Math.max(...rows.map((r) => r.name.length));
        for (const r of rows) {
          const detail =
            r.status === "connected" ? `${r.tools} tools${r.prompts ? `, ${r.prompts} prompts` : ""}, ${r.ms} ms` : (r.error ?? "");
          out(`${r.name.padEnd(w)}  ${r.scope.padEnd(7)}  ${r.transport.padEnd(5)}  ${r.status.padEnd(9)}  ${detail}\n`);
        }
        return warnings.length ? 1 : 0;
      },
    }),
    add: defineCommand({
      meta: { name: "add", description: "Add a server: NAME -- COMMAND ARGS… (stdio) or NAME --url URL [--header 'K: V'] (remote)" },
      args: {
        name: { type: "positional", required: true, description: "server name (letters, digits, _ . -)" },
        url: { type: "string", description: "URL of a remote server (Streamable HTTP, or SSE)" },
        header: {
          type: "string",
          description: "HTTP header 'Name: value' for a remote server; repeatable; ${VAR} is expanded at run time",
        },
        transport: { type: "string", description: "http (default; falls back to SSE) or sse" },
        env: { type: "string", alias: "e", description: "KEY=VALUE for a stdio server's environment; repeatable" },
        ...scopeArg,
      },
      run({ args, rawArgs }) {
        if (!NAME.test(args.name)) throw usageError(`bad server name "${args.name}"`, "use letters, digits, _ . and -");
        const { ctx, file } = where(args.scope);
        const dash = rawArgs.indexOf("--");
        const command = dash < 0 ? [] : rawArgs.slice(dash + 1);
        let entry: Record<string, unknown>;
        if (args.url) {
          if (command.length) throw usageError("give either --url or -- COMMAND, not both", "see `runcode mcp add --help`");
          if (!URL.canParse(args.url)) throw usageError(`--url is not a URL: ${args.url}`, "e.g. --url https://example.com/mcp");
          const type = args.transport ?? "http";
          if (type !== "http" && type !== "sse") throw usageError(`--transport must be http or sse, got "${type}"`, "e.g. --transport sse");
          const headers = Object.fromEntries(
            repeated(rawArgs, ["header"]).map((h) => pair(h, ":", "--header", '"Authorization: Bearer ${TOKEN}"')),
          );
          entry = { type, url: args.url, ...(Object.keys(headers).length ? { headers } : {}) };
        } else {
          if (!command.length)
            throw usageError(
              "missing the server command",
              "e.g. `runcode mcp add fs -- npx -y @modelcontextprotocol/server-filesystem .`, or --url URL",
            );
          const env = Object.fromEntries(repeated(rawArgs, ["env", "e"]).map((e) => pair(e, "=", "--env", "API_KEY=${API_KEY}")));
          entry = { command: command[0], args: command.slice(1), ...(Object.keys(env).length ? { env } : {}) };
        }
        const replaced = addServer(file, args.name, entry, { home: file === ctx.paths.mcp });
        err(`${replaced ? "replaced" : "added"} MCP server "${args.name}" in ${file}\n`);
        return 0;
      },
    }),
    remove: defineCommand({
      meta: { name: "remove", description: "Remove a server from mcp.json (or .mcp.json with --scope project)" },
      args: { name: { type: "positional", required: true, description: "server name" }, ...scopeArg },
      run({ args }) {
        const { ctx, root, file } = where(args.scope);
        const files = args.scope ? [file] : [ctx.paths.mcp, projectFile(root)];
        const from = files.find((f) => removeServer(f, args.name, { home: f === ctx.paths.mcp }));
        if (!from) throw usageError(`no MCP server "${args.name}" in ${files.join(" or ")}`, "see `runcode mcp list`");
        err(`removed MCP server "${args.name}" from ${from}\n`);
        return 0;
      },
    }),
  },
  run() {
    throw usageError("missing subcommand", "use `runcode mcp list|add|remove`");
  },
});

function pair(s: string, sep: string, flag: string, example: string): [string, string] {
  const i = s.indexOf(sep);
  if (i <= 0) throw usageError(`bad ${flag} "${s}"`, `write it as ${example}`);
  return [s.slice(0, i).trim(), s.slice(i + 1).trim()];
}
