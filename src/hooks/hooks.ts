// Running the hooks of one event, with Claude Code's semantics (docs/hooks.md): every matching command at once (an
// identical command once), the event as JSON on stdin, then each answer read from its exit code (0 ok, 2 blocks,
// anything else a non-blocking error) or, on exit 0, from a JSON object on stdout. The answers are merged into one
// Outcome; what it means for the run (deny a call, add to a tool result, continue a turn) is the caller's.
import type { AgentEvent, HookEventName } from "../core/events";
import { redact } from "../core/secrets";
import type { HookCommand, HookTable } from "./config";
import { spawnHook, type Ran } from "./spawn";

export type HookContext = {
  session: () => string;
  /** Where hooks run, and the `cwd` they are told (follows Bash's `cd`). */
  cwd: () => string;
  /** The project root: CLAUDE_PROJECT_DIR and RUNCODE_PROJECT_DIR. */
  root: string;
  /** The environment of a child process (runcode's secrets already removed). */
  env: Record<string, string | undefined>;
  /** Claude Code's name for the permission mode now (`permission_mode`). */
  mode: () => string;
};

export type Emit = (e: AgentEvent) => void | Promise<void>;

export type Decision = "allow" | "ask" | "deny";

export type Outcome = {
  /** A hook blocked: exit 2 or `decision: "block"` (PreToolUse: also `permissionDecision: "deny"`). */
  blocked: boolean;
  /** Why, in the hooks' words: stderr of exit 2, a JSON `reason` or deny reason. */
  reasons: string[];
  /** For the model: `additionalContext`, and the plain stdout of UserPromptSubmit and SessionStart hooks. */
  context: string[];
  /** PreToolUse: the strongest `permissionDecision` (deny over ask over allow) and its reasons. */
  decision?: Decision;
  decisionReasons: string[];
  /** A hook answered `continue: false`: the agent stops, with this `stopReason` ("" when it gave none). */
  stop?: string;
};

/** What one hook may put in front of the model (Claude Code's cap). */
const MODEL_CAP = 10_000;
/** What one hook puts in an event (`message`, `output`). */
const EVENT_CAP = 2_000;
/** Events whose exit code 2 and `decision` block something; the others only report (stderr to the user). */
const BLOCKING = new Set<HookEventName>(["PreToolUse", "PostToolUse", "UserPromptSubmit", "Stop"]);
/** Events whose plain stdout (exit 0) is context for the model. */
const CONTEXT = new Set<HookEventName>(["UserPromptSubmit", "SessionStart"]);
const RANK: Record<Decision, number> = { allow: 1, ask: 2, deny: 3 };

export class Hooks {
  constructor(
    private readonly table: HookTable,
    private readonly ctx: HookContext,
  ) {}

  /** Any hook for this event: callers skip building the event's input when there is none. */
  has(event: HookEventName): boolean {
    return !!this.table[event]?.length;
  }

  async run(
    event: HookEventName,
    fields: Record<string, unknown>,
    o: { match?: string; emit: Emit; signal?: AbortSignal },
  ): Promise<Outcome> {
    const outcome: Outcome = { blocked: false, reasons: [], context: [], decisionReasons: [] };
    const chosen = new Map<string, HookCommand>();
    for (const g of this.table[event] ?? [])
      if (o.match === undefined || g.test(o.match)) for (const h of g.hooks) if (!chosen.has(h.command)) chosen.set(h.command, h);
    if (!chosen.size || o.signal?.aborted) return outcome;
    const input = JSON.stringify({
      session_id: this.ctx.session(),
      transcript_path: "",
      cwd: this.ctx.cwd(),
      permission_mode: this.ctx.mode(),
      hook_event_name: event,
      ...fields,
    });
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(this.ctx.env)) if (v !== undefined) env[k] = v;
    env.CLAUDE_PROJECT_DIR = env.RUNCODE_PROJECT_DIR = this.ctx.root;
    await Promise.all(
      [...chosen.values()].map(async (h) => {
        const ran = await spawnHook(h.command, input, { cwd: this.ctx.cwd(), env, timeoutMs: h.timeoutMs, signal: o.signal });
        const j = judge(event, ran, h);
        merge(outcome, j);
        await o.emit({
          type: "hook.finished",
          event,
          command: redact(h.command),
          exit: ran.exit,
          ms: ran.ms,
          blocked: j.blocked || j.stop !== undefined,
          ...(ran.timedOut ? { timedOut: true } : {}),
          ...(j.message ? { message: cap(j.message, EVENT_CAP) } : {}),
          ...(j.output ? { output: cap(j.output, EVENT_CAP) } : {}),
        });
      }),
    );
    return outcome;
  }
}

