// The dashboard in a real browser: Debian's chromium driven by playwright-core, against the real `runcode
// dashboard` over a seeded runcode.db and the real `runcode team serve` over a seeded team store (team.db, and a
// real PostgreSQL: the same page, the same figures). Every figure shown is
// checked against the seeded rows; filters change them and stay in the URL; a request recorded during the test
// appears without a reload; the team page takes the admin token only; the page asks nothing of any other server.
// Screenshots (light, dark, phone) go to test/dashboard/screenshots/ (gitignored) to be looked at.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { requireDeps } from "../../scripts/test-deps";
import { openStore } from "../../src/store/open";
import { PgTeamStore } from "../../src/team/pg";
import { SqliteTeamStore } from "../../src/team/sqlite";
import type { AuditEntry } from "../../src/team/store";
import { cleanup, ROOT, tempDir } from "../helpers";
import { startPostgres, type Postgres } from "../pg";
import { freshDatabase, serve, teamMachine, type Served, type Team } from "../team/setup";
import { expected, MODELS, seedHome } from "./seed";
import { startDashboardCli, type Dashboard } from "./spawn";

// Code passed to page.evaluate() runs in the browser; the tests' tsconfig has no DOM types, so the few globals it
// uses are declared here, for this file only.
declare const document: {
  querySelector(s: string): { textContent: string | null } | null;
  querySelectorAll(s: string): { length: number };
  body: unknown;
  documentElement: { scrollWidth: number; clientWidth: number };
};
declare const window: { marker?: number };
declare const getComputedStyle: (e: unknown) => { backgroundColor: string };

const CHROMIUM = "/usr/bin/chromium";
const SHOTS = join(ROOT, "test", "dashboard", "screenshots");

// The page's own formatting rules (src/dashboard/web/format.mjs), to compare what it shows with what was seeded.
const money2 = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", minimumFractionDigits: 2, maximumFractionDigits: 2 });
const money4 = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", minimumFractionDigits: 2, maximumFractionDigits: 4 });
const usd = (n: number) => (Math.abs(n) >= 1 ? money2 : money4).format(n);
const count = (n: number) => n.toLocaleString("en-US");

