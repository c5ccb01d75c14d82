// The run assembly: what ask, edit and the REPL open once from a spec (project context, permission policy, the one
// opened store, payer, gateway, catalog, toolbox, MCP servers, the conversation), `turn()` for each user message,
// and `close()`. A turn yields every event in its final order: session.started (first turn of a conversation),
// route.decided, the warnings gathered while opening, the agent loop's events with MCP warnings as they arise, one
// file.changed per file the turn changed, then exactly one result. Front ends keep only what is theirs: flags, stdin
// and the renderer (cli/run.ts); prompts, slash commands and the status line (repl/).
import { homedir } from "node:os";
import { compactNow, contextBreakdown, contextFor, type Breakdown, type ContextState } from "../context";
import { ActionableError } from "../core/errors";
import type { AgentEvent } from "../core/events";
import { newId } from "../core/id";
import { containsSecret, secretFiles } from "../core/secrets";
import { isTrusted } from "../core/trust";
import type { Catalog, CatalogModel } from "../gateway/catalog";
import type { Gateway } from "../gateway/client";
import { resolveModel } from "../gateway/models";
import type { ContentBlock, Message } from "../llm/types";
import { ProjectMcp } from "../mcp/project";
import type { PaymentEvent } from "../money";
import { freeFallbackAllowed } from "../money/settings";
import type { Approve } from "../permissions/approve";
import { Policy, type Mode } from "../permissions/policy";
import { readRules } from "../permissions/rules";
import type { Tier } from "../router";
import type { SandboxMode } from "../sandbox";
import { budgetSettings } from "../router/budget";
import { bestFree } from "../router/chain";
import { profileOf } from "../router/types";
import { openStore } from "../store/open";
import { openSession, SessionRecorder, type Resume } from "../store/recorder";
import { resumable } from "../store/resume";
import { applyRetention } from "../store/sessions";
import { retention } from "../store/settings";
import type { Store } from "../store/store";
import { overlayFiles } from "../tools/files";
import { VERSION } from "../version";
import type { Hooks } from "../hooks/hooks";
import { chooseModel, paidWithoutWallet } from "./choose";
import { openCatalog, openGateway, type RunEnv } from "./env";
import {
  beforeMessage,
  claudeMode,
  openHooks,
  preCompact,
  PROMPT_CONTEXT,
  sessionEnd,
  type SessionEndReason,
  type SessionSource,
} from "./hooks";
import { runAgent } from "./loop";
import { runPayer } from "./payer";
import { projectContext, repoRoot, type ProjectContext } from "./system-prompt";
import { EventRelay } from "./relay";
import { openToolbox, type Toolbox } from "./toolbox";

export type WorkspaceSpec = {
  run: RunEnv;
  /** One message (ask, edit) or a conversation (the REPL). */
  kind: "ask" | "edit" | "repl";
  mode: Mode;
  /** --trust: this project's custom tools load (as they do for a project in trusted-projects.json). */
  trust?: boolean;
  /** --trust-mcp: this project's .mcp.json is used. */
  trustMcp?: boolean;
  allow?: string[];
  deny?: string[];
  /** edit --dry-run: file writes go to an overlay and Bash is denied (commands could write anything). */
  dryRun?: boolean;
  /** Approvals and payment confirmations can be asked (a REPL on a terminal). */
  interactive: boolean;
  confirm?: (question: string) => Promise<boolean>;
  /** Problems while opening that the user should see now (a read-only home, a damaged catalog cache). */
  warn: (line: string) => void;
  /** -m / default-model: a model id, shortcut or profile; unset = the best free model. */
  model?: string;
  /** The user's own system prompt (--system), added to the project context. */
  system?: string;
  maxTokens: number;
  maxTurns: number;
  temperature?: number;
  /** --fallback-free / --no-fallback-free; unset = config fallback-to-free. */
  fallbackFree?: boolean;
  /** Continue a stored conversation (--continue, --session). */
  resume?: Resume;
  /** Store the transcript (config session-save, --no-session); usage is recorded either way. */
  save: boolean;
  /**
   * The session the payment budgets count under, instead of the conversation's: `runcode bench` gives all its
   * runs one, so `max-usd-per-session` is one limit across them, held by the ledger across processes.
   */
  paymentSession?: string;
  /** --sandbox: Bash and custom command tools run in this OS sandbox, unasked (src/sandbox/, docs/sandbox.md). */
  sandbox?: { mode: SandboxMode; network: boolean };
};