type Judged = {
  blocked: boolean;
  reason?: string;
  context?: string;
  decision?: Decision;
  decisionReason?: string;
  stop?: string;
  /** For the user. */
  message?: string;
  output?: string;
};

/** One hook's answer, read as Claude Code reads it. */
function judge(event: HookEventName, r: Ran, h: HookCommand): Judged {
  const stderr = redact(r.stderr.trim());
  const stdout = redact(r.stdout.trim());
  if (r.timedOut) return { blocked: false, message: `timed out after ${h.timeoutMs / 1000} s; the hook and its children were killed` };
  if (r.exit === 2) {
    const blocks = BLOCKING.has(event);
    const reason = stderr || `a ${event} hook exited 2 without a message`;
    return { blocked: blocks, reason: blocks ? reason : undefined, decision: event === "PreToolUse" ? "deny" : undefined, message: reason };
  }
  if (r.exit !== 0) return { blocked: false, message: stderr || (r.exit === null ? "killed by a signal" : `exit code ${r.exit}`) };
  const json = parse(stdout);
  if (!json) {
    if (!stdout) return { blocked: false };
    return CONTEXT.has(event) ? { blocked: false, context: stdout } : { blocked: false, output: stdout };
  }
  const specific = isObject(json.hookSpecificOutput) ? json.hookSpecificOutput : {};
  const text = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim() : undefined);
  const out: Judged = { blocked: false };
  if (json.continue === false) out.stop = text(json.stopReason) ?? "";
  const reason = text(json.reason);
  if (event === "PreToolUse") {
    // `decision: approve|block` is the older spelling of permissionDecision allow|deny.
    const legacy = json.decision === "approve" ? "allow" : json.decision === "block" ? "deny" : undefined;
    const d = specific.permissionDecision;
    out.decision = d === "allow" || d === "ask" || d === "deny" ? d : legacy;
    out.decisionReason = text(specific.permissionDecisionReason) ?? reason;
    out.blocked = out.decision === "deny";
    if (out.blocked) out.reason = out.decisionReason ?? "a PreToolUse hook denied this call";
  } else if (BLOCKING.has(event) && json.decision === "block") {
    out.blocked = true;
    out.reason = reason ?? `a ${event} hook blocked without a reason`;
  }
  out.context = text(specific.additionalContext);
  out.message = text(json.systemMessage) ?? out.reason ?? out.decisionReason ?? text(json.stopReason);
  return out;
}

function merge(o: Outcome, j: Judged) {
  if (j.blocked) o.blocked = true;
  if (j.reason && j.blocked) o.reasons.push(cap(j.reason, MODEL_CAP));
  if (j.context) o.context.push(cap(j.context, MODEL_CAP));
  if (j.stop !== undefined) o.stop = o.stop ? o.stop : j.stop;
  if (j.decision && (!o.decision || RANK[j.decision] > RANK[o.decision])) o.decision = j.decision;
  if (j.decision && j.decisionReason) o.decisionReasons.push(cap(j.decisionReason, MODEL_CAP));
}

/** stdout as Claude Code's JSON answer: an object, or nothing (then it is plain text). */
function parse(s: string): Record<string, unknown> | undefined {
  if (!s.startsWith("{")) return undefined;
  try {
    const v: unknown = JSON.parse(s);
    return isObject(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

const cap = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}… [${s.length - n} more characters]` : s);
const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);
