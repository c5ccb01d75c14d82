// The dashboard's views. Each takes the state and the API, fetches its one endpoint, and returns the nodes to show;
// every figure is one the server computed (docs/dashboard.md), only formatted here.
import { bars, palette } from "./charts.mjs";
import { card, count, day, empty, h, ms, pct, table, time, usd } from "./format.mjs";

const code = (text) => h("code", {}, text);

/** Nothing recorded at all, or nothing in this filter: what to do about it. */
function nothing(ctx) {
  if (ctx.site.models.length === 0)
    return ctx.site.kind === "team"
      ? empty(
          "No requests yet.",
          h(
            "p",
            {},
            "Developers send them through this server: ",
            code("runcode login https://this-server:8403 --token rct_…"),
            " then ",
            code("runcode ask …"),
            ".",
          ),
        )
      : empty(
          "No requests yet: try ",
          h(
            "p",
            {},
            code('runcode ask "explain this repo"'),
            ", the REPL (",
            code("runcode"),
            ") or Claude Code through ",
            code("runcode proxy"),
            ".",
          ),
          h("p", { class: "hint" }, "Each request appears here within a second or two."),
        );
  return empty("No requests match these filters.", h("p", {}, "Pick a longer time range, or All models."));
}

function change(cur, prev, what) {
  if (cur === 0 && prev === 0) return `nothing yet, as ${what}`;
  if (prev === 0) return `new: nothing ${what}`;
  const d = (cur - prev) / prev;
  return `${d >= 0 ? "▲" : "▼"} ${pct(Math.abs(d))} vs ${what}`;
}

function chartPanel(title, description, draw) {
  const box = h("div", { class: "chart", role: "img", "aria-label": description });
  const panel = h("section", { class: "panel" }, h("h2", {}, title), box);
  panel.draw = () => draw(box);
  return panel;
}

const overview = {
  title: "Overview",
  async render(ctx) {
    const o = await ctx.api("overview", ctx.params);
    const p = o.periods;
    const t = o.totals;
    const periods = h(
      "div",
      { class: "cards periods" },
      card("today", "Spend today", usd(p.today.usd), p.today.usd, change(p.today.usd, p.today.previousUsd, "yesterday by now")),
      card("week", "This week", usd(p.week.usd), p.week.usd, change(p.week.usd, p.week.previousUsd, "last week by now")),
      card("month", "This month", usd(p.month.usd), p.month.usd, change(p.month.usd, p.month.previousUsd, "last month by now")),
    );
    const root = h("div", { class: "view" }, h("h1", { class: "sr-only" }, "Overview"), periods);
    if (t.requests === 0) {
      root.append(nothing(ctx));
      return root;
    }
    root.append(
      h(
        "div",
        { class: "cards kpis" },
        card("spend", "Spend", usd(t.usd), t.usd),
        card("requests", "Requests", count(t.requests), t.requests, t.errors ? `${count(t.errors)} errors` : "no errors"),
        card("tokens", "Tokens", count(t.input + t.output), t.input + t.output, `${count(t.input)} in · ${count(t.output)} out`),
        card("avg", "Average per request", usd(t.usd / t.requests), t.usd / t.requests, `latency ${ms(t.avgMs)}`),
        card(
          "saved-sonnet",
          "Saved vs always Sonnet",
          usd(t.sonnetSavingsUsd),
          t.sonnetSavingsUsd,
          baseline(t.sonnetUsd, t.sonnetSavingsUsd, "Claude Sonnet 4.6"),
        ),
        card("saved-opus", "Saved vs always Opus", usd(t.savingsUsd), t.savingsUsd, baseline(t.opusUsd, t.savingsUsd, "Claude Opus 4.6")),
      ),
    );
    const pts = o.series.points;
    root.append(
      chartPanel(
        `Spend by ${o.series.bucket} (UTC)`,
        `Spend by ${o.series.bucket}: ${usd(t.usd)} in ${pts.length} ${o.series.bucket}s`,
        (el) =>
          bars(
            el,
            pts.map((x) => x.t),
            [{ label: "Spend", values: pts.map((x) => x.usd) }],
            { bucket: o.series.bucket },
          ),
      ),
    );
    return root;
  },
  mounted: drawAll,
};

