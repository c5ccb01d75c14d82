// The agent loop: model call → tool calls → results → next call …, until the model answers without tools, then
// exactly one `result`. No terminal IO: it yields AgentEvents; approvals come through the injected `approve`.
import { contextFor, observeUsage, overflowed, prepareContext, type ContextState } from "../context";
import { ActionableError, describe } from "../core/errors";
import { redactValue } from "../core/secrets";
import type { AgentEvent, ResultError } from "../core/events";
import { retryAfterMs, type Gateway } from "../gateway/client";
import type { Hooks } from "../hooks/hooks";
import type { CatalogModel } from "../gateway/catalog";
import { chat, type Protocol } from "../llm/chat";
import type { ChatRequest, ContentBlock, Message, StreamEvent } from "../llm/types";
import type { Approve } from "../permissions/approve";
import { Policy } from "../permissions/policy";
import { nextBudget, outputBudget, writesLikely, type BudgetSettings } from "../router/budget";
import { nextModel, REASONS, type Failure, type ModelChain, type Tried } from "../router/fallback";
import type { Tier } from "../router/types";
import type { ToolRegistry } from "../tools/registry";
import type { ToolContext } from "../tools/types";
import { VERSION } from "../version";
import { Channel } from "./channel";
import type { EventRelay } from "./relay";
import { textToolCalls } from "./plaintext";
import { ToolRunner } from "./tools-runner";

export type AgentOptions = {
  gateway: Gateway;
  protocol: Protocol;
  model: CatalogModel;
  system?: string;
  /** The conversation so far, ending with the new user message. Assistant and tool messages are appended in place. */
  messages: Message[];
  maxTokens: number;
  temperature?: number;
  session: string;
  cwd: string;
  contextFiles?: string[];
  signal: AbortSignal;
  now?: () => number;
  /** Tools the model may call; omitted = plain chat. `toolContext` is required with them. */
  tools?: ToolRegistry;
  toolContext?: ToolContext;
  /** Default: mode "default" rooted at the tool context's root, no rules. */
  policy?: Policy;
  /** Interactive approval; omitted = anything that needs asking is denied (non-interactive runs never block). */
  approve?: Approve;
  /** Paths outside the project the user approved; shared with the tool context's `outside` check. */
  outside?: Set<string>;
  maxTurns?: number;
  /**
   * Start with session.started (default). The run assembly announces the session itself (before its route and
   * warnings); a sub-agent reports through its parent.
   */
  announce?: boolean;
  /** Context management (compaction state); the REPL keeps one across turns. Default: one for this run. */
  context?: ContextState;
  /**
   * The models this run may try, for the one fallback policy (router/fallback.ts). Omitted: the run's model alone
   * (no fallback; a compacted prompt is still resent to it).
   */
  chain?: ModelChain;
  /** Payment events raised inside the gateway's 402 handler join the stream here. */
  relay?: EventRelay;
  /** Extended-thinking budget in tokens (REPL /ultrathink); sent only to models the catalog marks as reasoning. */
  thinkingBudget?: number;
  /**
   * How each call's max_tokens is chosen under `maxTokens` (src/router/budget.ts); omitted: `maxTokens` itself. An
   * answer that stops at its budget is continued with a larger one, so no answer is cut short by the policy.
   */
  budget?: { settings: BudgetSettings; tier?: Tier };
  /** PreToolUse, PostToolUse and Stop hooks (docs/hooks.md); omitted: none. */
  hooks?: Hooks;
};

const MAX_CONTINUATIONS = 3;
/** Stop hooks that block in a row: after this many the run ends anyway (a hook that ignores stop_hook_active). */
const MAX_STOP_BLOCKS = 5;
/** The longest `retry-after` a run waits out on the same model; a longer one moves on at once. */
const RETRY_WAIT_MS = 20_000;