export type TurnInput = {
  text: string;
  images?: ContentBlock[];
  signal: AbortSignal;
  approve?: Approve;
  /** Deep reasoning for this message (REPL /ultrathink): twice the output budget, a thinking budget, an instruction. */
  deep?: boolean;
};

export type Totals = { usd: number; input: number; output: number; requests: number };

const ULTRATHINK =
  "The user asked for deep reasoning on this message (ultrathink): think it through step by step, consider alternatives and edge cases, check your conclusions against the code before you act.";
const PLAN = "Plan mode is on: you may read and search but not change anything. Answer with a plan the user can approve.";

export class Workspace {
  readonly catalog: Catalog;
  /** The model in use: the latest one chosen (or the one -m names, before the first message). */
  model: CatalogModel;
  /** The routing profile -m named (auto, eco, premium, free): each message is routed; otherwise undefined. */
  profile?: string;
  /** What the user asked for (-m, /model, default-model); unset = the best free model. */
  name?: string;
  planMode = false;
  /** What this conversation has cost and used: dollars from payment.settled only. */
  totals: Totals = { usd: 0, input: 0, output: 0, requests: 0 };
  /** The model that gave the latest answer (after a fallback, not the one asked for); undefined before one. */
  answeredBy?: string;
  /** Input and output tokens of the latest model call: what the context window holds now. */
  lastInput = 0;
  /** The conversation the model sees (the resumed history, then each message and what the loop appended). */
  messages: Message[] = [];
  private id = "";
  /** The conversation's stored id: the recorder's, which moves to a copy when another process took this one over. */
  get sessionId(): string {
    return this.recorder?.session ?? this.id;
  }
  /** The context window's state for this conversation and model (compaction summary, token anchor). */
  context!: ContextState;
  /** ChangeLog positions at the start of each message, for undo (newest last). */
  private marks: number[] = [];
  /** The tier the router settled on in this conversation (upgrade only). */
  private pinned?: Tier;
  private recorder?: SessionRecorder;
  /** A new conversation's row is created with its first message (an unused REPL leaves no empty session behind). */
  private unsaved?: { id: string };
  private announced = false;
  private saidFreeOnly = false;
  /** The latest conversation this workspace stored: retention is applied at close, keeping it. */
  private created?: string;
  private readonly early: AgentEvent[] = [];
  /** Hooks: the conversation's SessionStart ran (then SessionEnd runs when it ends), with this source and context. */
  private started = false;
  private source: SessionSource = "startup";
  private sessionContext = "";
  /** SessionEnd hooks of conversations left behind (/clear, /resume): close() waits for them. */
  private ending: Promise<void>[] = [];

  private constructor(
    readonly spec: WorkspaceSpec,
    readonly run: RunEnv,
    readonly gw: Gateway,
    catalog: Catalog,
    /** A stale catalog refreshing in the background: close() waits a moment for it. */
    private readonly pending: Promise<void> | undefined,
    readonly project: ProjectContext,
    readonly toolbox: Toolbox,
    private readonly policies: { normal: Policy; plan: Policy },
    /** The one opened store (sessions, requests and the payment ledger); undefined when the home cannot hold one. */
    readonly store: Store | undefined,
    readonly mcp: ProjectMcp,
    /** Payment events arrive through a callback inside the gateway; the loop passes them on in its stream. */
    private readonly relay: EventRelay,
    /** A wallet is set up: paid models can be paid for. Without one, free means free. */
    readonly canPay: boolean,
    /** The hooks of this workspace (docs/hooks.md): the user's, and the project's once it is trusted. */
    readonly hooks: Hooks,
    initial: { model: CatalogModel; profile?: string },
  ) {
    this.catalog = catalog;
    this.model = initial.model;
    this.profile = initial.profile;
    this.name = spec.model;
  }

