// /mcp (server status, reconnect, trusting the project's .mcp.json) and the servers' prompts as /server:prompt.
import type { ServerStatus } from "../../mcp";
import type { Workspace } from "../../agent/workspace";
import type { CommandContext, SlashCommand } from "./types";

const line = (s: ServerStatus, c: CommandContext) => {
  const mark = s.status === "connected" ? c.p.green("●") : s.status === "failed" ? c.p.red("✗") : c.p.yellow("…");
  const ms = s.ms === undefined ? "" : ` ${s.ms} ms`;
  return `${mark} ${s.name} (${s.scope}, ${s.transport}) ${s.status}: ${s.tools} tools, ${s.prompts} prompts${ms}${s.error ? ` — ${s.error}` : ""}`;
};

export async function mcp(c: CommandContext) {
  const m = c.workspace.mcp;
  const [sub, name] = c.args.trim().split(/\s+/);
  if (sub === "trust") {
    if (!m.untrusted) return c.say("nothing to trust: this project has no untrusted .mcp.json");
    await m.trustProject();
    return c.say("trusted; starting the project's MCP servers");
  }
  if (!m.manager)
    return c.say(
      `no MCP servers configured (add one with \`runcode mcp add\`)${m.untrusted ? `; ${m.untrusted} waits for /mcp trust` : ""}`,
    );
  const list = sub === "reconnect" ? await m.manager.reconnect(name || undefined) : m.manager.status();
  for (const s of list) c.say(line(s, c));
  if (m.untrusted) c.say(c.p.dim(`${m.untrusted} is not used until you /mcp trust`));
}

/** The connected servers' prompts as slash commands: the filled-in prompt is sent to the model. */
export function mcpCommands(e: Workspace): SlashCommand[] {
  return e.mcp.prompts().map((p) => ({
    name: p.name.slice(1),
    group: "MCP",
    help: p.description,
    run: async (c) => c.send(await p.run(c.args.trim() ? c.args.trim().split(/\s+/) : [])),
  }));
}