/** Resolves after `ms`, or at once when the run is interrupted (the loop then sees the aborted signal). */
function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((done) => {
    const t = setTimeout(finish, ms);
    function finish() {
      clearTimeout(t);
      signal.removeEventListener("abort", finish);
      done();
    }
    signal.addEventListener("abort", finish, { once: true });
  });
}
const CONTINUE = "[Your answer was cut off by the output token limit. Continue exactly where you stopped, without repeating anything.]";
const resendCall = (names: string[]) =>
  `[Your answer was cut off by the output token limit while you were writing a call to ${names.join(", ")}; that call was not run. Send it again, complete.]`;
/** The text of the newest user message that has any (tool results are not the user's words). */
function promptText(messages: readonly Message[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.role !== "user") continue;
    const text = typeof m.content === "string" ? m.content : m.content.map((b) => (b.type === "text" ? b.text : "")).join("");
    if (text.trim() && !text.startsWith("[Your answer was cut off")) return text;
  }
  return "";
}

/** A tool call whose JSON the output limit cut: the parsers mark it, and it is never run. */
const cutCall = (b: ContentBlock) => b.type === "tool_use" && "__invalid_json" in (b.input as Record<string, unknown>);

export async function* runAgent(o: AgentOptions): AsyncGenerator<AgentEvent> {
  const now = o.now ?? Date.now;
  const started = now();
  if (o.announce !== false)
    yield {
      type: "session.started",
      session: o.session,
      model: o.model.id,
      version: VERSION,
      cwd: o.cwd,
      schema: 1,
      ...(o.contextFiles ? { context: o.contextFiles } : {}),
    };
  const s: State = { text: "", model: o.model.id, current: o.model, usd: 0, signatures: 0, turns: 0, input: 0, output: 0 };
  const ch = new Channel<AgentEvent>();
  let error: ResultError | undefined;
  try {
    // Every event leaves through here: none may carry a secret (a key pasted in a prompt, echoed by a tool).
    for await (const e of ch.drain(drive(o, s, ch, now))) yield redactValue(e);
  } catch (err) {
    const d = describe(o.signal.aborted ? (o.signal.reason ?? err) : err);
    error = { code: d.code, message: d.message };
  }
  yield redactValue<AgentEvent>({
    type: "result",
    ok: !error,
    text: s.text,
    model: s.model,
    usd: s.usd,
    usage: { input: s.input, output: s.output },
    turns: s.turns,
    ms: now() - started,
    ...(error ? { error } : {}),
  });
}

type State = {
  text: string;
  /** The model that answered last (may differ from `current` after a free-pool substitution). */
  model: string;
  /** The model requests go to; moves along the fallback chain. */
  current: CatalogModel;
  usd: number;
  /** Payment signatures made so far, settled or not: an attempt during which this grew has signed. */
  signatures: number;
  turns: number;
  input: number;
  output: number;
};

async function drive(o: AgentOptions, s: State, ch: Channel<AgentEvent>, now: () => number): Promise<void> {
  const push = (e: AgentEvent) => {
    // What was paid is what settled: every paid call (sub-agents, summaries, searches included) goes through the
    // one payer, whose events arrive here, so nothing is counted twice. What was signed also counts failures the
    // gateway still holds a signature for: after those, no paid model may be signed for the same answer again.
    if (e.type === "payment.settled") {
      s.usd += e.usd;
      s.signatures++;
    } else if (e.type === "payment.failed" && e.signed) s.signatures++;
    return ch.push(e);
  };
  o.relay?.attach(push);
  try {
    await turns(o, s, push, now, () => ch.settled());
  } finally {
    o.relay?.detach();
  }
}