  static async open(spec: WorkspaceSpec): Promise<Workspace> {
    const { run } = spec;
    // The project context (two git calls) is gathered while the store opens and the catalog loads.
    const projecting = projectContext({ cwd: run.cwd, home: run.paths.home });
    const root = repoRoot(run.cwd) ?? run.cwd;
    const rules = readRules(run.paths.permissions);
    const deny = [...(spec.deny ?? []), ...(spec.dryRun ? ["Bash"] : [])];
    const policy = (mode: Mode) =>
      new Policy({ mode, root, file: rules, allow: spec.allow, deny, editsInProject: spec.kind === "edit", sandbox: spec.sandbox?.mode });
    // The sandbox is set up (and a missing mechanism refused) before anything else is opened or paid.
    const sandbox = spec.sandbox
      ? (await import("../sandbox")).openSandbox({
          mode: spec.sandbox.mode,
          root,
          home: run.paths.home,
          secrets: secretFiles(),
          network: spec.sandbox.network,
        })
      : undefined;
    const policies = { normal: policy(spec.mode), plan: policy("plan") };
    const store = openRunStore(spec);
    const relay = new EventRelay();
    const ref: { ws?: Workspace } = {};
    // The conversation's dollars are what settled, counted as it settles: messages, /compact and /commit alike.
    const emit = (e: PaymentEvent) => {
      if (e.type === "payment.settled" && ref.ws) ref.ws.totals.usd += e.usd;
      relay.emit(e);
    };
    const payer = runPayer(run, {
      store: () => {
        if (store) return store;
        throw new ActionableError(
          `cannot record this payment: the session store in ${run.paths.home} cannot be opened`,
          "fix the warning above, or use a free model (-m free)",
          "payment_refused",
        );
      },
      emit,
      // Read at each payment: follows the current conversation (/clear, /resume).
      session: () => spec.paymentSession ?? ref.ws?.sessionId ?? "",
      confirm: spec.interactive ? spec.confirm : undefined,
      isFree: (id) => !!ref.ws?.catalog.models.some((m) => m.id === id && m.free),
    });
    const gw = openGateway(run, payer, { providers: true });
    // One message (ask, edit) against a gateway host that is down: say so once and stop, before anything else. A run
    // on a provider's model sends the gateway nothing, not even for its catalog.
    const { catalog, pending } = await openCatalog(run, gw, {
      warn: spec.warn,
      failUnreachable: spec.kind !== "repl",
      offline: !!spec.model && !!gw.provider(spec.model),
    });
    const initial = pick(spec.model ?? "free", catalog.models, gw);
    const project = await projecting;
    const early: AgentEvent[] = [];
    const trusted = spec.mode === "trust" || !!spec.trust;
    const projectTrusted = trusted || isTrusted(run.paths.trusted, project.root);
    const toolbox = openToolbox({
      root: project.root,
      cwd: run.cwd,
      home: run.env.HOME || homedir(),
      toolsDir: run.paths.tools,
      trusted: projectTrusted,
      policy: policies.normal,
      files: spec.dryRun ? overlayFiles() : undefined,
      gateway: gw,
      env: run.env,
      limits: {
        bashTimeoutMs: (run.get("bash-timeout") as number) * 1000,
        bashTimeoutMaxMs: (run.get("bash-timeout-max") as number) * 1000,
        outputCap: (run.get("tool-output-cap") as number) * 1024,
      },
      noRipgrep: !!run.env.RUNCODE_NO_RIPGREP,
      sandbox,
      vision: initial.model.vision,
      warn: (message) => early.push({ type: "warning", code: "custom_tool", message }),
      child: {
        protocol: run.protocol,
        model: initial.model,
        maxTokens: spec.maxTokens,
        system: project.system,
        budget: budgetSettings(run.get),
      },
    });
    // One rule for every front end: offer the model only tools this run could allow. Hidden, not removed: a call to
    // one still gets a permission denial that names the flag to pass, not "unknown tool".
    const offers = (t: { name: string; mutating: boolean; shell?: boolean }) => policies.normal.offers(t, spec.interactive);
    for (const t of toolbox.tools.list()) if (!offers({ ...t, shell: "shell" in t && t.shell === true })) toolbox.tools.hide(t.name);
    const mcp = new ProjectMcp({
      env: run.env,
      cwd: run.cwd,
      paths: run.paths,
      get: run.get,
      root: project.root,
      trusted: trusted || !!spec.trustMcp,
      canAsk: spec.kind === "repl" && spec.interactive,
      registry: toolbox.tools,
      offer: offers,
    });
    const { hooks, warnings: hookWarnings } = openHooks({
      settingsFile: run.paths.settings,
      trustedFile: run.paths.trusted,
      trusted: projectTrusted,
      root: project.root,
      cwd: () => toolbox.ctx.cwd,
      env: toolbox.ctx.env,
      session: () => ref.ws?.sessionId ?? "",
      mode: () => claudeMode(spec.mode, { plan: !!ref.ws?.planMode, edit: spec.kind === "edit" }),
    });
    early.push(...hookWarnings);
    const ws = new Workspace(spec, run, gw, catalog, pending, project, toolbox, policies, store, mcp, relay, !!payer, hooks, initial);
    if (!payer && !initial.profile && spec.model && !initial.model.free) throw paidWithoutWallet(initial.model.id);
    ws.early.push(...early);
    ref.ws = ws;
    ws.conversation(spec.resume);
    return ws;
  }

