// The one contract between the core and every renderer (text, JSONL, REPL). Each variant is documented in
// docs/jsonl.md and validated by docs/jsonl.schema.json; renderers switch on `type` exhaustively.

/** Tokens of one model call, cache counts when the provider reports them (llm/ speaks it too; core imports nothing). */
export type Usage = { input: number; output: number; cacheRead?: number; cacheWrite?: number };

export type ResultError = { code: string; message: string };

/** The hook events runcode runs (Claude Code's names and meanings; docs/hooks.md). */
export type HookEventName = "PreToolUse" | "PostToolUse" | "UserPromptSubmit" | "Stop" | "SessionStart" | "SessionEnd" | "PreCompact";

export type AgentEvent =
  /** First event of a run. `context` lists the instruction files loaded into the system prompt. */
  | { type: "session.started"; session: string; model: string; version: string; cwd: string; schema: 1; context?: string[] }
  /** A model call begins (one per agent turn). */
  | { type: "turn.started"; turn: number; model: string }
  /** Answer text as it streams. */
  | { type: "text.delta"; text: string }
  /** Model reasoning as it streams (never part of the answer). */
  | { type: "reasoning.delta"; text: string }
  /** Token use and cost of one model call. `usd` is what was paid for it (0 on free models). */
  | { type: "usage"; model: string; input: number; output: number; usd: number }
  /** The gateway answered with another model than the one asked for (free-pool substitution). */
  | { type: "model.substituted"; requested: string; model: string }
  /** A model call ended. */
  | { type: "turn.completed"; turn: number; stop: string; usage: Usage }
  /** A tool call begins. */
  | { type: "tool.started"; call: string; tool: string; input: Record<string, unknown> }
  /** Live output of a running tool (Bash lines as they are produced). */
  | { type: "tool.output"; call: string; stream: "stdout" | "stderr"; text: string }
  /** A tool call ended. `output` is what the model receives (after truncation). */
  | { type: "tool.completed"; call: string; tool: string; ok: boolean; output: string; error?: string; ms: number }
  /** A tool call was refused by the permission rules; the reason is returned to the model. */
  | { type: "tool.denied"; call: string; tool: string; reason: string }
  /**
   * A file was changed by a tool: one per file, before the `result` (ask/edit: what the run changed; the REPL: what
   * the turn changed). `added`/`removed` count the diff's lines.
   */
  | { type: "file.changed"; path: string; diff: string; added: number; removed: number }
  /** The router chose a model. */
  | {
      type: "route.decided";
      profile: string;
      tier: string;
      model: string;
      confidence: number;
      score: number;
      signals: string[];
      fallbacks: string[];
      estUsd: number;
      savings: number;
    }
  /** A model failed and the next one in the chain is tried. */
  | { type: "model.fallback"; from: string; to: string; reason: string }
  /** A payment was accepted by the gateway. `amount` is in atomic units of the asset. */
  | { type: "payment.settled"; network: string; asset: string; amount: string; usd: number; payTo: string; tx?: string }
  /**
   * A payment did not settle. `signed`: a signature was made (the gateway holds it; it counts toward the budgets
   * like a settled one). `usd` is the amount signed, 0 when nothing was; `amount` is the quote in atomic units.
   */
  | { type: "payment.failed"; network: string; asset: string; amount: string; usd: number; signed: boolean; payTo: string; reason: string }
  /** Older history was compacted before a model call. */
  | { type: "compact.boundary"; before: number; after: number; trigger: "auto" | "manual" }
  /**
   * A hook command ended (docs/hooks.md). `exit` is null when it was killed at its timeout (`timedOut`); `blocked`:
   * it stopped what it ran before (exit 2 or a JSON decision). `message`: what the user is shown (stderr of a failed
   * or blocking hook, a JSON `reason`/`systemMessage`); `output`: its plain stdout when nothing else used it.
   */
  | {
      type: "hook.finished";
      event: HookEventName;
      command: string;
      exit: number | null;
      ms: number;
      blocked: boolean;
      timedOut?: boolean;
      message?: string;
      output?: string;
    }
  /** A warning the user should see (not fatal). */
  | { type: "warning"; code: string; message: string }
  /** Last event of every run, exactly once, also on failure. */
  | {
      type: "result";
      ok: boolean;
      text: string;
      model: string;
      usd: number;
      usage: { input: number; output: number };
      turns: number;
      ms: number;
      error?: ResultError;
    };

export type EventType = AgentEvent["type"];
export type EventOf<T extends EventType> = Extract<AgentEvent, { type: T }>;
