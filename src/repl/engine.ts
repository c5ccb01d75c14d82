// The REPL's conversation: one tool session, one stored session, the model in use and what the session has cost.
// `turn()` runs one user message through the agent loop and passes its events on (recording them in the store);
// the slash commands change this state (switch model, mode, clear, resume, undo). No terminal IO here.
import { homedir } from "node:os";
import { projectContext, type ProjectContext } from "../agent/context";
import { compactNow, contextBreakdown, contextFor, type Breakdown, type ContextState } from "../context";
import { runAgent } from "../agent/loop";
import { EventRelay } from "../agent/relay";
import { createSession, type Session } from "../agent/session";
import { ActionableError } from "../core/errors";
import type { AgentEvent } from "../core/events";
import { containsSecret } from "../core/secrets";
import { catalog as loadCatalog, context, gateway, type Context } from "../cli/context";
import type { Catalog, CatalogModel } from "../gateway/catalog";
import type { Gateway } from "../gateway/client";
import { resolveModel } from "../gateway/models";
import { bestFree } from "../router/chain";
import { profileOf } from "../router/types";
import { payerFromContext } from "../cli/payer";
import type { PaymentEvent } from "../money";
import { freeFallbackAllowed } from "../money/settings";
import type { Message } from "../llm/types";
import type { Approve } from "../permissions/approve";
import { Policy, type Mode } from "../permissions/policy";
import { readRules } from "../permissions/rules";
import { ChangeLog } from "../tools/files";
import { openSession, SessionRecorder } from "../store/recorder";
import { resumable } from "../store/resume";
import { openStore } from "../store/open";
import type { Store } from "../store/store";
import { ReplMcp } from "./mcp";
import { chooseModel } from "../agent/choose";
import type { Tier } from "../router";

export type EngineOptions = {
  env: Record<string, string | undefined>;
  cwd: string;
  model?: string;
  trust?: boolean;
  allow?: string[];
  deny?: string[];
  resume?: { latest?: boolean; id?: string };
  /** Whether approvals and payment confirmations can be asked (a TTY). */
  interactive: boolean;
  confirm: (question: string) => Promise<boolean>;
  warn: (line: string) => void;
};

export type Totals = { usd: number; input: number; output: number; requests: number };

const ULTRATHINK =
  "The user asked for deep reasoning on this message (ultrathink): think it through step by step, consider alternatives and edge cases, check your conclusions against the code before you act.";

export class Engine {
  messages: Message[] = [];
  /** Routing profile chosen with -m/model (auto, eco, premium): each turn is routed; otherwise undefined. */
  profile?: string;
  /** What the user asked for (-m, /model, config default-model): a model id, shortcut or profile; unset = best free. */
  name?: string;
  /** The tier the router settled on in this conversation (upgrade only). */
  private pinned?: Tier;
  planMode = false;
  ultrathink = false;
  totals: Totals = { usd: 0, input: 0, output: 0, requests: 0 };
  /** Input tokens of the latest model call: what the context window holds now. */
  lastInput = 0;
  /** ChangeLog positions at the start of each turn, for /undo (newest last). */
  marks: number[] = [];
  sessionId = "";
  /** The context pipeline's state for this conversation and model (compaction summary, token anchor). */
  context!: ContextState;
  private recorder?: SessionRecorder;
  mcp!: ReplMcp;

  private constructor(
    readonly ctx: Context,
    readonly gw: Gateway,
    public catalog: Catalog,
    public model: CatalogModel,
    readonly project: ProjectContext,
    readonly session: Session,
    private readonly policies: { normal: Policy; plan: Policy },
    readonly store: Store | undefined,
    /** Payment events arrive through a callback inside the gateway; the loop passes them on in its stream. */
    private readonly relay: EventRelay,
    readonly o: EngineOptions,
  ) {}