async function turns(
  o: AgentOptions,
  s: State,
  push: (e: AgentEvent) => Promise<void> | void,
  now: () => number,
  settled: () => Promise<void>,
): Promise<void> {
  const tools = o.tools && o.toolContext ? o.tools : undefined;
  const policy = o.policy ?? new Policy({ mode: "default", root: o.toolContext?.root ?? o.cwd });
  const seen = new Map<string, number>();
  const maxTurns = o.maxTurns ?? 100;
  const context = o.context ?? contextFor({ gateway: o.gateway, protocol: o.protocol, model: o.model, toolContext: o.toolContext });
  let continuations = 0;
  let stopBlocks = 0;
  // The budget after an answer stopped at its own: the next call asks for more (nextBudget), up to the upper bound.
  let raised: number | undefined;
  for (;;) {
    if (s.turns >= maxTurns)
      throw new ActionableError(
        `stopped after ${maxTurns} model calls without a final answer`,
        "raise the limit with --max-turns N (config max-turns)",
        "max_turns",
      );
    s.turns++;
    await push({ type: "turn.started", turn: s.turns, model: s.model });
    const specs = tools?.specs();
    let runner: ToolRunner | undefined;
    let call: { text: string; done: Done };
    let sent = 0;
    let upper = 0;
    // Every attempt at this answer, across compaction retries: once one signed, only free models may follow.
    const tried: Tried[] = [];
    for (let overflows = 0; ; overflows++) {
      runner =
        tools &&
        new ToolRunner({
          tools,
          ctx: o.toolContext!,
          policy,
          approve: o.approve,
          push,
          settled,
          signal: o.signal,
          seen,
          outside: o.outside ?? new Set(),
          now,
          hooks: o.hooks,
        });
      upper = Math.min(o.maxTokens, s.current.maxOutput || o.maxTokens);
      // Extended thinking needs its own budget below max_tokens, and a thinking answer cannot be continued: upper.
      const thinks = !!o.thinkingBudget && s.current.reasoning;
      const writes = writesLikely(specs?.map((t) => t.name) ?? [], promptText(o.messages));
      const maxTokens = o.budget && !thinks ? (raised ?? outputBudget(o.budget.settings, { tier: o.budget.tier, writes, upper })) : upper;
      sent = maxTokens;
      // The history stays whole; what is sent is fitted to the window (src/context, docs/context.md): room is kept
      // for the largest answer this call could be continued to.
      const fitted = await prepareContext(context, o.messages, { system: o.system, tools: specs, maxTokens: upper, signal: o.signal });
      for (const e of fitted.events) await push(e);
      try {
        call = await callModel(o, s, { system: o.system, messages: fitted.messages, tools: specs, maxTokens }, push, runner, tried);
        break;
      } catch (err) {
        // The provider counted more tokens than the estimate: fit tighter and try again (3 tries, as the original).
        if (overflows >= 2 || !tooLong(err)) throw err;
        // A retry is a new request: after a signature for this answer, a paid model would be signed for again.
        const to = nextModel({ failure: { kind: "too_long" }, reached: false, tried, chain: chainOf(o) });
        const next = to ? modelOf(o, to.model) : undefined;
        if (!next) throw err;
        overflowed(context);
        await push({
          type: "warning",
          code: "context_overflow",
          message: `${s.current.id} said the request was too long; compacting the history and retrying`,
        });
        if (next.id !== s.current.id) {
          await push({
            type: "model.fallback",
            from: s.current.id,
            to: next.id,
            reason: "prompt too long after a signed payment: only a free model may follow",
          });
          s.current = next;
          s.model = next.id;
        }
      }
    }
    const turnText = call.text;
    const done = call.done;
    observeUsage(context, done.usage.input);
    s.input += done.usage.input;
    s.output += done.usage.output;
    await push({ type: "usage", model: done.model, input: done.usage.input, output: done.usage.output, usd: done.usd });
    await push({ type: "turn.completed", turn: s.turns, stop: done.stop, usage: done.usage });
    const cut = done.stop === "max_tokens";
    let content: ContentBlock[] = done.content;
    // A call the limit cut mid-JSON is never run: the model is asked to send it again, with a larger budget.
    const resend = cut ? content.filter(cutCall).map((b) => (b as { name: string }).name) : [];
    if (resend.length) content = content.filter((b) => !cutCall(b));
    const stepped = cut && Math.min(nextBudget(sent, upper), upper) > sent;
    raised = cut ? nextBudget(sent, upper) : undefined;
    let uses = content.filter((b) => b.type === "tool_use");
    if (!uses.length && tools && turnText) {
      uses = textToolCalls(turnText, (n) => !!tools.get(n));
      if (uses.length) {
        content = [...content, ...uses];
        await push({
          type: "warning",
          code: "text_tool_call",
          message: `${s.model} wrote ${uses.length} tool call(s) as text; runcode ran them as real calls`,
        });
      }
    }
    // A model that echoes a secret (its tool call was refused for it) must not make every later request unsendable.
    // (An answer that was nothing but a cut call leaves the conversation as it was: the call is asked for again.)
    if (content.length) o.messages.push({ role: "assistant", content: redactValue(content) });
    if (!uses.length || !runner) {
      // Stopped at a budget below the upper bound: continued with a larger one, as often as it takes to reach it;
      // at the upper bound itself, MAX_CONTINUATIONS more times.
      if (cut && (stepped || continuations < MAX_CONTINUATIONS)) {
        if (!stepped) continuations++;
        if (content.length) o.messages.push({ role: "user", content: resend.length ? resendCall(resend) : CONTINUE });
        continue;
      }
      if (!s.text.trim())
        throw new ActionableError(`${s.model} returned an empty answer`, "retry, or pick another model with -m", "empty_answer");
      // A Stop hook may send the agent on with its reason, as one more user message (stop_hook_active tells it so).
      const reason = await stopHooks(o, s, push, stopBlocks);
      if (reason === undefined) return;
      stopBlocks++;
      o.messages.push({ role: "user", content: `Stop hook feedback:\n${reason}` });
      continue;
    }
    // Text before tool calls is narration; the run's answer is what the model says after its last tool call.
    s.text = "";
    continuations = 0;
    const results = await runner.finish(uses);
    o.messages.push({ role: "user", content: resend.length ? [...results, { type: "text", text: resendCall(resend) }] : results });
    if (o.signal.aborted) throw o.signal.reason ?? new DOMException("interrupted", "AbortError");
    if (runner.doom)
      throw new ActionableError(`stopped a loop: ${runner.doom}`, "rephrase the request, or try another model with -m", "doom_loop");
    if (runner.stopped !== undefined) throw hookStopped("a tool hook", runner.stopped);
  }
}

