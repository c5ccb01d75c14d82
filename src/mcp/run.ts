// MCP in a one-shot run (ask, edit): open the configured servers, attach `@server:uri` resources to the prompt,
// (the run waits for every server before its first model call), report problems as `warning` events, and close
// the servers when the run ends.
import type { AgentEvent } from "../core/events";
import type { Policy } from "../permissions/policy";
import type { ToolRegistry } from "../tools/registry";
import { attachResources } from "./context";
import { isTrusted } from "./files";
import { openMcp } from "./index";
import type { McpManager } from "./manager";

type Ctx = {
  env: Record<string, string | undefined>;
  cwd: string;
  paths: { home: string; mcp: string; trusted: string };
  get: (k: string) => unknown;
};
export type RunMcp = {
  manager: McpManager;
  attach: (prompt: string) => Promise<string>;
  wrap: (events: AsyncIterable<AgentEvent>) => AsyncGenerator<AgentEvent>;
};

export function runMcp(ctx: Ctx, o: { root: string; trusted: boolean; registry: ToolRegistry; policy: Policy }): RunMcp | undefined {
  const opened = openMcp({
    home: ctx.paths.home,
    globalFile: ctx.paths.mcp,
    root: o.root,
    cwd: ctx.cwd,
    trusted: o.trusted || isTrusted(ctx.paths.trusted, o.root),
    env: ctx.env,
    connectMs: (ctx.get("mcp-connect-timeout") as number) * 1000,
    callMs: (ctx.get("mcp-call-timeout") as number) * 1000,
    registry: o.registry,
    // Same rule as built-ins: no tool the run would refuse anyway (a run that cannot ask offers read-only ones).
    offer: (t) => o.policy.offers(t, false),
  });
  if (!opened) return undefined;
  const { manager } = opened;
  const early = [...opened.warnings];
  const warn = (message: string): AgentEvent => ({ type: "warning", code: "mcp", message });
  return {
    manager,
    attach: async (prompt) => {
      const r = await attachResources(manager, prompt);
      early.push(...r.warnings);
      return r.text;
    },
    async *wrap(events) {
      try {
        for await (const e of events) {
          if (e.type === "result") for (const m of manager.warnings()) yield warn(m);
          yield e;
          if (e.type === "session.started") for (const m of [...early, ...manager.warnings()]) yield warn(m);
          else if (e.type !== "result") for (const m of manager.warnings()) yield warn(m);
        }
      } finally {
        await manager.close();
      }
    },
  };
}
