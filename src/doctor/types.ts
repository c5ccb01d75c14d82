// The contract between doctor's checks and its renderers. Checks read files and endpoints directly (not through
// the wallet, MCP or daemon modules) so doctor still works when one of those is what is broken.
import { fetchFailure } from "../core/net";
import type { Paths } from "../core/home";

/** ok = works; warn = works with limits or is optional and absent (does not fail doctor); fail = broken (exit 1). */
export type Status = "ok" | "warn" | "fail";

export type CheckResult = {
  id: string;
  label: string;
  status: Status;
  /** One line: what was found. Never contains a secret. */
  detail: string;
  /** One line with the exact thing to do; present on every warn and fail. */
  fix?: string;
  ms: number;
};

export type Outcome = Omit<CheckResult, "id" | "label" | "ms">;

export type DoctorContext = {
  env: Record<string, string | undefined>;
  paths: Paths;
  cwd: string;
  /** The user's home (for ~/.claude), which may differ from the data dir. */
  userHome: string;
  execPath: string;
  compiled: boolean;
  fetch: (input: string, init?: RequestInit) => Promise<Response>;
  /** Per network request; the whole doctor run stays within about this plus a little. */
  timeoutMs: number;
};

export type Check = { id: string; label: string; run: (ctx: DoctorContext) => Promise<Outcome> | Outcome };

export const ok = (detail: string): Outcome => ({ status: "ok", detail });
export const warn = (detail: string, fix: string): Outcome => ({ status: "warn", detail, fix });
export const fail = (detail: string, fix: string): Outcome => ({ status: "fail", detail, fix });

/** A GET or POST with doctor's timeout; returns the response and its latency, or the reason it failed. */
export async function probe(
  ctx: DoctorContext,
  url: string,
  init: RequestInit = {},
): Promise<{ res?: Response; ms: number; error?: string }> {
  const started = performance.now();
  try {
    const res = await ctx.fetch(url, { ...init, signal: AbortSignal.timeout(ctx.timeoutMs) });
    return { res, ms: Math.round(performance.now() - started) };
  } catch (err) {
    const name = err instanceof Error ? err.name : "";
    const error = name === "TimeoutError" || name === "AbortError" ? `no answer within ${ctx.timeoutMs} ms` : fetchFailure(err);
    return { ms: Math.round(performance.now() - started), error };
  }
}
