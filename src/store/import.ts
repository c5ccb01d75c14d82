// One-time import of the original RunCode's history (docs: ../shared/reference/original.md): sessions/<id>.jsonl
// (+ <id>.meta.json) and runcode-stats.json. It runs inside one transaction that also sets the `imported_original`
// marker, so a crash mid-import leaves nothing behind and two processes starting at once import exactly once.
// The original files are only read, never moved or deleted.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { paths } from "../core/home";
import type { Message } from "../llm/types";
import type { Store } from "./store";

type Counts = { sessions: number; messages: number; requests: number; skipped: number };

export function importOriginal(store: Store, home: string, warn: (line: string) => void) {
  const p = paths(home);
  const counts = store.write((): Counts | undefined => {
    if (store.meta("imported_original") !== undefined) return undefined; // another process got here first
    const c: Counts = { sessions: 0, messages: 0, requests: 0, skipped: 0 };
    importSessions(store, p.sessions, c);
    importStats(store, p.stats, c);
    store.setMeta("imported_original", JSON.stringify({ at: Date.now(), ...c }));
    return c;
  });
  if (!counts || counts.sessions + counts.requests + counts.skipped === 0) return;
  const skipped = counts.skipped ? `; skipped ${counts.skipped} corrupt line${counts.skipped === 1 ? "" : "s"}` : "";
  warn(
    `imported ${counts.sessions} session(s) (${counts.messages} messages) and ${counts.requests} request(s) from the original RunCode${skipped}`,
  );
}

function importSessions(store: Store, dir: string, c: Counts) {
  if (!existsSync(dir)) return;
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".jsonl"))
    .sort();
  for (const f of files) {
    const id = f.slice(0, -".jsonl".length);
    const file = join(dir, f);
    const messages: Message[] = [];
    for (const line of readFileSync(file, "utf8").split("\n")) {
      if (!line.trim()) continue;
      const m = parseMessage(line);
      if (m) messages.push(m);
      else c.skipped++;
    }
    const meta = readMeta(join(dir, `${id}.meta.json`));
    if (meta === "corrupt") c.skipped++;
    const m = meta === "corrupt" ? {} : meta;
    const mtime = statSync(file).mtimeMs;
    const created = time(m.createdAt) ?? mtime;
    const updated = time(m.updatedAt) ?? mtime;
    const cwd = typeof m.workDir === "string" ? m.workDir : "";
    const model = typeof m.model === "string" ? m.model : "";
    if (store.db.query("SELECT 1 FROM sessions WHERE id = ?").get(id)) continue;
    store.createSession({ id, cwd, model, at: created, source: "import" });
    store.append(id, messages, { at: updated });
    c.sessions++;
    c.messages += messages.length;
  }
}

function parseMessage(line: string): Message | undefined {
  try {
    const v = JSON.parse(line) as { role?: unknown; content?: unknown };
    if (v.role !== "user" && v.role !== "assistant") return undefined;
    if (typeof v.content !== "string" && !Array.isArray(v.content)) return undefined;
    return { role: v.role, content: v.content as Message["content"] };
  } catch {
    return undefined;
  }
}

type OriginalMeta = { model?: unknown; workDir?: unknown; createdAt?: unknown; updatedAt?: unknown };

function readMeta(file: string): OriginalMeta | "corrupt" {
  if (!existsSync(file)) return {};
  try {
    const v: unknown = JSON.parse(readFileSync(file, "utf8"));
    return v && typeof v === "object" ? (v as OriginalMeta) : "corrupt";
  } catch {
    return "corrupt";
  }
}

/** The original wrote times as ms numbers or ISO strings depending on the version. */
function time(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string") {
    const t = Date.parse(v);
    return Number.isNaN(t) ? undefined : t;
  }
  return undefined;
}

type History = {
  timestamp?: unknown;
  model?: unknown;
  inputTokens?: unknown;
  outputTokens?: unknown;
  costUsd?: unknown;
  latencyMs?: unknown;
  fallback?: unknown;
};
type OriginalStats = {
  totalRequests?: unknown;
  totalCostUsd?: unknown;
  totalInputTokens?: unknown;
  totalOutputTokens?: unknown;
  totalFallbacks?: unknown;
  history?: unknown;
};

const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : 0);

function importStats(store: Store, file: string, c: Counts) {
  if (!existsSync(file)) return;
  let s: OriginalStats;
  try {
    s = JSON.parse(readFileSync(file, "utf8")) as OriginalStats;
    if (!s || typeof s !== "object") throw new Error("not an object");
  } catch {
    c.skipped++;
    return;
  }
  const history = Array.isArray(s.history) ? (s.history as History[]) : [];
  const sum = { requests: 0, usd: 0, input: 0, output: 0, fallbacks: 0, first: Infinity };
  for (const [i, h] of history.entries()) {
    const at = time(h?.timestamp);
    if (!h || typeof h.model !== "string" || at === undefined) {
      c.skipped++;
      continue;
    }
    const r = { input: num(h.inputTokens), output: num(h.outputTokens), usd: num(h.costUsd), fallback: h.fallback === true };
    store.recordRequest({
      id: `req_import_${i}`,
      at,
      source: "import",
      model: h.model,
      ...r,
      latencyMs: typeof h.latencyMs === "number" ? h.latencyMs : null,
      status: "ok",
    });
    Object.assign(sum, {
      requests: sum.requests + 1,
      usd: sum.usd + r.usd,
      input: sum.input + r.input,
      output: sum.output + r.output,
      fallbacks: sum.fallbacks + (r.fallback ? 1 : 0),
      first: Math.min(sum.first, at),
    });
    c.requests++;
  }
  // The original kept only the last 1000 requests in `history` but totals over all time; the difference becomes one
  // row (count > 1, no latency) so all-time totals stay right.
  const older = num(s.totalRequests) - sum.requests;
  if (older <= 0) return;
  store.recordRequest({
    id: "req_import_older",
    at: Number.isFinite(sum.first) ? sum.first - 1 : statSync(file).mtimeMs,
    source: "import",
    model: "(original, before history)",
    input: Math.max(0, num(s.totalInputTokens) - sum.input),
    output: Math.max(0, num(s.totalOutputTokens) - sum.output),
    usd: Math.max(0, num(s.totalCostUsd) - sum.usd),
    latencyMs: null,
    fallback: num(s.totalFallbacks) - sum.fallbacks > 0,
    status: "ok",
    count: older,
  });
  c.requests += older;
}