/** What the same tokens would have cost on one model, and whether routing did better. */
const baseline = (cost, saved, model) => `${usd(cost)} on ${model}${saved < 0 ? ": routing cost more" : ""}`;

function drawAll(node) {
  for (const p of node.querySelectorAll(".panel")) p.draw?.();
}

const models = {
  title: "Models",
  async render(ctx) {
    const m = await ctx.api("models", ctx.params);
    const root = h("div", { class: "view" }, h("h1", { class: "sr-only" }, "Models"));
    if (!m.models.length) {
      root.append(nothing(ctx));
      return root;
    }
    const colors = palette();
    const shown = m.models.slice(0, 8);
    const series = shown.map((r) => ({ label: r.model, values: m.usd[r.model] }));
    if (m.models.length > 8)
      series.push({
        label: "other models",
        values: m.times.map((_, i) => m.models.slice(8).reduce((s, r) => s + m.usd[r.model][i], 0)),
      });
    const legend = h(
      "ul",
      { class: "legend" },
      series.map((s, i) => h("li", {}, h("span", { class: `swatch s${i % colors.length}` }), s.label)),
    );
    const chart = chartPanel(`Spend per model by ${m.bucket} (UTC)`, `Stacked spend per model by ${m.bucket}`, (el) =>
      bars(el, m.times, series, { bucket: m.bucket }),
    );
    chart.append(legend);
    const total = m.models.reduce((s, r) => s + r.usd, 0);
    const rows = m.models.map((r) =>
      h(
        "tr",
        { dataset: { model: r.model } },
        h("th", { scope: "row" }, r.model),
        h("td", { class: "num", dataset: { col: "requests" } }, count(r.requests)),
        h("td", { class: "num", dataset: { col: "usd" } }, usd(r.usd)),
        h("td", { class: "num" }, total > 0 ? pct(r.usd / total) : "–"),
        h("td", { class: "num" }, ms(r.p50Ms)),
        h("td", { class: "num" }, ms(r.p95Ms)),
        h("td", { class: "num" }, pct(r.requests ? r.fallbacks / r.requests : 0)),
        h("td", { class: "num", dataset: { col: "errors" } }, count(r.errors)),
      ),
    );
    root.append(
      chart,
      h(
        "section",
        { class: "panel" },
        h("h2", {}, "Per model"),
        table(
          "Spend, requests, latency, fallbacks and errors per model",
          [
            "Model",
            ["Requests", "num"],
            ["Spend", "num"],
            ["Share", "num"],
            ["p50", "num"],
            ["p95", "num"],
            ["Fallback rate", "num"],
            ["Errors", "num"],
          ],
          rows,
        ),
      ),
    );
    return root;
  },
  mounted: drawAll,
};