/** A hook answered `continue: false`: the run ends there, with its stopReason. */
export const hookStopped = (who: string, reason: string) =>
  new ActionableError(`${who} stopped the run${reason ? `: ${reason}` : ""}`, "", "hook_stopped");

/** The Stop hooks' reason to go on, or undefined to end the turn. */
async function stopHooks(o: AgentOptions, s: State, push: Push, blocks: number): Promise<string | undefined> {
  if (!o.hooks?.has("Stop")) return undefined;
  const h = await o.hooks.run("Stop", { stop_hook_active: blocks > 0, last_assistant_message: s.text }, { emit: push, signal: o.signal });
  if (h.stop !== undefined || !h.blocked) return undefined;
  if (blocks >= MAX_STOP_BLOCKS) {
    await push({
      type: "warning",
      code: "stop_hook_loop",
      message: `a Stop hook blocked ${blocks + 1} times in a row; the turn ends here (a Stop hook should exit 0 when stop_hook_active is true)`,
    });
    return undefined;
  }
  return h.reasons.join("\n\n");
}

type Push = (e: AgentEvent) => Promise<void> | void;

const chainOf = (o: AgentOptions): ModelChain =>
  o.chain ?? { models: [o.model.id], routed: false, freeAfterPayment: false, catalog: [o.model] };
const modelOf = (o: AgentOptions, id: string) => chainOf(o).catalog.find((m) => m.id === id);

/** A provider's "your prompt does not fit" answer, in any of the wordings seen in the wild. */
const tooLong = (err: unknown) =>
  err instanceof ActionableError &&
  err.code === "bad_request" &&
  /too long|context length|context window|maximum context|too many (input )?tokens|exceeds? the (model'?s )?(maximum|limit)/i.test(
    err.message,
  );
type Done = Extract<StreamEvent, { type: "done" }>;

/**
 * One model call, walking the fallback chain while a failure (or a degraded answer) happened before anything reached
 * the user. The model that answers stays the run's model for later turns.
 */
