// Runs the real agent loop in-process against the fake gateway, with a temp project.
import { realpathSync } from "node:fs";
import { runAgent, type AgentOptions } from "../../src/agent/loop";
import { openToolbox, type Toolbox } from "../../src/agent/toolbox";
import type { AgentEvent } from "../../src/core/events";
import { Gateway } from "../../src/gateway/client";
import type { CatalogModel } from "../../src/gateway/catalog";
import type { Message } from "../../src/llm/types";
import { Policy, type PolicyInput } from "../../src/permissions/policy";
import { startFakeGateway, type FakeGateway, type Script } from "../fake-gateway";
import { tempDir } from "../helpers";

export const MODEL: CatalogModel = {
  id: "nvidia/qwen3-coder-480b",
  free: true,
  input: 0,
  output: 0,
  context: 131072,
  maxOutput: 16384,
  tools: true,
  vision: false,
  reasoning: false,
  categories: [],
};

export type Run = {
  events: AgentEvent[];
  gw: FakeGateway;
  session: Toolbox;
  messages: Message[];
  root: string;
  result: Extract<AgentEvent, { type: "result" }>;
};

export async function runScripted(
  script: Script[],
  o: Omit<Partial<AgentOptions>, "policy"> & {
    policy?: Partial<PolicyInput>;
    root?: string;
    setup?: (root: string) => void;
    onEvent?: (e: AgentEvent) => void;
    subagents?: boolean;
  } = {},
): Promise<Run> {
  const { policy: _p, root: _r, setup: _s, onEvent: _e, subagents: _sa, ...rest } = o;
  const gw = await startFakeGateway({ script });
  const root = realpathSync(o.root ?? tempDir("runcode-agent-"));
  o.setup?.(root);
  const gateway = new Gateway({ baseUrl: gw.url, userAgent: "test" });
  const policy = new Policy({ mode: "default", root, editsInProject: true, ...o.policy });
  const session = openToolbox({
    root,
    cwd: root,
    home: root,
    toolsDir: `${root}/.no-tools`,
    trusted: false,
    policy,
    gateway,
    env: { PATH: process.env.PATH },
    limits: { killGraceMs: 300 },
    noRipgrep: true,
    child: o.subagents ? { protocol: "messages", model: MODEL, maxTokens: 1000, system: "sub" } : undefined,
  });
  const messages: Message[] = o.messages ?? [{ role: "user", content: "do it" }];
  const events: AgentEvent[] = [];
  for await (const e of runAgent({
    gateway,
    protocol: "messages",
    model: MODEL,
    messages,
    maxTokens: 1000,
    session: "ses_test",
    cwd: root,
    signal: o.signal ?? new AbortController().signal,
    tools: session.tools,
    toolContext: session.ctx,
    policy,
    outside: session.outside,
    ...rest,
  })) {
    events.push(e);
    o.onEvent?.(e);
  }
  await gw.stop();
  return { events, gw, session, messages, root, result: events.at(-1) as Run["result"] };
}

/** The tool_result blocks the gateway received in its last request. */
export function lastResults(gw: FakeGateway): Array<{ tool_use_id: string; content: unknown; is_error?: boolean }> {
  const msgs = gw.calls().at(-1)!.body.messages as Message[];
  const last = msgs.at(-1)!;
  return Array.isArray(last.content) ? (last.content.filter((b) => b.type === "tool_result") as never) : [];
}

export const types = (events: AgentEvent[]) => events.map((e) => e.type);
