// A run's toolbox: what its tools share (the ToolContext: root, cwd, files, change log, limits) and the registry
// with custom tools; wires SubAgent to a child runAgent with the read-only tools. The run assembly
// (agent/workspace.ts) opens one per workspace and passes its parts to runAgent.
import type { BudgetSettings } from "../router/budget";
import { join } from "node:path";
import { childEnv } from "../core/secrets";
import type { Gateway } from "../gateway/client";
import type { CatalogModel } from "../gateway/catalog";
import type { Protocol } from "../llm/chat";
import { Policy } from "../permissions/policy";
import { loadCustomTools } from "../tools/custom";
import { ChangeLog, diskFiles, ReadTracker, type Files } from "../tools/files";
import { realish } from "../tools/paths";
import { READ_ONLY_NAMES, ToolRegistry } from "../tools/registry";
import type { AskUserFn, ToolContext } from "../tools/types";
import { runAgent } from "./loop";

export type ToolboxOptions = {
  root: string;
  cwd: string;
  /** The user's home directory (`~` in tool paths), not runcode's. */
  home: string;
  /** ~/.blockrun/tools */
  toolsDir: string;
  /** Project tools (.runcode/tools) are loaded only for trusted projects. */
  trusted: boolean;
  policy: Policy;
  files?: Files;
  gateway?: Gateway;
  ask?: AskUserFn;
  env?: Record<string, string | undefined>;
  limits?: Partial<ToolContext["limits"]>;
  noRipgrep?: boolean;
  vision?: boolean;
  sandbox?: ToolContext["sandbox"];
  warn?: (msg: string) => void;
  /** For SubAgent: how to call the model. */
  child?: { protocol: Protocol; model: CatalogModel; maxTokens: number; system: string; budget?: BudgetSettings };
};

export type Toolbox = { ctx: ToolContext; tools: ToolRegistry; changes: ChangeLog; outside: Set<string>; policy: Policy };

export function openToolbox(o: ToolboxOptions): Toolbox {
  const outside = new Set<string>();
  const root = realish(o.root);
  const ctx: ToolContext = {
    root,
    cwd: realish(o.cwd),
    setCwd: (d) => {
      ctx.cwd = d;
    },
    files: o.files ?? diskFiles,
    reads: new ReadTracker(),
    changes: new ChangeLog(),
    todos: [],
    outside: (p) => o.policy.mode === "trust" || outside.has(p),
    gateway: o.gateway,
    ask: o.ask,
    limits: { bashTimeoutMs: 30_000, bashTimeoutMaxMs: 600_000, killGraceMs: 2000, outputCap: 32 * 1024, ...o.limits },
    env: childEnv(o.env ?? process.env), // Bash and custom tools never inherit runcode's secret variables
    home: o.home,
    noRipgrep: o.noRipgrep,
    vision: o.vision,
    sandbox: o.sandbox,
  };
  const tools = new ToolRegistry();
  const dirs = [o.toolsDir, ...(o.trusted ? [join(root, ".runcode", "tools")] : [])];
  for (const t of loadCustomTools(dirs, o.warn ?? (() => {})))
    if (!tools.register(t)) o.warn?.(`custom tool "${t.name}" has the name of a built-in tool; skipped`);
  if (o.child && o.gateway)
    wireSubAgent(ctx, tools, o as ToolboxOptions & { gateway: Gateway; child: NonNullable<ToolboxOptions["child"]> }, outside);
  else tools.unregister("SubAgent");
  return { ctx, tools, changes: ctx.changes, outside, policy: o.policy };
}

function wireSubAgent(
  ctx: ToolContext,
  tools: ToolRegistry,
  o: ToolboxOptions & { gateway: Gateway; child: NonNullable<ToolboxOptions["child"]> },
  outside: Set<string>,
) {
  let n = 0;
  ctx.subagent = async ({ description, prompt, signal, emit, usage }) => {
    // Own conversation, own todo list and cwd; same files and read tracker; no SubAgent (no recursion), no AskUser.
    const childCtx: ToolContext = { ...ctx, todos: [], subagent: undefined, ask: undefined, setCwd: (d) => (childCtx.cwd = d) };
    const sub = tools.subset(READ_ONLY_NAMES);
    let answer = "";
    let failure: string | undefined;
    for await (const e of runAgent({
      gateway: o.gateway,
      protocol: o.child.protocol,
      model: o.child.model,
      system: `${o.child.system}\n\nYou are a sub-agent working on: ${description}. Only your final message is returned to the agent that started you: make it a complete, self-contained report.`,
      messages: [{ role: "user", content: prompt }],
      maxTokens: o.child.maxTokens,
      budget: o.child.budget && { settings: o.child.budget },
      session: `sub-${++n}`,
      cwd: childCtx.cwd,
      signal,
      tools: sub,
      toolContext: childCtx,
      policy: o.policy,
      outside,
      maxTurns: 30,
      announce: false,
    })) {
      if (e.type === "tool.started") await emit("stdout", `[${description}] ${e.tool} ${JSON.stringify(e.input).slice(0, 120)}`);
      if (e.type === "usage") await usage(e);
      if (e.type === "result") {
        answer = e.text;
        if (e.error) failure = e.error.message;
      }
    }
    if (failure && !answer) throw new Error(failure);
    return answer;
  };
}
