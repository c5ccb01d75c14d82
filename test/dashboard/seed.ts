// A known week of requests for the dashboard tests: several models and front ends, errors, fallbacks, a request
// without a latency, and timestamps off the hour (so the rollup's partial hours are exercised). Deterministic: the
// same `now` gives the same rows.
import { openStore } from "../../src/store/open";
import type { RequestRecord } from "../../src/store/store";

export const MODELS = ["anthropic/claude-sonnet-4.6", "openai/gpt-5-mini", "google/gemini-2.5-flash", "nvidia/gpt-oss-120b"] as const;
const CLIENTS = ["ask", "edit", "repl", undefined] as const;

/** 7 days × 6 requests a day, oldest first, ending an hour before `now`. */
export function seedRows(now: number): RequestRecord[] {
  const rows: RequestRecord[] = [];
  for (let day = 6; day >= 0; day--)
    for (let i = 0; i < 6; i++) {
      const n = (6 - day) * 6 + i;
      const model = MODELS[n % MODELS.length]!;
      const client = CLIENTS[n % CLIENTS.length];
      rows.push({
        at: now - day * 86_400_000 - (i + 1) * 3_700_000 - 17_000,
        source: client ? "agent" : "proxy",
        client,
        model,
        input: 1000 + n * 37,
        output: 200 + n * 11,
        cacheRead: n % 3 === 0 ? 500 : 0,
        usd: model.startsWith("nvidia") ? 0 : 0.0015 + n * 0.0007,
        latencyMs: n === 5 ? null : 300 + ((n * 97) % 1700),
        fallback: n % 9 === 4,
        status: n % 11 === 3 ? "error" : "ok",
        error: n % 11 === 3 ? "gateway_error" : undefined,
      });
    }
  return rows;
}

/** Writes the rows into `home`'s runcode.db (creating it), and returns them. */
export function seedHome(home: string, now: number): RequestRecord[] {
  const store = openStore({ home, warn: () => {} });
  const rows = seedRows(now);
  for (const r of rows) store.recordRequest(r);
  store.close();
  return rows;
}

/** The seeded rows' spend, requests and so on, summed the plain way. */
export function expected(rows: RequestRecord[], f: { since?: number; model?: string } = {}) {
  const picked = rows.filter((r) => (f.since === undefined || r.at! >= f.since) && (f.model === undefined || r.model === f.model));
  const micro = picked.reduce((s, r) => s + Math.round(r.usd * 1_000_000), 0);
  return {
    requests: picked.length,
    usd: micro / 1_000_000,
    input: picked.reduce((s, r) => s + r.input, 0),
    output: picked.reduce((s, r) => s + r.output, 0),
    errors: picked.filter((r) => r.status !== "ok").length,
  };
}
