// The run assembly's side of hooks (docs/hooks.md): the hooks a workspace runs (the user's settings, and the
// project's once it is trusted, said once when it is not), and what the hooks around a message mean for it: the
// SessionStart and UserPromptSubmit context for the model, a refused message, SessionEnd when a session closes.
import type { AgentEvent } from "../core/events";
import { loadHooks } from "../hooks/config";
import { type HookContext, Hooks } from "../hooks/hooks";
import type { Mode } from "../permissions/policy";

export type SessionSource = "startup" | "resume" | "clear";
export type SessionEndReason = "clear" | "prompt_input_exit" | "other";

export function openHooks(o: HookContext & { settingsFile: string; trustedFile: string; trusted: boolean }): {
  hooks: Hooks;
  warnings: AgentEvent[];
} {
  const loaded = loadHooks({ userFile: o.settingsFile, root: o.root, trusted: o.trusted });
  const warnings: AgentEvent[] = loaded.warnings.map((message) => ({ type: "warning", code: "hooks", message }));
  if (loaded.untrusted.length)
    warnings.push({
      type: "warning",
      code: "hooks_untrusted",
      message: `the hooks in ${loaded.untrusted.join(" and ")} were not run: this project is not trusted (rerun with --trust, or add ${JSON.stringify(o.root)} to ${o.trustedFile} to trust its hooks, .runcode/tools and .mcp.json)`,
    });
  return { hooks: new Hooks(loaded.table, o), warnings };
}

/** Claude Code's `permission_mode` for runcode's mode. */
export function claudeMode(mode: Mode, o: { plan: boolean; edit: boolean }): string {
  if (o.plan || mode === "plan") return "plan";
  if (mode === "trust") return "bypassPermissions";
  if (mode === "deny-all") return "dontAsk";
  return o.edit ? "acceptEdits" : "default";
}

export type BeforeMessage = {
  events: AgentEvent[];
  /** SessionStart context: the session's, for the system prompt (undefined: no SessionStart ran). */
  session?: string;
  /** UserPromptSubmit context: sent with this message. */
  prompt: string[];
  /** The message is not sent: a UserPromptSubmit hook blocked it, or a hook answered `continue: false`. */
  refused?: { code: "hook_blocked" | "hook_stopped"; message: string };
};

/** SessionStart (for a session's first message) and UserPromptSubmit, before a message joins the conversation. */
export async function beforeMessage(
  hooks: Hooks,
  o: { start?: SessionSource; prompt: string; signal: AbortSignal },
): Promise<BeforeMessage> {
  const events: AgentEvent[] = [];
  const emit = (e: AgentEvent) => void events.push(e);
  const out: BeforeMessage = { events, prompt: [] };
  if (o.start && hooks.has("SessionStart")) {
    const h = await hooks.run("SessionStart", { source: o.start }, { match: o.start, emit, signal: o.signal });
    out.session = h.context.length ? `SessionStart hook context:\n${h.context.join("\n\n")}` : "";
    if (h.stop !== undefined) return { ...out, refused: stopped("SessionStart", h.stop) };
  }
  if (!hooks.has("UserPromptSubmit")) return out;
  const h = await hooks.run("UserPromptSubmit", { prompt: o.prompt }, { emit, signal: o.signal });
  if (h.stop !== undefined) return { ...out, refused: stopped("UserPromptSubmit", h.stop) };
  if (h.blocked)
    return { ...out, refused: { code: "hook_blocked", message: `a UserPromptSubmit hook blocked this message: ${h.reasons.join("; ")}` } };
  out.prompt = h.context;
  return out;
}

const stopped = (event: string, reason: string) => ({
  code: "hook_stopped" as const,
  message: `a ${event} hook stopped the run${reason ? `: ${reason}` : ""}`,
});

/** The text block that carries UserPromptSubmit context with a message (popLastPrompt leaves it out). */
export const PROMPT_CONTEXT = "UserPromptSubmit hook context:\n";

/** SessionEnd: nothing waits for its answer; a hook that failed is said in one line. */
export async function sessionEnd(hooks: Hooks, reason: SessionEndReason, warn: (line: string) => void): Promise<void> {
  if (!hooks.has("SessionEnd")) return;
  const emit = (e: AgentEvent) => {
    if (e.type !== "hook.finished" || e.exit === 0) return;
    const status = e.timedOut ? "timed out" : `exit ${e.exit ?? "signal"}`;
    warn(`SessionEnd hook ${e.command.slice(0, 60)}: ${status}${e.message ? ` · ${e.message.split("\n")[0]}` : ""}`);
  };
  await hooks.run("SessionEnd", { reason }, { match: reason, emit });
}

/** The context pipeline's `beforeCompact`: the PreCompact hooks of a workspace, their events to report. */
export const preCompact =
  (hooks: Hooks) =>
  async (trigger: "auto" | "manual", instructions: string | undefined, signal?: AbortSignal): Promise<AgentEvent[]> => {
    if (!hooks.has("PreCompact")) return [];
    const events: AgentEvent[] = [];
    const emit = (e: AgentEvent) => void events.push(e);
    await hooks.run("PreCompact", { trigger, custom_instructions: instructions ?? "" }, { match: trigger, emit, signal });
    return events;
  };
