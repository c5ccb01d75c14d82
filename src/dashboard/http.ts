// The dashboard's HTTP side, one handler for both servers: `runcode dashboard` (this machine's runcode.db) and the
// team server's /dashboard (team.db, admin sign-in). It serves the page and its embedded assets under /dashboard/
// and JSON under /api/dashboard/. Every answer carries a strict Content-Security-Policy (scripts, styles and data
// from this origin only, no inline script), and every request passes the proxy's checks first: the Host must name
// this server (DNS rebinding), and a browser Origin, when sent, must be this server's own. A site with a sign-in
// takes the admin token once, from a form, and answers with a cookie holding a random session id kept in memory
// (HttpOnly, SameSite=Strict, Secure over TLS): the token is never stored, echoed or put in a response.
import { LOCAL_IPS } from "../core/listen";
import { randomBytes } from "node:crypto";
import { log as debugLog } from "../core/log";
import { ASSETS } from "./assets";
import { filterOf, RANGES, type DashboardData } from "./data";
import { signInPage } from "./signin";

export type DashboardSite = {
  data: DashboardData;
  /** What the page calls itself ("this machine", "team"). */
  title: string;
  /** Whether this token opens the dashboard; none: no sign-in (loopback only). */
  signIn?: (token: string) => Promise<boolean>;
};

/** What the server knows of a request: the Host values it answers to (null: any, a wildcard bind), TLS, the peer. */
export type DashboardRequest = { hosts: Set<string> | null; tls: boolean; ip: string };

export type DashboardHandler = (req: Request, at: DashboardRequest) => Promise<Response>;

export const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; " +
  "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const SECURITY: Record<string, string> = {
  "content-security-policy": CSP,
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  // Not no-referrer: with it a browser sends `Origin: null` on the sign-in form's POST, and same-origin is the check.
  "referrer-policy": "same-origin",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
};

const COOKIE = "runcode_dashboard";
const SESSION_MS = 12 * 3_600_000;
const MAX_SESSIONS = 1000;

const respond = (body: string | null, status: number, type: string, extra: Record<string, string> = {}) =>
  new Response(body, { status, headers: { ...SECURITY, "content-type": type, "cache-control": "no-store", ...extra } });
const json = (v: unknown, status = 200) => respond(JSON.stringify(v), status, "application/json; charset=utf-8");
const problem = (status: number, message: string) => json({ error: message }, status);

