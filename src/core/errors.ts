// Errors by who must act (style.md): the user gets an ActionableError whose message is one line ending with the
// exact fix; anything else is a bug and is shown as one line plus the log path.

export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  payment: 3,
  interrupted: 130,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Stable machine-readable codes, used in JSONL `result.error.code`. */
export type ErrorCode =
  | "usage"
  | "config"
  | "unknown_model"
  | "input_too_large"
  | "gateway_unreachable"
  | "gateway_error"
  | "bad_request"
  | "rate_limited"
  | "stream_error"
  | "empty_answer"
  | "timeout"
  | "payment_required"
  | "payment_refused"
  | "payment_failed"
  | "insufficient_funds"
  | "wallet"
  | "interrupted"
  | "tool"
  | "max_turns"
  | "doom_loop"
  | "store"
  | "secret_refused"
  | "schema_mismatch"
  | "hook_blocked"
  | "hook_stopped"
  | "internal";

export class ActionableError extends Error {
  constructor(
    /** What happened, without the fix. */
    readonly summary: string,
    readonly fix: string = "",
    readonly code: ErrorCode = "usage",
    readonly exit: ExitCode = exitFor(code),
  ) {
    // The message is the whole line the user sees: what happened, then the exact fix.
    super(fix ? `${summary}: ${fix}` : summary);
    this.name = "ActionableError";
  }
}

export const usageError = (message: string, fix = "") => new ActionableError(message, fix, "usage", EXIT.usage);

/** An error as a JSONL `result.error` and an exit code. Unknown errors are "internal". */
export function describe(err: unknown): { code: ErrorCode; message: string; exit: ExitCode } {
  if (err instanceof ActionableError) return { code: err.code, message: err.message, exit: err.exit };
  if (isAbort(err)) return { code: "interrupted", message: "interrupted", exit: EXIT.interrupted };
  const message = err instanceof Error ? err.message : String(err);
  return { code: "internal", message: message.split("\n")[0] ?? "unknown error", exit: EXIT.failure };
}

export function isAbort(err: unknown): boolean {
  return err instanceof Error && (err.name === "AbortError" || (err as { code?: string }).code === "ABORT_ERR");
}

/** Edit distance counting a swap of two neighbours as one edit ("modle" → "model"), for "did you mean". */
export function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  return d[a.length]![b.length]!;
}

/** Up to `max` candidates close to `word`, best first. */
export function closest(word: string, candidates: Iterable<string>, max = 3): string[] {
  const w = word.toLowerCase();
  return (
    [...candidates]
      .map((c) => {
        const lc = c.toLowerCase();
        const d = lc.includes(w) || w.includes(lc) ? Math.min(1, distance(w, lc)) : distance(w, lc);
        return { c, d };
      })
      .filter(({ c, d }) => d <= Math.max(2, Math.floor(c.length / 3)))
      // Equal distance: prefer the candidate of the same length (a typo more likely than a missing letter).
      .sort((x, y) => x.d - y.d || Math.abs(x.c.length - w.length) - Math.abs(y.c.length - w.length) || x.c.localeCompare(y.c))
      .slice(0, max)
      .map(({ c }) => c)
  );
}

/** The exit code for a JSONL `result.error.code`. */
export function exitFor(code: ErrorCode | string): ExitCode {
  if (code === "interrupted") return EXIT.interrupted;
  if (["payment_required", "payment_refused", "payment_failed", "insufficient_funds"].includes(code)) return EXIT.payment;
  if (["usage", "unknown_model", "input_too_large", "config"].includes(code)) return EXIT.usage;
  return EXIT.failure;
}
