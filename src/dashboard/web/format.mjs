// Formatting and a small DOM builder for the dashboard page. Text goes in as text nodes, never as HTML, so a model
// name or an error message from the store cannot become markup.

const money2 = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", minimumFractionDigits: 2, maximumFractionDigits: 2 });
const money4 = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", minimumFractionDigits: 2, maximumFractionDigits: 4 });
const counts = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** Dollars: cents from $1 up, up to four decimals below (a request often costs a fraction of a cent). */
export const usd = (n) => (Math.abs(n) >= 1 ? money2 : money4).format(n);
export const count = (n) => counts.format(n);
export const ms = (n) => (n === null || n === undefined ? "–" : n >= 10_000 ? `${(n / 1000).toFixed(1)} s` : `${count(n)} ms`);
export const pct = (x) => `${(x * 100).toFixed(1)}%`;
/** UTC, as the store's days and hours are. */
export const time = (t) => `${new Date(t).toISOString().slice(0, 19).replace("T", " ")}`;
export const day = (t) => new Date(t).toISOString().slice(0, 10);

/** `h("td", { class: "num" }, "12")`: attributes (on* are listeners), then children (strings become text). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "dataset") Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** A figure with its label; `value` is kept raw in data-value for whoever reads the page programmatically. */
export const card = (key, label, text, value, sub) =>
  h(
    "div",
    { class: "card", dataset: { kpi: key } },
    h("div", { class: "label" }, label),
    h("div", { class: "value", dataset: { value: String(value) } }, text),
    sub ? h("div", { class: "sub" }, sub) : null,
  );

/** An empty state that says how to get data. */
export const empty = (title, ...how) => h("div", { class: "empty", role: "note" }, h("p", { class: "empty-title" }, title), ...how);

/** A table from a header row and body rows (each cell a string, a node, or [content, "num"]). */
export function table(caption, head, rows, o = {}) {
  const cell = (tag, c) => (Array.isArray(c) ? h(tag, { class: c[1] }, c[0]) : h(tag, {}, c));
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      { class: o.class },
      h("caption", { class: o.showCaption ? "" : "sr-only" }, caption),
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          head.map((c) => cell("th", Array.isArray(c) ? c : [c, ""])),
        ),
      ),
      h(
        "tbody",
        {},
        rows.map((r) =>
          r instanceof Node
            ? r
            : h(
                "tr",
                {},
                r.map((c) => cell("td", c)),
              ),
        ),
      ),
    ),
  );
}
