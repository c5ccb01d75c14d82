// Budget periods are calendar periods in UTC: a day starts at 00:00, a week on Monday 00:00, a month on the 1st.
// "This week" then means the same thing to the admin, the developer and the server, whatever their time zones.
import type { Period } from "./store";

export const PERIODS: readonly Period[] = ["day", "week", "month"];

/** The start (inclusive) and end (exclusive) of the period containing `now`, in ms. */
export function periodWindow(period: Period, now: number): { start: number; end: number } {
  const d = new Date(now);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  const day = d.getUTCDate();
  if (period === "day") {
    const start = Date.UTC(y, m, day);
    return { start, end: Date.UTC(y, m, day + 1) };
  }
  if (period === "week") {
    const sinceMonday = (d.getUTCDay() + 6) % 7;
    return { start: Date.UTC(y, m, day - sinceMonday), end: Date.UTC(y, m, day - sinceMonday + 7) };
  }
  return { start: Date.UTC(y, m, 1), end: Date.UTC(y, m + 1, 1) };
}

/** "this week", "today", "this month": how a refusal names the period. */
export const periodName = (p: Period) => (p === "day" ? "today" : `this ${p}`);
