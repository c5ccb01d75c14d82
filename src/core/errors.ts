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

/** Levenshtein distance, for "did you mean" suggestions. */
export function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

/** Up to `max` candidates close to `word`, best first. */
export function closest(word: string, candidates: Iterable<string>, max = 3): string[] {
  const w = word.toLowerCase();
  return [...candidates]
    .map((c) => {
      const lc = c.toLowerCase();
      const d = lc.includes(w) || w.includes(lc) ? Math.min(1, distance(w, lc)) : distance(w, lc);
      return { c, d };
    })
    .filter(({ c, d }) => d <= Math.max(2, Math.floor(c.length / 3)))
    .sort((x, y) => x.d - y.d || x.c.localeCompare(y.c))
    .slice(0, max)
    .map(({ c }) => c);
}

/** The exit code for a JSONL `result.error.code`. */
export function exitFor(code: ErrorCode | string): ExitCode {
  if (code === "interrupted") return EXIT.interrupted;
  if (["payment_required", "payment_refused", "payment_failed", "insufficient_funds"].includes(code)) return EXIT.payment;
  if (["usage", "unknown_model", "input_too_large", "config"].includes(code)) return EXIT.usage;
  return EXIT.failure;
}
