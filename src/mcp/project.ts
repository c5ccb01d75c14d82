// The MCP servers of one workspace (ask, edit, the REPL): the global mcp.json and, once the project is trusted,
// its .mcp.json. Servers connect in the background from the start; their tools join the registry as they connect
// (only tools the run could allow are offered), `@server:uri` mentions attach resources, problems come back as
// warnings, each once. A one-shot run waits for every server before its first model call (`settled`); the REPL
// asks whether to trust an untrusted project's .mcp.json before its first message (`untrusted`, `trustProject`).
import { existsSync } from "node:fs";
import type { AnyTool } from "../tools/types";
import type { ToolRegistry } from "../tools/registry";
import { attachResources, promptCommands } from "./context";
import { isTrusted, trust } from "./files";
import { openMcp } from "./index";
import type { McpManager } from "./manager";

export type ProjectMcpOptions = {
  env: Record<string, string | undefined>;
  cwd: string;
  paths: { home: string; mcp: string; trusted: string };
  get: (key: string) => unknown;
  root: string;
  /** --trust, --trust-mcp, trust mode: the project's .mcp.json is used without asking. */
  trusted: boolean;
  /** The user can be asked to trust the project (a REPL on a terminal): its "not trusted" warning becomes a question. */
  canAsk: boolean;
  registry: ToolRegistry;
  offer: (t: AnyTool) => boolean;
};

export class ProjectMcp {
  manager?: McpManager;
  /** The project's .mcp.json, while it waits for the user's trust (only when the user can be asked). */
  untrusted?: string;
  private early: string[] = [];

  constructor(private readonly o: ProjectMcpOptions) {
    const ok = o.trusted || isTrusted(o.paths.trusted, o.root);
    const file = `${o.root}/.mcp.json`;
    if (!ok && o.canAsk && existsSync(file)) this.untrusted = file;
    this.open(ok);
  }

  private open(trusted: boolean) {
    const { o } = this;
    const opened = openMcp({
      home: o.paths.home,
      globalFile: o.paths.mcp,
      root: o.root,
      cwd: o.cwd,
      trusted,
      env: o.env,
      connectMs: (o.get("mcp-connect-timeout") as number) * 1000,
      callMs: (o.get("mcp-call-timeout") as number) * 1000,
      registry: o.registry,
      offer: o.offer,
    });
    this.manager = opened?.manager;
    // The "not trusted" warning is replaced by the question the REPL asks.
    this.early = (opened?.warnings ?? []).filter((w) => !this.untrusted || !w.includes("not trusted"));
    // After the current tick: a REPL's prompt is up before any server process is spawned.
    if (this.manager) setTimeout(() => this.manager?.start(), 0);
  }

  /** The user trusts the project: remember it and start its servers too. */
  async trustProject() {
    trust(this.o.paths.trusted, this.o.root);
    this.untrusted = undefined;
    await this.manager?.close();
    this.open(true);
  }

  /** Waits until every server has connected or failed (each bounded by mcp-connect-timeout). */
  async settled() {
    await this.manager?.settled();
  }

  /** Warnings not yet reported (config problems, failed servers, name clashes), each once. */
  warnings(): string[] {
    return [...this.early.splice(0), ...(this.manager?.warnings() ?? [])];
  }

  async attach(prompt: string): Promise<{ text: string; warnings: string[] }> {
    return this.manager ? attachResources(this.manager, prompt) : { text: prompt, warnings: [] };
  }

  prompts() {
    return this.manager ? promptCommands(this.manager) : [];
  }

  async close() {
    await this.manager?.close();
  }
}
