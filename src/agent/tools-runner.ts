// Runs the tool calls of one model response. Read-only calls start as soon as their block closes mid-stream and run
// concurrently; a mutating call waits for every earlier call and runs alone, in order; read-only calls after it
// wait for it. Every call gets a tool_result (errors included) so the history stays valid for the next call.
import type { AgentEvent } from "../core/events";
import type { ToolResultBlock, ToolUseBlock } from "../llm/types";
import { redact } from "../core/secrets";
import type { Hooks } from "../hooks/hooks";
import type { Approval, ApprovalRequest, Approve } from "../permissions/approve";
import { alwaysRule, type Call, type Policy } from "../permissions/policy";
import { secretDenial } from "../permissions/secrets";
import type { ToolRegistry } from "../tools/registry";
import { validate } from "../tools/schema";
import { truncate } from "../tools/truncate";
import type { AnyTool, ToolContext, ToolResult } from "../tools/types";

export type RunnerEnv = {
  tools: ToolRegistry;
  ctx: ToolContext;
  policy: Policy;
  approve?: Approve;
  push: (e: AgentEvent) => void | Promise<void>;
  /**
   * Resolves once every event pushed so far has reached the consumer: a question is asked only after what came
   * before it (a denial, the answer's text) is on the screen. Omitted: questions are asked at once.
   */
  settled?: () => Promise<void>;
  signal: AbortSignal;
  /** Calls seen this run by tool+input, for the doom-loop guard (shared across turns). */
  seen: Map<string, number>;
  /** Paths outside the project the user approved. */
  outside: Set<string>;
  now: () => number;
  /** PreToolUse and PostToolUse hooks (docs/hooks.md); omitted: none. */
  hooks?: Hooks;
};

export const DOOM_REPEATS = 3;

/** Numbers the model responses of the process, for the approvals' "allow all pending" (ApprovalRequest.response). */
let responses = 0;

export class ToolRunner {
  private started = new Map<string, Promise<ToolResultBlock>>();
  private blocked = false;
  /** This model response, unique in the process. */
  private readonly response = ++responses;
  /** Questions are asked one at a time: concurrent read-only calls may both need one. */
  private asking: Promise<unknown> = Promise.resolve();
  /** Set when a call repeated DOOM_REPEATS times; the loop stops after this turn. */
  doom?: string;
  /** Set when a tool hook answered `continue: false` (its stopReason); the loop stops after this turn. */
  stopped?: string;
  constructor(private readonly env: RunnerEnv) {}

  private readOnly = (b: ToolUseBlock) => this.env.tools.get(b.name)?.mutating === false;

  /** A tool_use block closed mid-stream: start it now if it is read-only and nothing mutating came before it. */
  early(b: ToolUseBlock) {
    if (!this.readOnly(b)) this.blocked = true;
    if (this.blocked || this.started.has(b.id)) return;
    this.started.set(b.id, this.exec(b));
  }

  async finish(uses: ToolUseBlock[]): Promise<ToolResultBlock[]> {
    let barrier: Promise<unknown> = Promise.resolve();
    const prior: Promise<unknown>[] = [];
    for (const b of uses) {
      let p = this.started.get(b.id);
      if (!p) {
        if (this.readOnly(b)) p = barrier.then(() => this.exec(b));
        else barrier = p = Promise.all(prior).then(() => this.exec(b));
        this.started.set(b.id, p);
      }
      prior.push(p);
    }
    return Promise.all(uses.map((b) => this.started.get(b.id)!));
  }

  private async exec(b: ToolUseBlock): Promise<ToolResultBlock> {
    const { env } = this;
    const t0 = env.now();
    const tool = env.tools.get(b.name);
    const input = b.input && typeof b.input === "object" && !Array.isArray(b.input) ? b.input : {};
    const done = async (r: ToolResult, started: boolean, feedback = ""): Promise<ToolResultBlock> => {
      // Whatever a tool found (`env`, a file that is a hard link to a key), a secret never reaches the model.
      const output = redact(truncate(r.output, env.ctx.limits.outputCap) + feedback);
      if (!started) await env.push({ type: "tool.started", call: b.id, tool: b.name, input });
      const error = r.error ? lastLine(output) : undefined;
      await env.push({
        type: "tool.completed",
        call: b.id,
        tool: b.name,
        ok: !r.error,
        output,
        ...(error ? { error } : {}),
        ms: env.now() - t0,
      });
      const content = r.images?.length ? [{ type: "text" as const, text: output }, ...r.images] : output;
      return { type: "tool_result", tool_use_id: b.id, content, ...(r.error ? { is_error: true } : {}) };
    };
    if (env.signal.aborted) return done({ output: "not run: the user interrupted", error: true }, false);
    if (!tool) return done({ output: `unknown tool "${b.name}". Available tools: ${env.tools.names().join(", ")}`, error: true }, false);
    const problems = validate(tool.input_schema, b.input);
    if (problems.length)
      return done(
        { output: `invalid input for ${tool.name}: ${problems.join("; ")}. Fix the input and call ${tool.name} again.`, error: true },
        false,
      );

    const key = `${b.name}\0${stable(input)}`;
    const n = (env.seen.get(key) ?? 0) + 1;
    env.seen.set(key, n);
    if (n >= DOOM_REPEATS) {
      this.doom = `${b.name} was called ${n} times with the same input`;
      return done(
        {
          output: `not run: you already called ${b.name} with exactly this input ${n - 1} times. Stop repeating it; report what you found and what is blocking you.`,
          error: true,
        },
        false,
      );
    }

    const denial = await this.permit(tool, b, input);
    if (denial === INTERRUPTED) return done({ output: "not run: the user interrupted", error: true }, false);
    if (denial) {
      await env.push({ type: "tool.denied", call: b.id, tool: b.name, reason: denial });
      return {
        type: "tool_result",
        tool_use_id: b.id,
        content: `Permission denied: ${denial}. Do not retry this call; continue without it or explain what you need.`,
        is_error: true,
      };
    }
    await env.push({ type: "tool.started", call: b.id, tool: b.name, input });
    let r: ToolResult;
    try {
      r = await tool.run(input as never, {
        ...env.ctx,
        signal: env.signal,
        call: b.id,
        emit: (stream, text) => env.push({ type: "tool.output", call: b.id, stream, text: redact(text) }),
        usage: (u) => env.push({ type: "usage", ...u }),
      });
    } catch (err) {
      r = { output: `${tool.name} failed: ${err instanceof Error ? err.message : String(err)}`, error: true };
    }
    return done(r, true, r.error ? "" : await this.postHooks(b, input, r));
  }

