// What a bench run measured, from its recorded cells: per model the pass rate with a 95% confidence interval (Wilson,
// over tasks × runs), USD (total, per cell, per solved task), median latency, tokens and turns; per task which models
// solved it; and the recommendation. Rendered as a text table (sorted by USD per solved task), JSON, and a
// self-contained HTML page (inline SVG; no script, nothing fetched).
import type { Cell } from "./store";

export type ModelSummary = {
  model: string;
  /** Cells that ran (skipped ones are not counted). */
  cells: number;
  passes: number;
  passRate: number;
  ci: [number, number];
  usd: number;
  usdPerCell: number;
  /** null when nothing was solved. */
  usdPerSolved: number | null;
  medianMs: number;
  input: number;
  output: number;
  meanTurns: number;
  errors: number;
  timeouts: number;
};

export type Report = {
  run: string;
  models: ModelSummary[];
  tasks: { task: string; solvedBy: string[]; cells: Record<string, { passes: number; runs: number }> }[];
  recommendation: string | null;
  usd: number;
};

/** Wilson score interval at 95%. */
export function wilson(passes: number, n: number): [number, number] {
  if (!n) return [0, 0];
  const z = 1.96;
  const p = passes / n;
  const d = 1 + (z * z) / n;
  const center = (p + (z * z) / (2 * n)) / d;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d;
  return [Math.max(0, center - half), Math.min(1, center + half)];
}

const median = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]! : 0);

export function summarize(run: string, cells: Cell[], models: string[], tasks: string[]): Report {
  const ran = cells.filter((c) => c.status !== "skipped");
  const summaries = models.map((model): ModelSummary => {
    const mine = ran.filter((c) => c.model === model);
    const passes = mine.filter((c) => c.status === "pass").length;
    const usd = mine.reduce((n, c) => n + c.usd, 0);
    return {
      model,
      cells: mine.length,
      passes,
      passRate: mine.length ? passes / mine.length : 0,
      ci: wilson(passes, mine.length),
      usd,
      usdPerCell: mine.length ? usd / mine.length : 0,
      usdPerSolved: passes ? usd / passes : null,
      medianMs: median(mine.map((c) => c.ms)),
      input: mine.reduce((n, c) => n + c.input, 0),
      output: mine.reduce((n, c) => n + c.output, 0),
      meanTurns: mine.length ? mine.reduce((n, c) => n + c.turns, 0) / mine.length : 0,
      errors: mine.filter((c) => c.status === "error").length,
      timeouts: mine.filter((c) => c.status === "timeout").length,
    };
  });
  // Cheapest per solved task first; models that solved nothing last, by pass rate then name.
  summaries.sort(
    (a, b) => (a.usdPerSolved ?? Infinity) - (b.usdPerSolved ?? Infinity) || b.passRate - a.passRate || a.model.localeCompare(b.model),
  );
  const perTask = tasks.map((task) => {
    const byModel: Record<string, { passes: number; runs: number }> = {};
    for (const c of ran.filter((x) => x.task === task)) {
      const e = (byModel[c.model] ??= { passes: 0, runs: 0 });
      e.runs++;
      if (c.status === "pass") e.passes++;
    }
    return { task, solvedBy: models.filter((m) => (byModel[m]?.passes ?? 0) > 0), cells: byModel };
  });
  return { run, models: summaries, tasks: perTask, recommendation: recommend(summaries), usd: summaries.reduce((n, m) => n + m.usd, 0) };
}

/** The model that solves the most, and the cheapest per solved task within 10 points of it, when that is another. */
function recommend(ms: ModelSummary[]): string | null {
  const solved = ms.filter((m) => m.passes > 0);
  if (!solved.length) return null;
  const best = solved.reduce((a, b) =>
    b.passRate > a.passRate || (b.passRate === a.passRate && (b.usdPerSolved ?? 0) < (a.usdPerSolved ?? 0)) ? b : a,
  );
  const cheap = solved
    .filter((m) => m.passRate >= best.passRate - 0.1)
    .reduce((a, b) => ((b.usdPerSolved ?? Infinity) < (a.usdPerSolved ?? Infinity) ? b : a));
  const say = (m: ModelSummary) => `${m.model} solves ${pct(m.passRate)} at ${money(m.usdPerSolved ?? 0)}/task`;
  return cheap.model === best.model ? `for these tasks, ${say(best)}` : `for these tasks, ${say(cheap)}; ${say(best)}`;
}