const requests = {
  title: "Requests",
  async render(ctx) {
    const size = 50;
    const r = await ctx.api("requests", `${ctx.params}&q=${encodeURIComponent(ctx.state.q)}&page=${ctx.state.page}&size=${size}`);
    let timer;
    const search = h("input", {
      id: "search",
      type: "search",
      value: ctx.state.q,
      placeholder: "model, source, status, error, id…",
      oninput: (e) => {
        clearTimeout(timer);
        timer = setTimeout(() => ctx.go({ q: e.target.value, page: 0 }), 250);
      },
    });
    const root = h(
      "div",
      { class: "view" },
      h("h1", { class: "sr-only" }, "Requests"),
      h("div", { class: "toolbar" }, h("label", { for: "search" }, "Search"), search),
    );
    if (!r.total) {
      root.append(
        ctx.state.q
          ? empty(`No request matches “${ctx.state.q}”.`, h("p", {}, "Try a model name, a source or an error code."))
          : nothing(ctx),
      );
      return root;
    }
    const rows = r.rows.map((x) =>
      h(
        "tr",
        { dataset: { id: x.id }, class: x.status === "ok" ? "" : "bad" },
        h(
          "td",
          {},
          h(
            "button",
            { type: "button", class: "link", onclick: () => detail(ctx, x.id), "aria-label": `Details of the request at ${time(x.at)}` },
            time(x.at),
          ),
        ),
        h("td", {}, x.source),
        h("td", {}, x.model, x.requested ? h("span", { class: "hint" }, ` (asked ${x.requested})`) : null),
        h("td", { class: "num" }, `${count(x.input)} / ${count(x.output)}`),
        h("td", { class: "num", dataset: { col: "usd" } }, usd(x.usd)),
        h("td", { class: "num" }, ms(x.latencyMs)),
        h("td", {}, h("span", { class: `status ${x.status === "ok" ? "ok" : "bad"}` }, x.status), x.error ? ` ${x.error}` : ""),
      ),
    );
    const first = r.page * r.size;
    const pages = Math.ceil(r.total / r.size);
    root.append(
      h(
        "section",
        { class: "panel" },
        table(
          "Recent requests, newest first (times in UTC)",
          ["Time (UTC)", "Source", "Model", ["Tokens in / out", "num"], ["USD", "num"], ["Latency", "num"], "Status"],
          rows,
          { class: "requests-table" },
        ),
        h(
          "nav",
          { class: "pager", "aria-label": "Pages of requests" },
          h("button", { type: "button", disabled: r.page === 0, onclick: () => ctx.go({ page: r.page - 1 }) }, "← Newer"),
          h("span", { id: "range-shown" }, `${count(first + 1)}–${count(first + r.rows.length)} of ${count(r.total)}`),
          h("button", { type: "button", disabled: r.page + 1 >= pages, onclick: () => ctx.go({ page: r.page + 1 }) }, "Older →"),
        ),
      ),
    );
    return root;
  },
  mounted(node) {
    const s = node.querySelector("#search");
    if (s && document.activeElement === document.body && s.value) s.focus();
  },
};

async function detail(ctx, id) {
  const d = await ctx.api("request", `id=${encodeURIComponent(id)}`);
  const dialog = document.getElementById("detail");
  const dl = (pairs) =>
    h(
      "dl",
      {},
      pairs.filter(Boolean).map(([k, v]) => [h("dt", {}, k), h("dd", {}, v ?? "–")]),
    );
  const pay = d.payment;
  dialog.replaceChildren(
    h("h2", { id: "detail-title" }, "Request ", code(d.id)),
    dl([
      ["Time (UTC)", time(d.at)],
      ["Source", d.source],
      ["Model", d.model],
      d.requested ? ["Asked for", d.requested] : null,
      ["Status", d.error ? `${d.status} (${d.error})` : d.status],
      ["Tokens", `${count(d.input)} in, ${count(d.output)} out${d.cacheRead ? `, ${count(d.cacheRead)} cache read` : ""}`],
      ["Cost", usd(d.usd)],
      ["Latency", ms(d.latencyMs)],
      ["Fallback", d.fallback ? "yes" : "no"],
      d.session ? ["Session", `${d.session.id}${d.session.title ? `: ${d.session.title}` : ""}`] : null,
      d.session?.cwd ? ["Directory", d.session.cwd] : null,
    ]),
    h("h3", {}, "Payment"),
    pay
      ? dl([
          ["Network", pay.network],
          ["Amount", `${usd(pay.usd)} (${pay.amount} atomic USDC)`],
          ["Transaction", pay.tx ? code(pay.tx) : "not reported by the gateway"],
          ["Status", pay.status],
          ["Paid to", code(pay.payTo)],
        ])
      : h(
          "p",
          { class: "hint" },
          d.usd > 0
            ? "No ledger payment could be matched to this request."
            : "Nothing was paid (a free model, or the request failed before payment).",
        ),
    h("form", { method: "dialog" }, h("button", { type: "submit", autofocus: true }, "Close")),
  );
  dialog.showModal();
}

const DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

const patterns = {
  title: "Request patterns",
  async render(ctx) {
    const p = await ctx.api("patterns", ctx.params);
    const root = h("div", { class: "view" }, h("h1", { class: "sr-only" }, "Request patterns"));
    const max = Math.max(0, ...p.requests.flat());
    if (max === 0) {
      root.append(nothing(ctx));
      return root;
    }
    const level = (n) => (n === 0 ? 0 : Math.max(1, Math.ceil((n / max) * 5)));
    const head = h(
      "tr",
      {},
      h("td", {}),
      Array.from({ length: 24 }, (_, i) => h("th", { scope: "col" }, String(i).padStart(2, "0"))),
    );
    const rows = p.requests.map((row, d) =>
      h(
        "tr",
        {},
        h("th", { scope: "row" }, DAYS[d]),
        row.map((n, hr) =>
          h(
            "td",
            {
              class: `heat l${level(n)}`,
              title: `${DAYS[d]} ${String(hr).padStart(2, "0")}:00 UTC: ${count(n)} requests, ${usd(p.usd[d][hr])}`,
              dataset: { day: d, hour: hr, n },
            },
            h("span", { class: "sr-only" }, `${DAYS[d]} ${hr}:00, ${count(n)} requests`),
          ),
        ),
      ),
    );
    root.append(
      h(
        "section",
        { class: "panel" },
        h("h2", {}, "Requests by day of week and hour (UTC)"),
        h(
          "div",
          { class: "table-wrap" },
          h(
            "table",
            { class: "heatmap" },
            h("caption", { class: "sr-only" }, "Requests by day of week and hour, UTC"),
            h("thead", {}, head),
            h("tbody", {}, rows),
          ),
        ),
        h(
          "p",
          { class: "scale" },
          "Fewer ",
          [0, 1, 2, 3, 4, 5].map((l) => h("span", { class: `heat l${l}`, "aria-hidden": "true" })),
          ` More (busiest hour: ${count(max)} request${max === 1 ? "" : "s"})`,
        ),
      ),
    );
    return root;
  },
};