  /**
   * Start a new conversation, or reopen a stored one (then its messages are the history the model sees). Returns
   * whether one was reopened. Resolved first: `/resume typo` fails without dropping the conversation in progress.
   */
  conversation(resume?: Resume): boolean {
    const wanted = !!(resume?.id || resume?.latest);
    if (wanted && !this.store)
      throw new ActionableError(
        "cannot resume: the session store cannot be opened",
        "fix the warning above, or run without --continue/--session",
      );
    const s =
      this.store && wanted
        ? openSession(this.store, { cwd: this.run.cwd, model: this.model.id, resume, warn: this.spec.warn, create: false })
        : undefined;
    // SessionEnd is told the conversation it ends: hooks.run reads the session id before its first await.
    if (this.started) this.endSession(wanted ? "other" : "clear");
    this.source = s?.resumed ? "resume" : this.id ? "clear" : "startup";
    this.sessionContext = "";
    this.marks = [];
    this.lastInput = 0;
    this.totals = { usd: 0, input: 0, output: 0, requests: 0 };
    this.answeredBy = undefined;
    this.pinned = undefined; // a new conversation is routed afresh
    this.announced = false;
    this.resetContext();
    if (s?.resumed) {
      this.id = s.id;
      this.messages = s.history;
      this.unsaved = undefined;
      this.recorder = this.recorderOf(s.id);
      return true;
    }
    this.id = newId("ses");
    this.messages = [];
    this.unsaved = { id: this.id };
    // Not saving the transcript still records usage: stats count every request that was paid for.
    this.recorder = this.recorderOf(this.id);
    return false;
  }

  /** The recorder of conversation `id`; its requests are stored with the front end that made them. */
  private recorderOf(id: string): SessionRecorder | undefined {
    return this.store ? Object.assign(new SessionRecorder(this.store, id, this.spec.save), { client: this.spec.kind }) : undefined;
  }

  get policy(): Policy {
    return this.planMode ? this.policies.plan : this.policies.normal;
  }

  get system(): string {
    const own = this.spec.system ? `\n\n${this.spec.system}` : "";
    const hooked = this.sessionContext ? `\n\n${this.sessionContext}` : "";
    return `${this.project.system}${own}${hooked}${this.planMode ? `\n\n${PLAN}` : ""}`;
  }

  /** The conversation's SessionEnd hooks, started now (nothing waits for them but close()). */
  private endSession(reason: SessionEndReason) {
    this.started = false;
    this.ending.push(sessionEnd(this.hooks, reason, this.spec.warn).catch(() => undefined));
  }

