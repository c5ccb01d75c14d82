// The REPL's workspace: the same run assembly as ask and edit (agent/workspace.ts), opened from the REPL's flags.
// A conversation of many messages: write tools are offered (approvals are asked on a terminal), the transcript is
// saved unless session-save is off, and MCP servers keep connecting in the background.
import { Workspace } from "../agent/workspace";
import { context } from "../cli/context";
import type { Mode } from "../permissions/policy";
import type { Resume } from "../store/recorder";

export type ReplStart = {
  env: Record<string, string | undefined>;
  cwd: string;
  model?: string;
  trust?: boolean;
  allow?: string[];
  deny?: string[];
  resume?: Resume;
};

export function openReplWorkspace(
  s: ReplStart,
  io: { interactive: boolean; confirm: (question: string) => Promise<boolean>; warn: (line: string) => void },
): Promise<Workspace> {
  const run = { ...context(s.env as NodeJS.ProcessEnv), cwd: s.cwd };
  return Workspace.open({
    run,
    kind: "repl",
    mode: s.trust ? "trust" : (run.get("permission-mode") as Mode),
    trust: s.trust,
    allow: s.allow,
    deny: s.deny,
    interactive: io.interactive,
    confirm: io.confirm,
    warn: io.warn,
    model: s.model ?? (run.get("default-model") as string | undefined),
    maxTokens: run.get("max-tokens") as number,
    maxTurns: run.get("max-turns") as number,
    resume: s.resume,
    save: run.get("session-save") !== false,
  });
}
