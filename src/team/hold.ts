// A developer's budget as the payer's second budget (gateway/client.ts `Hold`): before the team wallet signs, the
// quote is reserved against what the developer has left this period, in one transaction of the team store; the
// reservation then follows the payment (settled, or released when it failed or was voided). `settled` is what the
// audit record of the request says was paid.
import { ActionableError, EXIT } from "../core/errors";
import { log } from "../core/log";
import type { Hold } from "../gateway/client";
import { formatUsd } from "../money/usd";
import { periodName, periodWindow } from "./period";
import type { Developer, TeamStore } from "./store";

export type RequestHold = Hold & {
  /** Atomic USDC this request settled. */
  settled: () => bigint;
  /** Waits for the store writes the payer started (settle and release are not awaited by it). */
  flush: () => Promise<void>;
};

/** `server`: this server's id (its ledger holds the payment rows the reservations name). */
export function developerHold(store: TeamStore, dev: Developer, request: string, server: string, now: () => number): RequestHold {
  const amounts = new Map<number, bigint>();
  const writes: Promise<void>[] = [];
  let settled = 0n;
  const write = (what: string, p: Promise<void>) =>
    writes.push(
      p.catch((err) => log(`team: ${what} of request ${request} not recorded: ${err instanceof Error ? err.message : String(err)}`)),
    );
  return {
    async reserve(amount, payment, o) {
      const at = now();
      const since = periodWindow(dev.period, at).start;
      const r = await store.reserve({
        developer: dev.id,
        request,
        server,
        payment,
        amount,
        nonce: o.nonce,
        expires: o.expires,
        since,
        now: at,
      });
      if (r.ok) {
        amounts.set(payment, amount);
        return undefined;
      }
      return budgetRefusal(dev, r.budget - r.spent, r.budget, amount);
    },
    settle(payment) {
      settled += amounts.get(payment) ?? 0n;
      write("settlement", store.settle(request, payment, now()));
    },
    release(payment) {
      write("release", store.release(request, payment, now()));
    },
    settled: () => settled,
    flush: async () => {
      await Promise.all(writes);
    },
  };
}

/** A developer's own budget said no (the server words the team wallet's limits differently). */
export class TeamBudgetRefusal extends ActionableError {}

/** "dev@example.com has $0.12 of $50.00 left this week; ask your team admin" */
export function budgetRefusal(dev: Developer, left: bigint, budget: bigint, amount: bigint): ActionableError {
  return new TeamBudgetRefusal(
    `${dev.email} has ${formatUsd(left < 0n ? 0n : left)} of ${formatUsd(budget)} left ${periodName(dev.period)}, and this request needs ${formatUsd(amount)}`,
    `ask your team admin to raise it (\`runcode team budget ${dev.email} <usd>\`), or use a free model with -m free`,
    "payment_refused",
    EXIT.payment,
  );
}
