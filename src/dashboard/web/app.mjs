// The dashboard page: the state is the URL (view and filters, so a link shows what it showed), the data comes from
// /api/dashboard/ on this same server, and a poll of /api/dashboard/version every second redraws the view when a
// request was recorded. Rendering is in views.mjs; nothing here computes a figure.
import { clearCharts } from "./charts.mjs";
import { h, time } from "./format.mjs";
import { VIEWS } from "./views.mjs";

const $ = (id) => document.getElementById(id);
const RANGE_NAMES = {
  "24h": "Last 24 hours",
  "7d": "Last 7 days",
  "30d": "Last 30 days",
  "90d": "Last 90 days",
  "365d": "Last year",
  all: "All time",
};

/** The state kept in the URL: view, range, model, developer, search, page, open request. */
function readUrl() {
  const q = new URLSearchParams(location.search);
  return {
    view: q.get("view") || "overview",
    range: q.get("range") || "7d",
    model: q.get("model") || "",
    developer: q.get("developer") || "",
    q: q.get("q") || "",
    page: Number(q.get("page") || 0),
  };
}

let state = readUrl();
let site;
let version;

/** The query string of the state (defaults left out), for the URL and for the API. */
export function query(s = state, o = {}) {
  const q = new URLSearchParams();
  if (!o.api && s.view !== "overview") q.set("view", s.view);
  if (s.range !== "7d" || o.api) q.set("range", s.range);
  if (s.model) q.set("model", s.model);
  if (s.developer) q.set("developer", s.developer);
  if (s.view === "requests" && s.q) q.set("q", s.q);
  if (s.view === "requests" && s.page) q.set("page", String(s.page));
  return q.toString();
}

/** Changes the state, keeps it in the URL (a new history entry for a new view), and redraws. */
export function go(change, o = {}) {
  state = { ...state, ...change };
  const url = `/dashboard/${query() ? `?${query()}` : ""}`;
  if (o.push) history.pushState(null, "", url);
  else history.replaceState(null, "", url);
  render();
}

export async function api(path, params = "") {
  const res = await fetch(`/api/dashboard/${path}${params ? `?${params}` : ""}`, { credentials: "same-origin", cache: "no-store" });
  if (res.status === 401) {
    location.reload(); // the session ended: the server answers the sign-in page
    throw new Error("signed out");
  }
  const body = await res.json();
  if (!res.ok) throw new Error(body.error ?? `HTTP ${res.status}`);
  return body;
}

function tabs() {
  const views = Object.entries(VIEWS).filter(([, v]) => !v.team || site.kind === "team");
  $("tabs").replaceChildren(
    ...views.map(([key, v]) =>
      h(
        "li",
        {},
        h(
          "a",
          {
            href: `/dashboard/?${query({ ...state, view: key, q: "", page: 0 })}`,
            "aria-current": state.view === key ? "page" : null,
            onclick: (e) => {
              if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
              e.preventDefault();
              go({ view: key, q: "", page: 0 }, { push: true });
            },
          },
          v.title,
        ),
      ),
    ),
  );
}

function options(select, items, current) {
  select.replaceChildren(...items.map(([value, label]) => h("option", { value, selected: value === current }, label)));
}

function filters() {
  options(
    $("f-range"),
    site.ranges.map((r) => [r, RANGE_NAMES[r] ?? r]),
    state.range,
  );
  const models = site.models.includes(state.model) || !state.model ? site.models : [...site.models, state.model];
  options($("f-model"), [["", "All models"], ...models.map((m) => [m, m])], state.model);
  $("f-developer-wrap").hidden = site.kind !== "team";
  const devs = site.developers.includes(state.developer) || !state.developer ? site.developers : [...site.developers, state.developer];
  options($("f-developer"), [["", "All developers"], ...devs.map((d) => [d, d])], state.developer);
}

let drawing = 0;
/** Draws the current view from fresh data; a newer call wins over one still loading. */
async function render() {
  const mine = ++drawing;
  tabs();
  filters();
  const view = VIEWS[state.view] && (!VIEWS[state.view].team || site.kind === "team") ? VIEWS[state.view] : VIEWS.overview;
  document.title = `${view.title} · runcode ${site.title} dashboard`;
  try {
    const node = await view.render({ state, site, api, go, params: query(state, { api: true }) });
    if (mine !== drawing) return;
    clearCharts();
    $("main").replaceChildren(node);
    view.mounted?.(node);
    $("main").dataset.ready = String(mine);
  } catch (err) {
    if (mine !== drawing) return;
    $("main").replaceChildren(h("p", { class: "error", role: "alert" }, `Could not load this view: ${err.message}`));
  }
}

async function poll() {
  if (document.hidden) return;
  try {
    const v = (await api("version")).version;
    $("live").textContent = `Live · updated ${time(Date.now()).slice(11)} UTC`;
    $("live").classList.remove("stale");
    if (v === version) return;
    const first = version === undefined;
    version = v;
    if (first) return;
    site = { ...site, ...(await api("site")) };
    await render();
  } catch {
    $("live").textContent = "Offline: retrying";
    $("live").classList.add("stale");
  }
}

async function start() {
  site = await api("site");
  $("site-title").textContent = `${site.title} dashboard`;
  $("signout").hidden = site.kind !== "team";
  for (const [id, key] of [
    ["f-range", "range"],
    ["f-model", "model"],
    ["f-developer", "developer"],
  ])
    $(id).addEventListener("change", (e) => go({ [key]: e.target.value, page: 0 }));
  addEventListener("popstate", () => {
    state = readUrl();
    render();
  });
  await poll();
  await render();
  setInterval(poll, 1000);
}

start().catch((err) => {
  $("main").replaceChildren(h("p", { class: "error", role: "alert" }, `The dashboard could not start: ${err.message}`));
});