  static async create(o: EngineOptions): Promise<Engine> {
    const ctx: Context = { ...context(o.env as NodeJS.ProcessEnv), cwd: o.cwd };
    const project = projectContext({ cwd: o.cwd, home: ctx.paths.home });
    const mode: Mode = o.trust ? "trust" : (ctx.get("permission-mode") as Mode);
    const rules = readRules(ctx.paths.permissions);
    const policy = (m: Mode) => new Policy({ mode: m, root: project.root, file: rules, allow: o.allow, deny: o.deny });
    const policies = { normal: policy(mode), plan: policy("plan") };
    const relay = new EventRelay();
    const ref: { engine?: Engine } = {};
    // The session's dollars are what settled, counted as it settles: turns, /compact and /commit alike.
    const emit = (e: PaymentEvent) => {
      if (e.type === "payment.settled" && ref.engine) ref.engine.totals.usd += e.usd;
      relay.emit(e);
    };
    // The payer reads `session` at each payment: the getter follows the current conversation (/clear, /resume).
    const payer = payerFromContext(ctx, {
      store: () => ref.engine?.store,
      emit,
      session: () => ref.engine?.sessionId ?? "",
      confirm: o.interactive ? o.confirm : undefined,
      warn: o.warn,
      isFree: (id) => !!ref.engine?.catalog.models.some((m) => m.id === id && m.free),
    });
    const gw = gateway(ctx, payer);
    const { catalog } = await loadCatalog(ctx, gw);
    const name = o.model ?? (ctx.get("default-model") as string | undefined);
    const { model, profile } = pick(name ?? "free", catalog.models);
    const session = createSession({
      root: project.root,
      cwd: o.cwd,
      home: o.env.HOME || homedir(),
      toolsDir: ctx.paths.tools,
      trusted: mode === "trust",
      policy: policies.normal,
      gateway: gw,
      env: o.env,
      warn: o.warn,
      noRipgrep: !!o.env.RUNCODE_NO_RIPGREP,
      limits: {
        bashTimeoutMs: (ctx.get("bash-timeout") as number) * 1000,
        bashTimeoutMaxMs: (ctx.get("bash-timeout-max") as number) * 1000,
        outputCap: (ctx.get("tool-output-cap") as number) * 1024,
      },
      child: { protocol: ctx.protocol, model, maxTokens: ctx.get("max-tokens") as number, system: project.system },
    });
    // In a pipe nothing can be asked: offer the model only the tools this session could allow (as ask/edit do).
    if (!o.interactive)
      for (const t of session.tools.list())
        if (!policies.normal.offers({ ...t, shell: "shell" in t && t.shell === true }, false)) session.tools.unregister(t.name);
    let store: Store | undefined;
    if (ctx.get("session-save") !== false) {
      try {
        store = openStore({ home: ctx.paths.home, warn: o.warn });
      } catch (err) {
        o.warn(`sessions will not be saved: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    const e = new Engine(ctx, gw, catalog, model, project, session, policies, store, relay, o);
    e.name = name;
    e.profile = profile;
    e.mcp = new ReplMcp(ctx, project.root, session.tools, policies.normal, mode === "trust");
    e.open(o.resume);
    ref.engine = e;
    return e;
  }

  /** Start a new stored conversation, or reopen one (then its messages are the history the model sees). */
  open(resume?: { latest?: boolean; id?: string }) {
    // Resolve first: `/resume typo` must fail without dropping the conversation in progress.
    const s = this.store ? openSession(this.store, { cwd: this.ctx.cwd, model: this.model.id, resume, warn: this.o.warn }) : undefined;
    this.marks = [];
    this.lastInput = 0;
    this.pinned = undefined; // a new conversation is routed afresh
    this.resetContext();
    this.sessionId = s?.id ?? `ses_${Date.now().toString(36)}`;
    this.messages = s?.history ?? [];
    this.recorder = s && this.store ? new SessionRecorder(this.store, s.id) : undefined;
    return s?.resumed ?? false;
  }

  get policy(): Policy {
    return this.planMode ? this.policies.plan : this.policies.normal;
  }

  get system(): string {
    return this.planMode
      ? `${this.project.system}\n\nPlan mode is on: you may read and search but not change anything. Answer with a plan the user can approve.`
      : this.project.system;
  }

  /** Switch model by id, shortcut or profile; throws an ActionableError (with suggestions) for unknown names. */
  setModel(name: string): CatalogModel {
    const { model, profile } = pick(name, this.catalog.models);
    this.model = model;
    this.profile = profile;
    this.name = name;
    this.pinned = undefined;
    this.resetContext();
    return model;
  }

  /** A new context state: the window and summariser depend on the model. */
  private resetContext() {
    this.context = contextFor({
      gateway: this.gw,
      protocol: this.ctx.protocol,
      model: this.model,
      toolContext: this.session.ctx,
      models: this.catalog.models,
      auto: this.ctx.get("auto-compact") !== false,
    });
  }

  /** /compact: summarise older history now. Events say what happened (compact.boundary or a warning). */
  async compact(focus?: string, signal?: AbortSignal): Promise<AgentEvent[]> {
    this.context.history = this.messages;
    if (!this.context.last.system)
      this.context.last = { system: this.system, tools: this.session.tools.specs(), maxTokens: this.ctx.get("max-tokens") as number };
    return compactNow(this.context, focus, signal);
  }

  breakdown(exact = false): Promise<Breakdown> {
    return contextBreakdown(this.context, { system: this.system, tools: this.session.tools.specs(), history: this.messages, exact });
  }

  async refreshCatalog(): Promise<Catalog> {
    this.catalog = (await loadCatalog(this.ctx, this.gw, true)).catalog;
    return this.catalog;
  }

  /** Runs one user message; yields the agent's events and records them. Always ends with one `result`. */
  async *turn(text: string, o: { signal: AbortSignal; approve?: Approve }): AsyncGenerator<AgentEvent> {
    const attached = await this.mcp.attach(text);
    for (const w of [...this.mcp.warnings(), ...attached.warnings]) yield { type: "warning", code: "mcp", message: w };
    if (containsSecret(attached.text)) {
      // Refused before it joins the conversation, so the next message is sent as usual.
      const message = "refused to send your message: it contains runcode's wallet key or a token: send it again without it";
      yield {
        type: "result",
        ok: false,
        text: "",
        model: this.model.id,
        usd: 0,
        usage: { input: 0, output: 0 },
        turns: 0,
        ms: 0,
        error: { code: "secret_refused", message },
      };
      return;
    }
    const user: Message = { role: "user", content: attached.text };
    // After an interrupt the history may end mid-exchange; next() repairs it the way a resume would.
    this.messages = this.recorder ? this.recorder.next(this.messages, user) : resumable([...this.messages, user]);
    this.marks.push(this.session.changes.entries.length);
    const maxTokens = this.ctx.get("max-tokens") as number;
    const c = await chooseModel({
      name: this.name,
      models: this.catalog.models,
      messages: this.messages,
      agentic: true,
      maxTokens,
      config: this.ctx.config,
      pinned: this.pinned,
      routed: this.ctx.get("smart-routing") === true,
      fallbackFree: freeFallbackAllowed({ mode: "repl", config: this.ctx.get }),
    });
    // Session pinning: a routed conversation keeps its tier unless a later message scores higher.
    if (c.tier) this.pinned = c.tier;
    if (c.model.context !== this.model.context) {
      this.model = c.model;
      this.resetContext();
    }
    this.model = c.model;
    if (c.route) yield c.route;
    const deep = this.ultrathink;
    this.ultrathink = false;
    const run = runAgent({
      gateway: this.gw,
      protocol: this.ctx.protocol,
      model: this.model,
      system: deep ? `${this.system}\n\n${ULTRATHINK}` : this.system,
      messages: this.messages,
      maxTokens: deep ? maxTokens * 2 : maxTokens,
      thinkingBudget: deep ? maxTokens : undefined,
      maxTurns: this.ctx.get("max-turns") as number,
      session: this.sessionId,
      cwd: this.ctx.cwd,
      contextFiles: this.project.files,
      signal: o.signal,
      tools: this.session.tools,
      toolContext: this.session.ctx,
      policy: this.policy,
      approve: o.approve,
      outside: this.session.outside,
      context: this.context,
      chain: c.chain,
      relay: this.relay,
    });
    const events = this.recorder ? this.recorder.observe(run, this.messages) : run;
    for await (const e of events) {
      if (e.type === "session.started") continue; // the REPL announced the session once, at start
      if (e.type === "turn.started") for (const w of this.mcp.warnings()) yield { type: "warning", code: "mcp", message: w };
      if (e.type === "usage") {
        this.totals.input += e.input;
        this.totals.output += e.output;
        this.totals.requests++;
        this.lastInput = e.input + e.output;
      }
      if (e.type === "result") yield* changedSince(this.session, this.marks.at(-1) ?? 0);
      yield e;
    }
  }

  /** Reverts the file changes of the latest turn that made any (not the user's own edits). */
  undo(): { reverted: string[]; skipped: string[] } | undefined {
    const log = this.session.changes;
    while (this.marks.length) {
      const mark = this.marks.pop()!;
      if (log.entries.length > mark) return log.undo(this.session.ctx.files, mark);
    }
    return undefined;
  }

  /** Drops the last user prompt and everything after it; returns its text (for /retry). */
  popLastPrompt(): string | undefined {
    for (let i = this.messages.length - 1; i >= 0; i--) {
      const m = this.messages[i]!;
      if (m.role === "user" && typeof m.content === "string") {
        this.messages.splice(i);
        return m.content;
      }
    }
    return undefined;
  }

  async close() {
    await this.mcp.close();
    this.store?.close();
  }
}

/** One `file.changed` per file the turn changed (the ChangeLog's entries from `mark` on), before its `result`. */
function* changedSince(s: Session, mark: number): Generator<AgentEvent> {
  const turn = new ChangeLog();
  turn.entries.push(...s.changes.entries.slice(mark));
  for (const d of turn.diffs(s.ctx.root)) yield { type: "file.changed", path: d.path, diff: d.diff, added: d.added, removed: d.removed };
}

/** A model name → the model to call now, plus the profile when the name was a routing profile. */
function pick(name: string, models: CatalogModel[]): { model: CatalogModel; profile?: string } {
  const r = resolveModel(name, models);
  if ("model" in r) return { model: r.model };
  const m = bestFree(models);
  if (!m) throw new ActionableError(`cannot route profile "${r.profile}": no model available`, "pick a model with /model", "unknown_model");
  return { model: m, profile: profileOf(name) };
}