  /** Switch model by id, shortcut or profile; throws an ActionableError (with suggestions) for unknown names. */
  setModel(name: string): CatalogModel {
    const { model, profile } = pick(name, this.catalog.models, this.gw);
    // Refused at the switch, not at every message after it.
    if (!this.canPay && !profile && !model.free) throw paidWithoutWallet(model.id);
    this.model = model;
    this.profile = profile;
    this.name = name;
    this.pinned = undefined;
    this.answeredBy = undefined;
    this.resetContext();
    return model;
  }

  /** A new context state: the window and summariser depend on the model. */
  private resetContext() {
    this.context = contextFor({
      gateway: this.gw,
      protocol: this.run.protocol,
      model: this.model,
      toolContext: this.toolbox.ctx,
      models: this.catalog.models,
      auto: this.run.get("auto-compact") !== false,
      beforeCompact: preCompact(this.hooks),
    });
  }

  /** Summarise older history now (REPL /compact). Events say what happened (compact.boundary or a warning). */
  async compact(focus?: string, signal?: AbortSignal): Promise<AgentEvent[]> {
    this.context.history = this.messages;
    if (!this.context.last.system)
      this.context.last = { system: this.system, tools: this.toolbox.tools.specs(), maxTokens: this.spec.maxTokens };
    return compactNow(this.context, focus, signal);
  }

  breakdown(exact = false): Promise<Breakdown> {
    return contextBreakdown(this.context, { system: this.system, tools: this.toolbox.tools.specs(), history: this.messages, exact });
  }

  async refreshCatalog(): Promise<Catalog> {
    (this as { catalog: Catalog }).catalog = (await openCatalog(this.run, this.gw, { warn: this.spec.warn, refresh: true })).catalog;
    return this.catalog;
  }

