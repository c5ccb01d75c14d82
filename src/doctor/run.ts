// Runs every check in parallel, each under a deadline, so doctor answers in about ctx.timeoutMs even when the
// network hangs; a check that throws or overruns is reported as a failure of that check, never of doctor.
import { LOCAL_CHECKS } from "./local";
import { NETWORK_CHECKS } from "./network";
import type { Check, CheckResult, DoctorContext, Outcome } from "./types";

export const CHECKS: Check[] = [...LOCAL_CHECKS, ...NETWORK_CHECKS];

async function one(check: Check, ctx: DoctorContext): Promise<CheckResult> {
  const started = performance.now();
  const deadline = ctx.timeoutMs + 500;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const overrun = new Promise<Outcome>((resolve) => {
    timer = setTimeout(
      () =>
        resolve({
          status: "fail",
          detail: `no result within ${deadline} ms`,
          fix: "run `runcode doctor` again; if it persists, report it",
        }),
      deadline,
    );
  });
  const outcome = await Promise.race([
    Promise.resolve()
      .then(() => check.run(ctx))
      .catch((err: unknown): Outcome => {
        const e = err as { message?: string; summary?: string; fix?: string };
        return {
          status: "fail",
          // An ActionableError's message ends with its fix; the fix has its own line.
          detail: String(e?.summary ?? e?.message ?? err).split("\n")[0]!,
          fix: e?.fix || "see the message; run `runcode doctor` again after fixing it",
        };
      }),
    overrun,
  ]);
  clearTimeout(timer);
  return { id: check.id, label: check.label, ...outcome, ms: Math.round(performance.now() - started) };
}

export const runChecks = (ctx: DoctorContext, checks: Check[] = CHECKS) => Promise.all(checks.map((c) => one(c, ctx)));