export function dashboardHandler(site: DashboardSite, o: { now?: () => number; log?: (line: string) => void } = {}): DashboardHandler {
  const now = o.now ?? Date.now;
  const sessions = new Map<string, number>(); // session id → expiry (ms)

  const session = (req: Request) => {
    const sid = cookie(req, COOKIE);
    const until = sid ? sessions.get(sid) : undefined;
    if (!sid || !until) return undefined;
    if (until < now()) {
      sessions.delete(sid);
      return undefined;
    }
    return sid;
  };

  return async (req, at) => {
    const url = new URL(req.url);
    const host = (req.headers.get("host") ?? "").toLowerCase();
    if (at.hosts && !at.hosts.has(host)) return problem(403, `host "${host}" is not this server`);
    const origin = req.headers.get("origin");
    const self = `${at.tls ? "https" : "http"}://${host}`;
    if ((origin && origin !== self) || req.headers.get("sec-fetch-site") === "cross-site" || req.method === "OPTIONS")
      return problem(403, "requests from other sites are refused");
    const path = url.pathname.replace(/\/+$/, "") || "/";
    const api = path.startsWith("/api/dashboard");
    const signedIn = !site.signIn || !!session(req);

    if (site.signIn && path === "/dashboard/signin" && req.method === "POST") {
      // The token must not cross a network in clear: sign-in is over TLS, or from this machine.
      if (!at.tls && !LOCAL_IPS.has(at.ip)) return page(signInPage(site.title, "sign-in is served only over TLS"), 403);
      // A sign-in form is a few hundred bytes, and browsers always say how many: anything else is not read at all.
      const length = Number(req.headers.get("content-length") ?? Number.NaN);
      if (!(length >= 0 && length <= 16_384)) return page(signInPage(site.title, "the sign-in form was too large"), 413);
      const form = await req.formData().catch(() => undefined);
      const token = String(form?.get("token") ?? "").trim();
      const next = String(form?.get("next") ?? "");
      if (!token || !(await site.signIn(token)))
        return page(signInPage(site.title, token ? "that token is not the admin token" : "enter the admin token", next), 401);
      const sid = randomBytes(32).toString("base64url");
      if (sessions.size >= MAX_SESSIONS) sessions.delete(sessions.keys().next().value!);
      sessions.set(sid, now() + SESSION_MS);
      const secure = at.tls ? "; Secure" : "";
      return respond(null, 303, "text/plain", {
        location: `/dashboard/${/^\?[\w%=&.+-]*$/.test(next) ? next : ""}`,
        "set-cookie": `${COOKIE}=${sid}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${SESSION_MS / 1000}${secure}`,
      });
    }
    if (site.signIn && path === "/dashboard/signout" && req.method === "POST") {
      const sid = cookie(req, COOKIE);
      if (sid) sessions.delete(sid);
      return respond(null, 303, "text/plain", {
        location: "/dashboard/",
        "set-cookie": `${COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`,
      });
    }
    if (req.method !== "GET" && req.method !== "HEAD") return problem(405, `${req.method} is not served here`);

    const asset = path.startsWith("/dashboard/assets/") ? ASSETS[path.slice("/dashboard/assets/".length)] : undefined;
    if (asset) return respond(asset.body, 200, asset.type, { "cache-control": "no-cache" });
    if (path === "/dashboard") return signedIn ? page(ASSETS["index.html"]!.body) : page(signInPage(site.title, undefined, url.search));
    if (!api) return problem(404, `no page ${path}`);
    if (!signedIn) return problem(401, "sign in at /dashboard with the admin token");

    try {
      return json(await route(site.data, path.slice("/api/dashboard".length), url.searchParams, now(), site.title));
    } catch (err) {
      if (err instanceof NotFound) return problem(404, err.message);
      const message = err instanceof Error ? err.message : String(err);
      debugLog(`dashboard: ${path}: ${err instanceof Error ? err.stack : message}`);
      o.log?.(`dashboard ${path} failed (${message})`);
      return problem(500, message);
    }
  };
}

class NotFound extends Error {}

const page = (html: string, status = 200) => respond(html, status, "text/html; charset=utf-8");

async function route(data: DashboardData, path: string, q: URLSearchParams, now: number, title: string): Promise<unknown> {
  const f = filterOf(q, now);
  const int = (k: string, d: number, max: number) => Math.min(max, Math.max(0, Number.parseInt(q.get(k) ?? "", 10) || d));
  switch (path) {
    case "/site":
      return { kind: data.kind, title, ranges: RANGES, ...(await data.choices()) };
    case "/version":
      return { version: await data.version() };
    case "/overview":
      return data.overview(f, now);
    case "/models":
      return data.models(f, now);
    case "/requests":
      return data.requests(f, { search: q.get("q") ?? "", page: int("page", 0, 1e6), size: int("size", 50, 200) || 50 });
    case "/request": {
      const r = await data.request(q.get("id") ?? "");
      if (!r) throw new NotFound(`no request ${q.get("id")}`);
      return r;
    }
    case "/patterns":
      return data.patterns(f);
    case "/team":
      if (!data.team) throw new NotFound("the team view is served by `runcode team serve`");
      return data.team(f, now);
  }
  throw new NotFound(`no endpoint /api/dashboard${path}`);
}

function cookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.get("cookie") ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return v.join("=");
  }
  return undefined;
}