  /**
   * Runs one user message through the agent loop, recording it. Usage problems found before anything is sent (an
   * unknown model, images for a model without vision) are thrown; after that it always ends with one `result`.
   */
  async *turn(input: TurnInput): AsyncGenerator<AgentEvent> {
    const { spec } = this;
    const attached = await this.mcp.attach(input.text);
    // A one-shot run has one chance to offer a server's tools: the first model call. Wait for every server (in
    // parallel, each bounded by mcp-connect-timeout) so a tool the user allowed is there when the model needs it.
    if (spec.kind !== "repl") await this.mcp.settled();
    const head: AgentEvent[] = [];
    if (!this.announced)
      head.push({
        type: "session.started",
        session: this.sessionId,
        model: this.model.id,
        version: VERSION,
        cwd: this.run.cwd,
        schema: 1,
        ...(this.project.files.length || spec.kind !== "repl" ? { context: this.project.files } : {}),
      });
    const warnings = [...this.early.splice(0), ...[...this.mcp.warnings(), ...attached.warnings].map(mcpWarning)];
    if (containsSecret(attached.text)) {
      // Refused before it joins the conversation (or is stored), so the next message is sent as usual.
      this.announced = true;
      yield* head;
      yield* warnings;
      yield failed(
        this.model.id,
        "secret_refused",
        "refused to send your message: it contains runcode's wallet key or a token: send it again without it",
      );
      return;
    }
    // SessionStart for the conversation's first message, then UserPromptSubmit: either may refuse the message.
    const hooked = await beforeMessage(this.hooks, {
      start: this.started ? undefined : this.source,
      prompt: input.text,
      signal: input.signal,
    });
    if (!this.started) {
      this.started = true;
      this.sessionContext = hooked.session ?? "";
    }
    if (hooked.refused) {
      this.announced = true;
      yield* head;
      yield* warnings;
      yield* hooked.events;
      yield failed(this.model.id, hooked.refused.code, hooked.refused.message);
      return;
    }
    const images = input.images ?? [];
    const said: ContentBlock[] = hooked.prompt.map((c) => ({ type: "text", text: `${PROMPT_CONTEXT}${c}` }));
    const user: Message = {
      role: "user",
      content: images.length || said.length ? [...images, { type: "text", text: attached.text }, ...said] : attached.text,
    };
    const c = await chooseModel({
      name: this.name,
      models: this.catalog.models,
      providers: [...this.gw.providers.keys()],
      messages: [...this.messages, user],
      system: spec.system,
      agentic: spec.kind !== "ask",
      tools: this.toolbox.tools.names().length > 0,
      canPay: this.canPay,
      vision: images.length > 0 || undefined,
      maxTokens: spec.maxTokens,
      config: this.run.config,
      pinned: this.pinned,
      routed: this.run.get("smart-routing") === true,
      fallbackFree: freeFallbackAllowed({ mode: spec.kind, flag: spec.fallbackFree, config: this.run.get }),
    });
    if (images.length && !c.model.vision) {
      const alt = this.catalog.models
        .filter((m) => m.vision)
        .slice(0, 3)
        .map((m) => m.id);
      throw new ActionableError(
        `${c.model.id} does not accept images`,
        `pick a vision model with -m${alt.length ? ` (e.g. ${alt.join(", ")})` : ""}`,
        "usage",
      );
    }
    // Stored before the model call: a crash from here on loses at most the answer in flight.
    // A new conversation's row and its first message: one transaction.
    const store = (fn: () => Message[]) => (this.store ? this.store.write(fn) : fn());
    this.messages = store(() => {
      this.createRow(c.model.id);
      return this.recorder ? this.recorder.next(this.messages, user) : resumable([...this.messages, user]);
    });
    this.announced = true;
    // Session pinning: a routed conversation keeps its tier unless a later message scores higher.
    if (c.tier) this.pinned = c.tier;
    const resized = c.model.context !== this.model.context;
    this.model = c.model;
    if (resized) this.resetContext();
    this.toolbox.ctx.vision = c.model.vision;
    const mark = this.toolbox.changes.entries.length;
    this.marks.push(mark);
    if (c.route) head.push(c.route);
    if (c.route && !this.canPay && !this.saidFreeOnly) {
      this.saidFreeOnly = true;
      head.push({
        type: "warning",
        code: "free_only",
        message: `no wallet: the ${c.route.profile} profile routes among the free models only (\`runcode setup\` adds a wallet for the others)`,
      });
    }
    head.push(...warnings, ...hooked.events);
    const deep = !!input.deep;
    const loop = runAgent({
      gateway: this.gw,
      protocol: this.run.protocol,
      model: this.model,
      system: deep ? `${this.system}\n\n${ULTRATHINK}` : this.system,
      messages: this.messages,
      maxTokens: deep ? spec.maxTokens * 2 : spec.maxTokens,
      thinkingBudget: deep ? spec.maxTokens : undefined,
      maxTurns: spec.maxTurns,
      temperature: spec.temperature,
      session: this.sessionId,
      cwd: this.run.cwd,
      signal: input.signal,
      tools: this.toolbox.tools,
      toolContext: this.toolbox.ctx,
      policy: this.policy,
      approve: input.approve,
      outside: this.toolbox.outside,
      context: this.context,
      chain: c.chain,
      relay: this.relay,
      announce: false,
      // A named model is not classified (the router stays unloaded): its requests are MEDIUM for the budget.
      budget: { settings: budgetSettings(this.run.get), tier: c.tier },
      hooks: this.hooks,
    });
    // The head goes through the recorder too: the route is stored with the requests it decided.
    const stream = (async function* () {
      yield* head;
      yield* loop;
    })();
    for await (const e of this.recorder ? this.recorder.observe(stream, this.messages) : stream) {
      if (e.type === "usage") {
        this.totals.input += e.input;
        this.totals.output += e.output;
        this.totals.requests++;
        this.lastInput = e.input + e.output;
      }
      if (e.type === "result") {
        if (e.model) this.answeredBy = e.model;
        yield* this.mcp.warnings().map(mcpWarning);
        yield* changedSince(this.toolbox, mark);
      }
      yield e;
      if (e.type !== "result") yield* this.mcp.warnings().map(mcpWarning);
    }
  }