let browser: Browser;
beforeAll(async () => {
  requireDeps("chromium"); // fails with the exact install command when chromium is missing
  if (!existsSync(CHROMIUM)) throw new Error(`no ${CHROMIUM}: run apt-get install -y chromium`);
  browser = await chromium.launch({ executablePath: CHROMIUM });
  mkdirSync(SHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
});

/** A page whose every request is recorded, in a fresh context. */
async function open(o: { colorScheme?: "light" | "dark"; width?: number } = {}) {
  const context = await browser.newContext({
    viewport: { width: o.width ?? 1280, height: 900 },
    colorScheme: o.colorScheme ?? "light",
    locale: "en-US",
  });
  const page = await context.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  page.on("request", (r) => requests.push(r.url()));
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  return { context, page, requests, errors };
}

const ready = (page: Page) => page.waitForSelector("main[data-ready]", { timeout: 15_000 });
const kpi = (page: Page, key: string) => page.locator(`[data-kpi="${key}"] .value`).innerText();
/** Waits (with a deadline, on the page's own updates) until the figure reads `text`. */
const kpiIs = (page: Page, key: string, text: string) =>
  page.waitForFunction(([k, t]) => document.querySelector(`[data-kpi="${k}"] .value`)?.textContent === t, [key, text] as const, {
    timeout: 10_000,
  });
const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

describe("runcode dashboard in chromium", () => {
  const home = tempDir();
  let rows: ReturnType<typeof seedHome>;
  let d: Dashboard;
  let ctx: Awaited<ReturnType<typeof open>>;
  beforeAll(async () => {
    rows = seedHome(home, Date.now());
    d = await startDashboardCli(home);
    ctx = await open();
  });
  afterAll(async () => {
    await ctx?.context.close();
    await d?.stop();
    cleanup(home);
  });

  test("overview: the seeded week's spend, requests and tokens", async () => {
    const { page } = ctx;
    await page.goto(d.url);
    await ready(page);
    const all = expected(rows, { since: Date.now() - 7 * 86_400_000 });
    expect(all.requests).toBe(42);
    expect(await kpi(page, "spend")).toBe(usd(all.usd));
    expect(await kpi(page, "requests")).toBe(count(42));
    expect(await kpi(page, "tokens")).toBe(count(all.input + all.output));
    expect(await page.locator('[data-kpi="requests"] .sub').innerText()).toBe(`${all.errors} errors`);
    expect(await page.locator(".chart canvas").count()).toBe(1);
    await shot(page, "local-overview-light");
  });

  test("filters change every figure and live in the URL (a reload shows the same)", async () => {
    const { page } = ctx;
    const model = MODELS[1];
    await page.selectOption("#f-model", model);
    const one = expected(rows, { since: Date.now() - 7 * 86_400_000, model });
    await kpiIs(page, "spend", usd(one.usd));
    expect(await kpi(page, "requests")).toBe(count(one.requests));
    expect(new URL(page.url()).searchParams.get("model")).toBe(model);

    await page.selectOption("#f-range", "24h");
    const day = expected(rows, { since: Date.now() - 86_400_000, model });
    await kpiIs(page, "requests", count(day.requests));
    expect(await kpi(page, "spend")).toBe(usd(day.usd));
    expect(new URL(page.url()).searchParams.get("range")).toBe("24h");

    await page.reload();
    await ready(page);
    expect(await page.inputValue("#f-model")).toBe(model);
    expect(await page.inputValue("#f-range")).toBe("24h");
    expect(await kpi(page, "requests")).toBe(count(day.requests));
    await page.selectOption("#f-model", "");
    await page.selectOption("#f-range", "7d");
    await kpiIs(page, "requests", count(42));
  });

  test("models: one row per model with its requests and spend, and the stacked chart", async () => {
    const { page } = ctx;
    await page.click("nav a:text-is('Models')");
    await page.waitForSelector("tr[data-model]");
    expect(new URL(page.url()).searchParams.get("view")).toBe("models");
    for (const model of MODELS) {
      const e = expected(rows, { model });
      const tr = page.locator(`tr[data-model="${model}"]`);
      expect(await tr.locator('[data-col="requests"]').innerText()).toBe(count(e.requests));
      expect(await tr.locator('[data-col="usd"]').innerText()).toBe(usd(e.usd));
      expect(await tr.locator('[data-col="errors"]').innerText()).toBe(count(e.errors));
    }
    expect(await page.locator(".chart canvas").count()).toBe(1);
    await shot(page, "local-models-light");
  });

  test("requests: newest first, paginated, searchable, details with the payment", async () => {
    const { page } = ctx;
    await page.click("nav a:text-is('Requests')");
    await page.waitForSelector("tr[data-id]");
    expect(await page.locator("#range-shown").innerText()).toBe("1–42 of 42");
    const newest = [...rows].sort((a, b) => b.at! - a.at!)[0]!;
    expect(await page.locator("tr[data-id] td").nth(2).innerText()).toBe(newest.model);
    await page.fill("#search", "gateway_error");
    await page.waitForFunction(() => document.querySelector("#range-shown")?.textContent?.endsWith(" of 4"), undefined, {
      timeout: 10_000,
    });
    expect(new URL(page.url()).searchParams.get("q")).toBe("gateway_error");
    await page.fill("#search", "");
    await page.waitForFunction(() => document.querySelector("#range-shown")?.textContent === "1–42 of 42", undefined, { timeout: 10_000 });
    // Keyboard: the first row's time is a button; Enter opens the details.
    await page.locator("tr[data-id] button.link").first().focus();
    await page.keyboard.press("Enter");
    await page.waitForSelector("dialog[open] h2");
    const text = await page.locator("dialog").innerText();
    expect(text).toContain(newest.model);
    expect(text).toContain("Payment");
    await shot(page, "local-request-detail");
    await page.keyboard.press("Escape");
    await page.waitForSelector("dialog:not([open])", { state: "attached" });
    await shot(page, "local-requests-light");
  });

  test("patterns: the heatmap counts every request", async () => {
    const { page } = ctx;
    await page.click("nav a:text-is('Request patterns')");
    await page.waitForSelector("td.heat");
    const n = await page.$$eval("td.heat", (tds) =>
      tds.reduce((s, td) => s + Number((td as unknown as { dataset: { n: string } }).dataset.n), 0),
    );
    expect(n).toBe(42);
    await shot(page, "local-patterns-light");
  });

  test("a request recorded now appears without a reload", async () => {
    const { page } = ctx;
    await page.goto(d.url);
    await ready(page);
    await page.evaluate(() => (window.marker = 1));
    const store = openStore({ home, warn: () => {} });
    store.recordRequest({
      source: "agent",
      client: "ask",
      model: MODELS[0],
      input: 10,
      output: 5,
      usd: 0.25,
      latencyMs: 900,
      status: "ok",
    });
    store.close();
    const all = expected(rows, { since: Date.now() - 7 * 86_400_000 });
    await kpiIs(page, "requests", count(43));
    expect(await kpi(page, "spend")).toBe(usd(all.usd + 0.25));
    expect(await page.evaluate(() => window.marker)).toBe(1); // the same page: no reload
  });

  test("the page asks nothing of any other server, and shows no error", async () => {
    expect(ctx.requests.length).toBeGreaterThan(10);
    expect(ctx.requests.filter((u) => !u.startsWith(`${d.origin}/`))).toEqual([]);
    expect(ctx.errors).toEqual([]);
  });

  test("dark theme and a phone's width", async () => {
    const dark = await open({ colorScheme: "dark" });
    await dark.page.goto(d.url);
    await ready(dark.page);
    const bg = await dark.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(bg).toBe("rgb(17, 19, 24)");
    await shot(dark.page, "local-overview-dark");
    await dark.page.goto(`${d.url}?view=models`);
    await ready(dark.page);
    await shot(dark.page, "local-models-dark");
    await dark.context.close();

    const phone = await open({ width: 390 });
    await phone.page.goto(d.url);
    await ready(phone.page);
    const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await shot(phone.page, "local-overview-phone");
    await phone.page.goto(`${d.url}?view=requests`);
    await ready(phone.page);
    await shot(phone.page, "local-requests-phone");
    await phone.context.close();
  });

  test("an empty store says how to get data", async () => {
    const empty = tempDir();
    const e = await startDashboardCli(empty);
    const p = await open();
    try {
      await p.page.goto(e.url);
      await ready(p.page);
      expect(await p.page.locator(".empty").innerText()).toContain('runcode ask "explain this repo"');
      await shot(p.page, "local-empty");
    } finally {
      await p.context.close();
      await e.stop();
      cleanup(empty);
    }
  });
});

describe.each(["sqlite", "postgres"] as const)("the team server's /dashboard in chromium, on %s", (backend) => {
  let t: Team;
  let s: Served;
  let pg: Postgres | undefined;
  let db: string | undefined;
  /** The team server's store, opened behind its back to seed it and to record a request. */
  const teamStore = () => (db ? PgTeamStore.open(db) : SqliteTeamStore.open(join(t.home, "team.db")));
  const snap = (page: Page, name: string) => shot(page, backend === "sqlite" ? name : `${name}-pg`);
  const now = Date.now();
  // Alice: three paid requests ($12.50 in all) against $50 a week; Bob: two ($4.25) against $20 a week.
  const paid = [
    { dev: "alice@example.com", model: MODELS[0], usd: 5 },
    { dev: "alice@example.com", model: MODELS[0], usd: 4.5 },
    { dev: "alice@example.com", model: MODELS[1], usd: 3 },
    { dev: "bob@example.com", model: MODELS[2], usd: 4 },
    { dev: "bob@example.com", model: MODELS[1], usd: 0.25 },
  ];
  const spent = (dev: string) => paid.filter((p) => p.dev === dev).reduce((a, p) => a + p.usd, 0);
  const record = (e: Partial<AuditEntry>): AuditEntry => ({
    at: now - 60_000,
    request: crypto.randomUUID(),
    developer: null,
    client: "test",
    method: "POST",
    path: "/v1/messages",
    modelAsked: null,
    modelServed: null,
    input: 0,
    output: 0,
    amount: 0n,
    status: 200,
    latencyMs: 800,
    bodySha256: null,
    note: null,
    prompt: null,
    ...e,
  });

  beforeAll(async () => {
    if (backend === "postgres") {
      pg = await startPostgres();
      db = await freshDatabase(pg.url);
    }
    t = await teamMachine({ db });
    await t.add("alice@example.com", "--budget", "50", "--per", "week");
    await t.add("bob@example.com", "--budget", "20", "--per", "week");
    const store = await teamStore();
    const devs = await store.developers();
    for (const [i, p] of paid.entries()) {
      const dev = devs.find((d) => d.email === p.dev)!;
      const request = `req-${i}`;
      const amount = BigInt(Math.round(p.usd * 1e6));
      const at = now - (i + 1) * 60_000;
      const r = await store.reserve({
        developer: dev.id,
        request,
        server: "srv_test",
        payment: i + 1,
        amount,
        nonce: null,
        expires: now + 600_000,
        since: 0,
        now: at,
      });
      expect(r.ok).toBe(true);
      await store.settle(request, i + 1, at);
      await store.append(
        record({ at, request, developer: p.dev, modelAsked: p.model, modelServed: p.model, input: 1000, output: 100, amount, status: 200 }),
      );
    }
    await store.append(record({ status: 401, note: "this team token is not valid (revoked, rotated or mistyped)" }));
    await store.close();
    s = await serve(t);
  });
  afterAll(async () => {
    await s?.stop();
    await t?.gw.stop();
    await pg?.remove();
    cleanup(t?.home ?? "");
  });

  test("no token, a wrong token: refused; the admin token: a session cookie (HttpOnly, SameSite=Strict), never the token", async () => {
    const base = `${s.url}/dashboard/`;
    expect((await fetch(`${s.url}/api/dashboard/overview`)).status).toBe(401);
    const none = await fetch(`${s.url}/dashboard/signin`, { method: "POST", body: new URLSearchParams({ token: "" }), redirect: "manual" });
    expect(none.status).toBe(401);
    expect(none.headers.get("set-cookie")).toBeNull();

    const { context, page, requests, errors } = await open();
    const bodies: string[] = [];
    page.on("response", async (r) =>
      bodies.push(`${[...Object.entries(await r.allHeaders())].join("\n")}\n${await r.text().catch(() => "")}`),
    );
    await page.goto(base);
    expect(await page.locator("label[for=token]").innerText()).toBe("Admin token");
    await snap(page, "team-signin");
    await page.fill("#token", `rca_${"x".repeat(43)}`);
    await page.click("button[type=submit]");
    await page.waitForSelector("#signin-error");
    expect(await page.locator("#signin-error").innerText()).toBe("that token is not the admin token");
    expect(await page.locator("#tabs").count()).toBe(0);
    expect((await context.cookies()).length).toBe(0);

    await page.fill("#token", t.admin);
    await page.click("button[type=submit]");
    await ready(page);
    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({ name: "runcode_dashboard", httpOnly: true, sameSite: "Strict", path: "/" });
    expect(cookie!.value).not.toContain(t.admin);
    expect(cookie!.value).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const total = paid.reduce((a, p) => a + p.usd, 0);
    expect(await kpi(page, "spend")).toBe(usd(total));
    expect(await kpi(page, "requests")).toBe(count(paid.length));
    await snap(page, "team-overview-light");

    await page.click("nav a:text-is('Team')");
    await page.waitForSelector(".budgets li");
    for (const [dev, budget] of [
      ["alice@example.com", 50],
      ["bob@example.com", 20],
    ] as const) {
      const li = page.locator(`.budgets li[data-developer="${dev}"]`);
      expect(Number(await li.getAttribute("data-spent"))).toBe(spent(dev));
      expect(await li.locator("progress").getAttribute("value")).toBe(String(spent(dev)));
      expect(await li.locator("progress").getAttribute("max")).toBe(String(budget));
      expect(await li.locator(".hint").innerText()).toStartWith(`${usd(spent(dev))} of ${usd(budget)} this week`);
      expect(await page.locator(`tr[data-developer="${dev}"] [data-col="usd"]`).innerText()).toBe(usd(spent(dev)));
    }
    expect(await page.locator("tbody tr[data-developer]").first().getAttribute("data-developer")).toBe("alice@example.com");
    expect(await page.locator(`.mix li[data-developer="alice@example.com"] .seg`).count()).toBe(2);
    expect(await page.locator(".verify.ok").innerText()).toContain(`Chain intact: ${paid.length + 1} records`);
    await snap(page, "team-team-light");

    // The developer filter narrows every view, and is kept in the URL.
    await page.selectOption("#f-developer", "bob@example.com");
    await page.waitForFunction(() => document.querySelectorAll(".budgets li").length === 1, undefined, { timeout: 10_000 });
    expect(new URL(page.url()).searchParams.get("developer")).toBe("bob@example.com");
    await page.click("nav a:text-is('Overview')");
    await kpiIs(page, "spend", usd(spent("bob@example.com")));

    // A request the server records now shows without a reload.
    await page.selectOption("#f-developer", "");
    await kpiIs(page, "requests", count(paid.length));
    const store = await teamStore();
    await store.append(
      record({ at: Date.now(), developer: "bob@example.com", modelAsked: MODELS[3], modelServed: MODELS[3], status: 200 }),
    );
    await store.close();
    await kpiIs(page, "requests", count(paid.length + 1));

    await page.click("nav a:text-is('Requests')");
    await page.waitForSelector("tr[data-id]");
    await page.locator("tr[data-id] button.link").last().click();
    await page.waitForSelector("dialog[open]");
    await snap(page, "team-request-detail");
    await page.keyboard.press("Escape");

    expect(requests.filter((u) => !u.startsWith(`${s.url}/`))).toEqual([]);
    // The one refusal the page met was the wrong token's 401.
    expect(errors.filter((e) => !e.includes("status of 401"))).toEqual([]);
    for (const b of bodies) expect(b).not.toContain(t.admin);

    // Signing out ends the session: the API refuses the old cookie.
    await page.click("#signout button");
    await page.waitForSelector("#token");
    const res = await fetch(`${s.url}/api/dashboard/site`, { headers: { cookie: `${cookie!.name}=${cookie!.value}` } });
    expect(res.status).toBe(401);
    await context.close();
  });

  test("the team server's Host and Origin rules hold for /dashboard", async () => {
    expect((await fetch(`${s.url}/dashboard/`, { headers: { host: "evil.example" } })).status).toBe(403);
    const cross = await fetch(`${s.url}/dashboard/signin`, {
      method: "POST",
      headers: { origin: "http://evil.example" },
      body: new URLSearchParams({ token: t.admin }),
      redirect: "manual",
    });
    expect(cross.status).toBe(403);
    expect(cross.headers.get("set-cookie")).toBeNull();
  });
});