async function callModel(
  o: AgentOptions,
  s: State,
  req: { system?: string; messages: Message[]; tools?: ChatRequest["tools"]; maxTokens: number },
  push: Push,
  runner: ToolRunner | undefined,
  tried: Tried[],
): Promise<{ text: string; done: Done }> {
  let waited = false;
  for (;;) {
    const signedBefore = s.signatures;
    let text = "";
    let shown = false;
    let answer: { text: string; done: Done } | undefined;
    let failure: Failure | undefined;
    let why = "";
    let error: unknown;
    try {
      let done: Done | undefined;
      const model = s.current;
      const maxTokens = Math.min(req.maxTokens, model.maxOutput || req.maxTokens);
      // The Messages API needs max_tokens above the budget and no temperature while thinking.
      const thinking = o.thinkingBudget && model.reasoning ? Math.min(o.thinkingBudget, maxTokens - 1024) : 0;
      const wire = {
        ...req,
        model: model.id,
        maxTokens,
        ...(thinking >= 1024 ? { thinkingBudget: thinking } : { temperature: o.temperature }),
      };
      for await (const ev of chat(o.gateway, o.protocol, wire, o.signal)) {
        switch (ev.type) {
          case "start":
            // Free-pool substitution: say so once, not on every turn of the same substitute.
            if (ev.model !== model.id && ev.model !== s.model)
              await push({ type: "model.substituted", requested: model.id, model: ev.model });
            s.model = ev.model;
            break;
          case "text":
            shown = true;
            text += ev.text;
            s.text += ev.text;
            await push({ type: "text.delta", text: ev.text });
            break;
          case "thinking":
            await push({ type: "reasoning.delta", text: ev.text });
            break;
          case "tool_use.done":
            shown = true;
            if (!cutCall(ev.block)) runner?.early(ev.block);
            break;
          case "done":
            done = ev;
            break;
          case "tool_use.start":
          case "usage":
            break;
          default:
            ev satisfies never;
        }
      }
      if (!done) throw new ActionableError("the answer stream ended without a final event", "retry", "stream_error");
      // A complete answer is judged too: an empty one, a placeholder or a repetition loop is worth another model
      // while nothing of it reached the user (and stands otherwise: an empty run still ends in empty_answer).
      answer = { text, done };
      failure = { kind: "answer", text, toolCalls: done.content.filter((b) => b.type === "tool_use").length };
      why = ` from ${s.model}`;
    } catch (err) {
      error = err;
      // Only what the gateway or the stream reported is a fallback reason: a fault of ours is not retried elsewhere.
      if (err instanceof ActionableError) {
        failure = { kind: "error", code: err.code, message: err.message };
        why = `: ${err.summary}`;
      }
    }
    // A rate limit or overload that says how long to wait is waited for (at most RETRY_WAIT_MS) and the same model
    // asked once more, before any other model (and never after a signature: that would pay twice for one answer).
    const wait = retryAfterMs(error);
    if (wait !== undefined && !shown && s.signatures === signedBefore && !waited && wait <= RETRY_WAIT_MS && !o.signal.aborted) {
      waited = true;
      await push({
        type: "warning",
        code: "rate_limited",
        message: `${s.current.id}${why}; waiting ${Math.ceil(wait / 1000)} s as the gateway asked, then retrying it`,
      });
      await abortableSleep(wait, o.signal);
      continue;
    }
    tried.push({ id: s.current.id, signed: s.signatures > signedBefore });
    const decision = failure && !o.signal.aborted ? nextModel({ failure, reached: shown, tried, chain: chainOf(o) }) : null;
    const next = decision ? modelOf(o, decision.model) : undefined;
    if (!decision || !next) {
      if (answer) return answer;
      // Keep what was said before the stream broke: the partial answer is in the result and in the history.
      if (text) o.messages.push({ role: "assistant", content: text });
      await runner?.finish([]);
      throw error;
    }
    await push({ type: "model.fallback", from: s.current.id, to: next.id, reason: `${REASONS[decision.reason]}${why}` });
    s.current = next;
    s.model = next.id;
  }
}