export const pct = (x: number) => `${Math.round(x * 100)}%`;
export const money = (usd: number) => (usd === 0 ? "$0" : usd < 0.01 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`);
const secs = (ms: number) => (ms >= 10_000 ? `${(ms / 1000).toFixed(0)}s` : `${(ms / 1000).toFixed(1)}s`);

export function table(r: Report): string {
  const w = Math.max(5, ...r.models.map((m) => m.model.length));
  const head = `${"MODEL".padEnd(w)}  ${"PASS".padStart(5)}  ${"95% CI".padStart(9)}  ${"USD/SOLVED".padStart(10)}  ${"USD".padStart(9)}  ${"MEDIAN".padStart(6)}  ${"TOKENS IN/OUT".padStart(15)}  TURNS\n`;
  const rows = r.models.map(
    (m) =>
      `${m.model.padEnd(w)}  ${pct(m.passRate).padStart(5)}  ${`${pct(m.ci[0])}-${pct(m.ci[1])}`.padStart(9)}  ${(m.usdPerSolved === null ? "-" : money(m.usdPerSolved)).padStart(10)}  ${money(m.usd).padStart(9)}  ${secs(m.medianMs).padStart(6)}  ${`${m.input}/${m.output}`.padStart(15)}  ${m.meanTurns.toFixed(1)}${m.errors + m.timeouts ? `  (${[m.errors && `${m.errors} errors`, m.timeouts && `${m.timeouts} timeouts`].filter(Boolean).join(", ")})` : ""}\n`,
  );
  return head + rows.join("");
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** One HTML file: the summary table, a pass rate vs cost scatter and the per-task grid. */
export function html(r: Report): string {
  const W = 640;
  const H = 320;
  const pad = 48;
  const solved = r.models.filter((m) => m.usdPerSolved !== null);
  const costs = solved.map((m) => Math.max(m.usdPerSolved!, 1e-5));
  const lo = Math.log10(Math.min(...costs, 1e-4));
  const hi = Math.log10(Math.max(...costs, 1e-2));
  const x = (usd: number) => pad + ((Math.log10(Math.max(usd, 1e-5)) - lo) / (hi - lo || 1)) * (W - 2 * pad);
  const y = (rate: number) => H - pad - rate * (H - 2 * pad);
  const dots = solved
    .map(
      (m) =>
        `<g><circle cx="${x(m.usdPerSolved!).toFixed(1)}" cy="${y(m.passRate).toFixed(1)}" r="6"><title>${esc(m.model)}: ${pct(m.passRate)} at ${money(m.usdPerSolved!)}/solved</title></circle><text x="${(x(m.usdPerSolved!) + 9).toFixed(1)}" y="${(y(m.passRate) + 4).toFixed(1)}">${esc(m.model)}</text></g>`,
    )
    .join("");
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((t) => `<text x="${pad - 8}" y="${y(t) + 4}" text-anchor="end">${pct(t)}</text>`).join("");
  const rows = r.models
    .map(
      (m) =>
        `<tr><th scope="row">${esc(m.model)}</th><td>${pct(m.passRate)}</td><td>${pct(m.ci[0])}–${pct(m.ci[1])}</td><td>${m.usdPerSolved === null ? "–" : money(m.usdPerSolved)}</td><td>${money(m.usd)}</td><td>${secs(m.medianMs)}</td><td>${m.input.toLocaleString("en-US")} / ${m.output.toLocaleString("en-US")}</td><td>${m.meanTurns.toFixed(1)}</td></tr>`,
    )
    .join("");
  const models = r.models.map((m) => m.model);
  const grid = r.tasks
    .map(
      (t) =>
        `<tr><th scope="row">${esc(t.task)}</th>${models
          .map((m) => {
            const c = t.cells[m];
            if (!c) return `<td class="none">–</td>`;
            const cls = c.passes === c.runs ? "pass" : c.passes ? "some" : "fail";
            return `<td class="${cls}">${c.passes}/${c.runs}</td>`;
          })
          .join("")}</tr>`,
    )
    .join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>runcode bench ${esc(r.run)}</title>
<style>
:root{color-scheme:light dark;--fg:#1b1f24;--bg:#fff;--mute:#57606a;--line:#d0d7de;--pass:#2da44e;--some:#d4a72c;--fail:#cf222e}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--bg:#0d1117;--mute:#8d96a0;--line:#30363d}}
body{font:15px/1.5 system-ui,sans-serif;color:var(--fg);background:var(--bg);max-width:960px;margin:2rem auto;padding:0 1rem}
table{border-collapse:collapse;margin:1rem 0;font-variant-numeric:tabular-nums}th,td{padding:.3rem .6rem;border-bottom:1px solid var(--line);text-align:right}
th[scope=row]{text-align:left;font-weight:600}td.pass{color:var(--pass)}td.some{color:var(--some)}td.fail{color:var(--fail)}td.none{color:var(--mute)}
svg{max-width:100%;height:auto}svg text{fill:var(--fg);font-size:12px}svg circle{fill:var(--pass);opacity:.8}svg line{stroke:var(--line)}
.rec{font-size:1.1rem}
</style></head><body>
<h1>runcode bench <small>${esc(r.run)}</small></h1>
<p class="rec">${r.recommendation ? esc(r.recommendation) : "No model solved a task in this run."}</p>
<p>Total spent: <strong>${money(r.usd)}</strong></p>
<h2>Models</h2>
<table><thead><tr><th>model</th><th>pass</th><th>95% CI</th><th>USD/solved</th><th>USD</th><th>median</th><th>tokens in/out</th><th>turns</th></tr></thead><tbody>${rows}</tbody></table>
<h2>Pass rate vs cost per solved task</h2>
<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="pass rate against USD per solved task, log scale">
<line x1="${pad}" y1="${H - pad}" x2="${W - pad}" y2="${H - pad}"/><line x1="${pad}" y1="${pad}" x2="${pad}" y2="${H - pad}"/>${ticks}
<text x="${W / 2}" y="${H - 12}" text-anchor="middle">USD per solved task (log scale)</text>${dots}</svg>
<h2>Tasks</h2>
<table><thead><tr><th>task</th>${models.map((m) => `<th>${esc(m)}</th>`).join("")}</tr></thead><tbody>${grid}</tbody></table>
</body></html>
`;
}