  /** PostToolUse (after a call that succeeded): what its hooks say to the model, appended to the tool result. */
  private async postHooks(b: ToolUseBlock, input: Record<string, unknown>, r: ToolResult): Promise<string> {
    const { hooks, push, signal } = this.env;
    if (!hooks?.has("PostToolUse")) return "";
    const tool_response = {
      output: r.output,
      success: true,
      ...(typeof input.file_path === "string" ? { filePath: input.file_path } : {}),
    };
    const h = await hooks.run(
      "PostToolUse",
      { tool_name: b.name, tool_input: input, tool_response, tool_use_id: b.id },
      { match: b.name, emit: push, signal },
    );
    if (h.stop !== undefined) this.stopped ??= h.stop;
    const said = [...h.reasons, ...h.context];
    return said.length ? `\n\n[PostToolUse hook]\n${said.join("\n\n")}` : "";
  }

  /** undefined when the call may run; otherwise why not. */
  private async permit(tool: AnyTool, b: ToolUseBlock, input: Record<string, unknown>): Promise<string | typeof INTERRUPTED | undefined> {
    const { env } = this;
    const subject = tool.subject?.(input as never, env.ctx) ?? { texts: [] };
    const call: Call = { tool: tool.name, mutating: tool.mutating, shell: tool.shell === true, subject, cwd: env.ctx.cwd };
    const secret = secretDenial(call, input);
    if (secret) return secret;
    await env.policy.prepare(call);
    const d = env.policy.decide(call);
    if (d.action === "deny") return d.reason;
    // PreToolUse hooks see every call runcode's rules let run or would ask about. Their deny always wins; their
    // allow spares the user a question (never grants what a non-interactive run could not ask for); their ask asks.
    const h = env.hooks?.has("PreToolUse")
      ? await env.hooks.run(
          "PreToolUse",
          { tool_name: tool.name, tool_input: input, tool_use_id: b.id },
          { match: tool.name, emit: env.push, signal: env.signal },
        )
      : undefined;
    if (h?.stop !== undefined) {
      this.stopped ??= h.stop;
      return `a PreToolUse hook stopped the run${h.stop ? `: ${h.stop}` : ""}`;
    }
    if (h?.blocked) return `blocked by a PreToolUse hook: ${h.reasons.join("; ")}`;
    const hookAsks = h?.decision === "ask";
    if (hookAsks || (d.action === "ask" && !(h?.decision === "allow" && env.approve))) {
      const why = h?.decisionReasons.length ? `: ${h.decisionReasons.join("; ")}` : "";
      const reason = hookAsks ? `a PreToolUse hook asks for approval${why}` : d.reason;
      if (!env.approve)
        return `${reason}, and this run cannot ask (non-interactive)${hookAsks ? "" : `: ${await env.policy.advice(call, d)}`}`;
      const answer = await this.ask(env.approve, {
        call: b.id,
        response: this.response,
        tool: tool.name,
        input,
        reason,
        subject: subject.texts,
      });
      if (answer === INTERRUPTED) return INTERRUPTED;
      if (answer === "no") return "the user declined";
      if (answer === "always") env.policy.remember(alwaysRule(call));
    }
    for (const p of subject.paths ?? []) env.outside.add(p);
    return undefined;
  }

  /** One question at a time, each after the events before it are shown; none once the turn is interrupted. */
  private ask(approve: Approve, r: ApprovalRequest): Promise<Approval | typeof INTERRUPTED> {
    const { signal, settled } = this.env;
    const turn = this.asking.then(async () => {
      if (settled && !signal.aborted) await untilAborted(settled(), signal);
      return signal.aborted ? INTERRUPTED : approve(r);
    });
    this.asking = turn.catch(() => undefined);
    return turn;
  }
}

const INTERRUPTED = Symbol("interrupted");

/** Resolves when `p` does or `signal` aborts, whichever comes first. */
function untilAborted(p: Promise<void>, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      signal.removeEventListener("abort", done);
      resolve();
    };
    signal.addEventListener("abort", done, { once: true });
    p.then(done, done);
  });
}

const lastLine = (s: string) => s.trim().split("\n").at(-1)!.slice(0, 200);

/** JSON with sorted keys, so {a,b} and {b,a} count as the same input. */
function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(",")}]`;
  if (v && typeof v === "object")
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stable((v as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(v) ?? "null";
}