  /** A new conversation's row, created with its first message (only when the transcript is saved). */
  private createRow(model: string) {
    const u = this.unsaved;
    if (!u || !this.store) return;
    this.unsaved = undefined;
    if (!this.spec.save) return;
    this.store.createSession({ id: u.id, cwd: this.run.cwd, model });
    this.created = u.id;
  }

  /** Reverts the file changes of the latest message that made any (not the user's own edits). */
  undo(): { reverted: string[]; skipped: string[] } | undefined {
    const log = this.toolbox.changes;
    while (this.marks.length) {
      const mark = this.marks.pop()!;
      if (log.entries.length > mark) return log.undo(this.toolbox.ctx.files, mark);
    }
    return undefined;
  }

  /**
   * Drops the last user prompt and everything after it; returns its text (for /retry). After an interrupted turn the
   * next prompt shares a message with the tool results it ended on: those stay, the prompt's text goes.
   */
  popLastPrompt(): string | undefined {
    for (let i = this.messages.length - 1; i >= 0; i--) {
      const m = this.messages[i]!;
      if (m.role !== "user") continue;
      if (typeof m.content === "string") {
        this.messages.splice(i);
        return m.content;
      }
      const text = m.content.filter((b) => b.type === "text").filter((b) => !b.text.startsWith(PROMPT_CONTEXT));
      if (!text.length) continue;
      const results = m.content.filter((b) => b.type === "tool_result");
      this.messages.splice(results.length ? i + 1 : i);
      if (results.length) this.messages[i] = { ...m, content: results };
      return text.map((b) => b.text).join("\n");
    }
    return undefined;
  }

  /**
   * Ends the conversation (its SessionEnd hooks, told `reason`), closes the MCP servers and the store; a stale
   * catalog refreshing in the background gets a moment to land.
   */
  async close(reason: SessionEndReason = "other") {
    if (this.started) this.endSession(reason);
    await Promise.all(this.ending);
    await this.mcp.close();
    this.toolbox.ctx.sandbox?.dispose();
    // After the answer, not before the first request: it reads every session's size.
    if (this.store && this.created)
      try {
        applyRetention(this.store, retention(this.run.get), this.created);
      } catch (err) {
        this.spec.warn(`old sessions were not cleaned up: ${err instanceof Error ? err.message : String(err)}`);
      }
    this.store?.close();
    if (this.pending) await Promise.race([this.pending, Bun.sleep(1500)]);
  }
}

/** The store for a run: a home that cannot hold one costs the saving (with a warning), unless a resume needs it. */
function openRunStore(spec: WorkspaceSpec): Store | undefined {
  try {
    return openStore({ home: spec.run.paths.home, warn: spec.warn });
  } catch (err) {
    if (spec.resume?.id || spec.resume?.latest || !(err instanceof ActionableError)) throw err;
    spec.warn(`${spec.save ? "this session will not be saved" : "usage will not be recorded"}: ${err.message}`);
    return undefined;
  }
}

const mcpWarning = (message: string): AgentEvent => ({ type: "warning", code: "mcp", message });

function failed(model: string, code: "secret_refused" | "hook_blocked" | "hook_stopped", message: string): AgentEvent {
  return { type: "result", ok: false, text: "", model, usd: 0, usage: { input: 0, output: 0 }, turns: 0, ms: 0, error: { code, message } };
}

/** One `file.changed` per file the message changed (the ChangeLog's entries from `mark` on), before its `result`. */
function* changedSince(t: Toolbox, mark: number): Generator<AgentEvent> {
  for (const d of t.changes.diffs(t.ctx.root, mark))
    yield { type: "file.changed", path: d.path, diff: d.diff, added: d.added, removed: d.removed };
}

/** A model name → the model to start with, plus the profile when the name was a routing profile. */
function pick(name: string, models: CatalogModel[], gw: Gateway): { model: CatalogModel; profile?: string } {
  const r = resolveModel(name, models, [...gw.providers.keys()]);
  if ("model" in r) return { model: r.model };
  const m = bestFree(models) ?? models[0];
  if (!m) throw new ActionableError(`cannot use "${name}": the gateway's catalog lists no model`, "run `runcode doctor`", "unknown_model");
  return { model: m, profile: profileOf(name) };
}
