// MCP for the REPL: the session's servers connect in the background once the prompt is up, their tools join the
// registry as they connect, `@server:uri` mentions attach resources, prompts become `/server:prompt` commands, and
// a project's .mcp.json is used only once the user trusts the project (asked before the first message).
import { existsSync } from "node:fs";
import type { Context } from "../cli/context";
import { attachResources, isTrusted, type McpManager, openMcp, promptCommands, trust } from "../mcp";
import type { Policy } from "../permissions/policy";
import type { ToolRegistry } from "../tools/registry";

export class ReplMcp {
  manager?: McpManager;
  private early: string[] = [];
  /** The project's .mcp.json, while it waits for the user's trust. */
  untrusted?: string;

  constructor(
    private readonly ctx: Context,
    private readonly root: string,
    private readonly registry: ToolRegistry,
    private readonly policy: Policy,
    trusted: boolean,
  ) {
    const file = `${root}/.mcp.json`;
    const ok = trusted || isTrusted(ctx.paths.trusted, root);
    if (!ok && existsSync(file)) this.untrusted = file;
    this.open(ok);
  }

  private open(trusted: boolean) {
    const opened = openMcp({
      home: this.ctx.paths.home,
      globalFile: this.ctx.paths.mcp,
      root: this.root,
      cwd: this.ctx.cwd,
      trusted,
      env: this.ctx.env,
      connectMs: (this.ctx.get("mcp-connect-timeout") as number) * 1000,
      callMs: (this.ctx.get("mcp-call-timeout") as number) * 1000,
      registry: this.registry,
      offer: (t) => this.policy.offers(t, true),
    });
    this.manager = opened?.manager;
    // The "not trusted" warning is replaced by the question the REPL asks.
    this.early = (opened?.warnings ?? []).filter((w) => !this.untrusted || !w.includes("not trusted"));
    if (this.manager) setTimeout(() => this.manager?.start(), 0);
  }

  /** The user trusts the project: remember it and start its servers too. */
  async trustProject() {
    trust(this.ctx.paths.trusted, this.root);
    this.untrusted = undefined;
    await this.manager?.close();
    this.open(true);
  }

  warnings(): string[] {
    return [...this.early.splice(0), ...(this.manager?.warnings() ?? [])];
  }

  async attach(prompt: string): Promise<{ text: string; warnings: string[] }> {
    return this.manager ? attachResources(this.manager, prompt) : { text: prompt, warnings: [] };
  }

  prompts() {
    return this.manager ? promptCommands(this.manager) : [];
  }

  close() {
    return this.manager?.close();
  }
}
