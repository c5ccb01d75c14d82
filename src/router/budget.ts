// Output budgets: the `max_tokens` each request is sent with. The gateway prices a request up front from its input
// and its `max_tokens` (docs/payments.md), so asking for a model's 32,000-token maximum to say "pong" pays for 32,000
// tokens that never come. One rule for ask, edit, the REPL, sub-agents and the proxy:
//
//   auto    the request's own size: SIMPLE tier → the floor; MEDIUM → `output-budget-tokens`; COMPLEX, REASONING, or a
//           request likely to write whole files (write tools offered and a prompt that asks for writing) → twice
//           that; never above the upper bound (the client's own max_tokens in the proxy, --max-tokens in the agent,
//           and the model's max_output).
//   fixed   `output-budget-tokens` for every request (still under the upper bound).
//   client  the upper bound itself: the policy is off.
//
// An answer that stops at its budget is never the end of it: the caller continues it with nextBudget (doubling, up to
// the upper bound), so the policy changes what is paid for, never what the user gets (docs/router.md "Output budgets").
import type { SettingDef } from "../core/config";
import type { Tier } from "./types";

export const BUDGET_MODES = ["auto", "fixed", "client"] as const;
export type BudgetMode = (typeof BUDGET_MODES)[number];
export type BudgetSettings = { mode: BudgetMode; tokens: number; floor: number };

export const BUDGET_SETTINGS: Record<string, SettingDef> = {
  "output-budget": {
    kind: { enum: BUDGET_MODES },
    default: "auto",
    doc: "how max_tokens is chosen per request: auto (from the request), fixed (output-budget-tokens), client (the client's or --max-tokens)",
  },
  "output-budget-tokens": { kind: "int", default: 4096, doc: "output budget of a MEDIUM request (auto), or of every request (fixed)" },
  "output-budget-floor": { kind: "int", default: 1024, doc: "smallest output budget auto chooses" },
};

export const DEFAULT_BUDGET: BudgetSettings = { mode: "auto", tokens: 4096, floor: 1024 };

export type BudgetRequest = {
  /** The router's tier for this request, when it was classified. */
  tier?: Tier;
  /** The request is likely to write whole files (writesLikely: write tools offered, a prompt that asks for it). */
  writes?: boolean;
  /** The most this request may ask for: the client's max_tokens, --max-tokens, the model's max_output (lowest wins). */
  upper: number;
};

/** The max_tokens to send first. */
export function outputBudget(s: BudgetSettings, r: BudgetRequest): number {
  const upper = Math.max(1, Math.floor(r.upper));
  if (s.mode === "client") return upper;
  const floor = Math.max(1, s.floor);
  let want = s.tokens;
  if (s.mode === "auto") {
    const tier = r.tier ?? "MEDIUM";
    want = tier === "SIMPLE" ? floor : tier === "MEDIUM" ? s.tokens : 2 * s.tokens;
    if (r.writes) want = Math.max(want, 2 * s.tokens);
  }
  return Math.min(upper, Math.max(floor, want));
}

/** The budget for the continuation of an answer that stopped at `current`: twice as much, up to `upper`. */
export const nextBudget = (current: number, upper: number) => Math.min(Math.max(1, Math.floor(upper)), Math.max(1, current) * 2);

/** Words of a request that asks for files to be written: with write tools offered, its calls are likely long. */
const WRITING =
  /\b(write|create|implement|generate|scaffold|rewrite|refactor|add (a|an|the)? ?(new )?(file|module|class|component|test)s?|new file)\b/i;

/** Tools that write whole files are offered and the prompt asks for writing. */
export const writesLikely = (toolNames: readonly string[], prompt: string) =>
  toolNames.some((n) => WRITE_TOOLS.test(n)) && WRITING.test(prompt);

/** Tool names that write whole files (ours and the usual clients'): their calls are long. */
export const WRITE_TOOLS =
  /^(Write|Edit|MultiEdit|NotebookEdit|write_file|edit_file|create_file|str_replace_based_edit_tool|apply_patch)$/i;

/** The three settings, read through a config getter (`run.get`, the proxy's `get`). */
export function budgetSettings(get: (key: string) => unknown): BudgetSettings {
  const mode = get("output-budget");
  const tokens = get("output-budget-tokens");
  const floor = get("output-budget-floor");
  return {
    mode: BUDGET_MODES.includes(mode as BudgetMode) ? (mode as BudgetMode) : DEFAULT_BUDGET.mode,
    tokens: typeof tokens === "number" && tokens > 0 ? tokens : DEFAULT_BUDGET.tokens,
    floor: typeof floor === "number" && floor > 0 ? floor : DEFAULT_BUDGET.floor,
  };
}