const team = {
  title: "Team",
  team: true,
  async render(ctx) {
    const t = await ctx.api("team", ctx.params);
    const root = h("div", { class: "view" }, h("h1", { class: "sr-only" }, "Team"));
    const budgets = t.developers.length
      ? h(
          "ul",
          { class: "budgets" },
          t.developers.map((d) => {
            const share = d.budgetUsd ? d.spentUsd / d.budgetUsd : 0;
            return h(
              "li",
              {
                dataset: { developer: d.email, spent: d.spentUsd, budget: d.budgetUsd ?? "" },
                class: d.status === "revoked" ? "revoked" : "",
              },
              h(
                "div",
                { class: "who" },
                h("strong", {}, d.email),
                d.status === "revoked" ? h("span", { class: "status bad" }, "revoked") : null,
              ),
              d.budgetUsd === null
                ? h("div", { class: "hint" }, `${usd(d.spentUsd)} this ${d.period} · no budget of their own`)
                : [
                    h("progress", {
                      max: d.budgetUsd,
                      value: Math.min(d.spentUsd, d.budgetUsd),
                      class: share >= 1 ? "over" : share >= 0.8 ? "near" : "",
                      "aria-label": `${d.email}: ${usd(d.spentUsd)} of ${usd(d.budgetUsd)} this ${d.period}`,
                    }),
                    h(
                      "div",
                      { class: "hint" },
                      `${usd(d.spentUsd)} of ${usd(d.budgetUsd)} this ${d.period} (${pct(share)}) · ${usd(d.leftUsd)} left · resets ${day(Date.parse(d.resets))}`,
                    ),
                  ],
            );
          }),
        )
      : empty("No developers yet.", h("p", {}, "Add one on the team machine: ", code("runcode team add dev@example.com --budget 50")));
    root.append(h("section", { class: "panel" }, h("h2", {}, "Budgets this period"), budgets));

    const most = Math.max(0, ...t.top.map((x) => x.usd));
    const colors = palette();
    const models = [...new Set(t.mix.flatMap((m) => m.models.map((x) => x.model)))];
    root.append(
      h(
        "div",
        { class: "two" },
        h(
          "section",
          { class: "panel" },
          h("h2", {}, "Top developers"),
          t.top.length
            ? table(
                "Developers by spend in this range",
                ["Developer", ["Spend", "num"], ["Requests", "num"], ""],
                t.top.map((x) =>
                  h(
                    "tr",
                    { dataset: { developer: x.developer } },
                    h("th", { scope: "row" }, x.developer),
                    h("td", { class: "num", dataset: { col: "usd" } }, usd(x.usd)),
                    h("td", { class: "num" }, count(x.requests)),
                    h("td", { class: "barcell" }, h("progress", { max: most || 1, value: x.usd, "aria-hidden": "true" })),
                  ),
                ),
              )
            : nothing(ctx),
        ),
        h(
          "section",
          { class: "panel" },
          h("h2", {}, "Model mix per developer"),
          t.mix.length
            ? [
                h(
                  "ul",
                  { class: "mix" },
                  t.mix.map((m) => {
                    const total = m.models.reduce((s, x) => s + x.requests, 0) || 1;
                    const bar = h("div", {
                      class: "stack",
                      role: "img",
                      "aria-label": `${m.developer}: ${m.models.map((x) => `${x.model} ${pct(x.requests / total)}`).join(", ")}`,
                    });
                    for (const x of m.models) {
                      const seg = h("span", {
                        class: `seg s${models.indexOf(x.model) % colors.length}`,
                        title: `${x.model}: ${count(x.requests)} requests, ${usd(x.usd)}`,
                      });
                      seg.style.width = `${(x.requests / total) * 100}%`;
                      bar.append(seg);
                    }
                    return h("li", { dataset: { developer: m.developer } }, h("div", { class: "who" }, m.developer), bar);
                  }),
                ),
                h(
                  "ul",
                  { class: "legend" },
                  models.map((x, i) => h("li", {}, h("span", { class: `swatch s${i % colors.length}` }), x)),
                ),
              ]
            : nothing(ctx),
        ),
      ),
    );

    const v = t.audit.verify;
    const badge = v.ok
      ? h(
          "p",
          { class: "verify ok", role: "status" },
          `✓ Chain intact: ${count(v.records)} records`,
          v.head ? [", head ", code(v.head.slice(0, 16))] : "",
        )
      : h("p", { class: "verify bad", role: "alert" }, `✗ Chain broken: ${v.problem}`);
    root.append(
      h(
        "section",
        { class: "panel" },
        h("h2", {}, "Audit log"),
        badge,
        t.audit.records.length
          ? table(
              "The latest audit records (times in UTC)",
              [["#", "num"], "Time (UTC)", "Developer", "Request", "Model", ["Status", "num"], ["USD", "num"], "Note", "Hash"],
              t.audit.records.map((r) =>
                h(
                  "tr",
                  { class: r.status >= 400 || r.status === 0 ? "bad" : "" },
                  h("td", { class: "num" }, String(r.seq)),
                  h("td", { class: "time" }, time(r.at)),
                  h("td", {}, r.developer ?? "(no valid token)"),
                  h("td", {}, `${r.method} ${r.path}`),
                  h("td", {}, r.model ?? "–"),
                  h("td", { class: "num" }, String(r.status)),
                  h("td", { class: "num" }, usd(r.usd)),
                  h("td", { class: "note" }, r.note ?? ""),
                  h("td", {}, code(r.hash.slice(0, 12))),
                ),
              ),
            )
          : h("p", { class: "hint" }, "No audit records yet."),
      ),
    );
    return root;
  },
};

export const VIEWS = { overview, models, requests, patterns, team };
