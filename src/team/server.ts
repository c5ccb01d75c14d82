// The team server: the gateway's API for a team's developers, paid from the one team wallet. Every request is
// checked (Host, Origin, content type, size) and authenticated by its developer token before anything is read,
// forwarded or paid; a model request then goes through the proxy's one forwarding path (src/proxy/forward.ts) with
// a gateway whose payments also reserve against the developer's budget (src/team/hold.ts); and every request,
// refused or served, ends as one record in the hash-chained audit log. The admin API (/team/admin/) takes only the
// admin token, and only over TLS or from the machine itself.
import { createHash, randomBytes } from "node:crypto";
import type { Server } from "bun";
import { listen, LOCAL_IPS } from "../core/listen";
import { log as debugLog } from "../core/log";
import { ActionableError } from "../core/errors";
import type { DashboardHandler } from "../dashboard/http";
import type { Gateway } from "../gateway/client";
import { complete, type Done } from "../proxy/forward";
import { readBody, type Intake } from "../proxy/intake";
import { allowedHosts, tooLarge } from "../proxy/security";
import { errorResponse, flavorOf, type Flavor } from "../proxy/shapes";
import type { ProxyOptions, ProxyState } from "../proxy/state";
import { Recent } from "../proxy/switch";
import { countTokens } from "../proxy/tokens";
import { wasSigned } from "../money";
import { usdToAtomic } from "../money/usd";
import * as admin from "./admin";
import { adminRequest } from "./admin-http";
import { AuditQueue } from "./audit-queue";
import { developerHold, TeamBudgetRefusal, type RequestHold } from "./hold";
import { StoreUnavailable, type AuditEntry, type Developer, type TeamStore } from "./store";
import { presented, sameHash, TOKEN_SHAPE, tokenHash } from "./tokens";

/** What the proxy's forwarding needs (no port, token or per-request log: the team server has its own). */
export type Forwarding = Omit<ProxyOptions, "port" | "host" | "token" | "log" | "record" | "drainSeconds"> & {
  gateway: Gateway;
};

export type TeamServerOptions = {
  store: TeamStore;
  /** This server's id: the reservations it makes name it, so its own restart can resolve them from its ledger. */
  server: string;
  forwarding: Forwarding;
  port: number;
  /** Bind address; default loopback (127.0.0.1 and ::1). */
  host?: string;
  /** PEM certificate and key: Bun's own TLS. */
  tls?: { cert: string; key: string };
  /** Store each request body in its audit record (off: only its SHA-256). */
  auditPrompts?: boolean;
  /** Requests per minute per developer token (a bucket that refills continuously). */
  ratePerMinute: number;
  log: (line: string) => void;
  /** The gateway's catalog as it serves it (prices, free models): what runcode clients route with. */
  catalog: () => Promise<Response>;
  now?: () => number;
  drainSeconds?: number;
  /** /dashboard and /api/dashboard for the admin (src/team/dashboard.ts), made at the first such request. */
  dashboard?: () => Promise<DashboardHandler>;
};

export type TeamServer = { port: number; urls: string[]; stop: (graceful?: boolean) => Promise<void>; inflight: () => number };

const WILDCARD = new Set(["0.0.0.0", "::", "[::]"]);
const MODEL_ROUTES = new Set(["POST /v1/messages", "POST /v1/chat/completions"]);
const PASS_ROUTES = new Set(["POST /v1/images/generations", "POST /v1/search"]);

export function startTeamServer(o: TeamServerOptions): TeamServer {
  const now = o.now ?? Date.now;
  const state: ProxyState = {
    ...o.forwarding,
    port: o.port,
    log: o.log,
    switches: new Recent(),
    pins: new Recent(),
    started: now(),
    inflight: 0,
  };
  const buckets = new Map<number, { tokens: number; at: number }>();
  const audit = new AuditQueue(o.store, o.log);
  let dashboard: Promise<DashboardHandler> | undefined;
  const servers = listen({
    host: o.host,
    port: o.port,
    tls: o.tls,
    fetch: (req, server) => answer(req, server),
    error: () =>
      Response.json({ type: "error", error: { type: "api_error", message: "the team server failed on this request" } }, { status: 500 }),
  });
  const port = servers[0]!.port!;
  state.port = port;
  // The proxy's Host rule: loopback names and --host, with the port. A wildcard bind has no one name to expect.
  const anyHost = !!o.host && WILDCARD.has(o.host);
  const hosts = allowedHosts({ port, host: anyHost ? undefined : o.host, origins: [], maxBody: 0 });

  async function answer(req: Request, server: Server<undefined>): Promise<Response> {
    const url = new URL(req.url);
    // The dashboard applies this server's Host rule (and its own same-origin rule: its sign-in form posts from it).
    if (o.dashboard && /^\/(api\/)?dashboard(\/|$)/.test(url.pathname))
      return (await (dashboard ??= o.dashboard()))(req, {
        hosts: anyHost ? null : hosts,
        tls: !!o.tls,
        ip: server.requestIP(req)?.address ?? "",
      });
    const path = url.pathname.replace(/^\/api(?=\/)/, "").replace(/\/+$/, "");
    const flavor = flavorOf(path, req.headers);
    const t0 = performance.now();
    const request = randomBytes(9).toString("base64url");
    const entry = (e: Partial<AuditEntry>): AuditEntry => ({
      at: now(),
      request,
      developer: null,
      client: req.headers.get("user-agent")?.slice(0, 200) ?? null,
      method: req.method,
      path,
      modelAsked: null,
      modelServed: null,
      input: 0,
      output: 0,
      amount: 0n,
      status: 0,
      latencyMs: Math.round((performance.now() - t0) * 1000) / 1000,
      bodySha256: null,
      note: null,
      prompt: null,
      ...e,
    });
    const record = (e: Partial<AuditEntry>) => audit.add(entry(e));
    /** A refusal: the client gets it in its own shape, and the audit log keeps it. */
    const refuse = async (status: number, message: string, code: string, dev?: Developer, headers?: Record<string, string>) => {
      await record({ developer: dev?.email ?? null, status, note: message.slice(0, 300) });
      o.log(`${at()} ${req.method} ${path} ${dev?.email ?? "-"} refused ${status} (${code})`);
      const res = errorResponse(flavor, status, message, code);
      for (const [k, v] of Object.entries(headers ?? {})) res.headers.set(k, v);
      return res;
    };
    try {
      // Host and Origin: the proxy's rules. A wildcard bind has no one name to expect: the token is what protects it.
      const host = (req.headers.get("host") ?? "").toLowerCase();
      if (!anyHost && !hosts.has(host)) return errorResponse(flavor, 403, `host "${host}" is not this team server`, "forbidden_host");
      const origin = req.headers.get("origin");
      if ((origin && origin !== "null" && !o.forwarding.origins.includes(origin)) || req.method === "OPTIONS")
        return errorResponse(flavor, 403, `browser requests${origin ? ` from ${origin}` : ""} are refused`, "forbidden_origin");
      if (req.method === "GET" && path === "/health") return await health();

      const token = presented(req.headers);
      if (path.startsWith("/team/admin/")) return await adminRoute(req, path, url, token, server, refuse);
      const dev = token && TOKEN_SHAPE.test(token) && token.startsWith("rct_") ? await o.store.byToken(tokenHash(token)) : undefined;
      if (!dev)
        return await refuse(
          401,
          token
            ? "this team token is not valid (revoked, rotated or mistyped)"
            : "a team token is required (`Authorization: Bearer rct_…` or `x-api-key`)",
          "invalid_token",
        );
      const wait = limited(dev);
      if (wait)
        return await refuse(429, `${dev.email} sent more than ${o.ratePerMinute} requests a minute`, "rate_limited", dev, {
          "retry-after": String(wait),
        });

      const route = `${req.method} ${path}`;
      if (route === "GET /team/me") return Response.json(await admin.view(o.store, dev, now()));
      if (route === "GET /v1/models") return await o.catalog();
      if (req.method === "GET" && path.startsWith("/v1/images/generations/")) {
        const res = await o.forwarding.gateway.get(path, { timeoutMs: 30_000 });
        return new Response(res.body, {
          status: res.status,
          headers: { "content-type": res.headers.get("content-type") ?? "application/json" },
        });
      }
      if (req.method === "POST") {
        const type = req.headers.get("content-type") ?? "";
        if (!/^application\/json\b/i.test(type))
          return await refuse(415, "request bodies must be sent with content-type: application/json", "unsupported_media_type", dev);
        if (Number(req.headers.get("content-length") ?? 0) > o.forwarding.maxBody) {
          await record({ developer: dev.email, status: 413, note: "body too large" });
          return tooLarge(flavor, o.forwarding.maxBody);
        }
      }
      if (route === "POST /v1/messages/count_tokens") {
        const read = await readBody(req, o.forwarding.maxBody, flavor);
        return read instanceof Response ? read : Response.json({ input_tokens: await countTokens(read.body) });
      }
      if (!MODEL_ROUTES.has(route) && !PASS_ROUTES.has(route))
        return await refuse(404, `no route ${req.method} ${url.pathname} on this team server`, "not_found", dev);
      return await paid(req, route, path, flavor, dev, request, t0, record);
    } catch (err) {
      if (err instanceof StoreUnavailable) {
        o.log(`${at()} ${req.method} ${path} refused 503 (${err.message})`);
        void record({ status: 503, note: err.message.slice(0, 300) }); // waits for the store to come back
        return errorResponse(flavor, 503, `${err.message}; nothing was paid: retry shortly`, "store");
      }
      o.log(`${at()} ${req.method} ${path} failed 500 (unexpected error, see runcode-debug.log)`);
      debugLog(`team: ${req.method} ${path}: ${err instanceof Error ? err.stack : String(err)}`);
      return errorResponse(flavor, 500, "the team server failed on this request (unexpected error; details in its log)", "internal_error");
    }
  }

  /** A request that may be paid: the developer's hold rides on its gateway; the audit record is written at its end. */
  async function paid(
    req: Request,
    route: string,
    path: string,
    flavor: Flavor,
    dev: Developer,
    request: string,
    t0: number,
    record: (e: Partial<AuditEntry>) => Promise<void>,
  ): Promise<Response> {
    const read = await readBody(req, o.forwarding.maxBody, flavor);
    const bodySha256 = read instanceof Response ? null : createHash("sha256").update(read.raw).digest("hex");
    const prompt = o.auditPrompts && !(read instanceof Response) ? read.raw : null;
    const hold = developerHold(o.store, dev, request, o.server, now);
    const gateway = o.forwarding.gateway;
    const held: Pick<Gateway, "forward"> = {
      forward: (p, body, f = {}) => gateway.forward(p, body, { ...f, hold }).catch((err: unknown) => Promise.reject(teamSide(err))),
    };
    state.inflight++;
    let finished = false;
    const done: Done = (d) => {
      if (finished) return;
      finished = true;
      // In flight until its audit record is written: a graceful stop waits for it (an async store writes later).
      void finish(d, hold, dev, path, read, t0, bodySha256, prompt, record).finally(() => state.inflight--);
    };
    if (read instanceof Response) {
      done({ model: "-", status: read.status, usd: 0, note: "invalid request body" });
      return read;
    }
    if (PASS_ROUTES.has(route)) return passThrough(path, read, held, done, flavor);
    try {
      return await complete(req, path, flavor, { ...state, gateway: held }, done, read);
    } catch (err) {
      done({ model: "-", status: 500, usd: 0, note: "unexpected error" });
      throw err;
    }
  }

  async function finish(
    d: Parameters<Done>[0],
    hold: RequestHold,
    dev: Developer,
    path: string,
    read: Intake | Response,
    t0: number,
    bodySha256: string | null,
    prompt: string | null,
    record: (e: Partial<AuditEntry>) => Promise<void>,
  ) {
    await hold.flush();
    const amount = hold.settled();
    const ms = performance.now() - t0;
    const asked = read instanceof Response ? null : (d.from ?? (typeof read.body.model === "string" ? read.body.model : null));
    const served = d.model === "-" || d.model === "(switch)" ? null : d.model;
    const tokens = d.usage ? ` in=${d.usage.input} out=${d.usage.output}` : "";
    o.log(
      `${at()} POST ${path} ${dev.email} ${asked && served && asked !== served ? `${asked} → ${served}` : (served ?? asked ?? "-")} ${d.status} ${Math.round(ms)}ms $${(Number(amount) / 1e6).toFixed(4)}${tokens}${d.note ? ` (${d.note})` : ""}`,
    );
    await record({
      developer: dev.email,
      modelAsked: asked,
      modelServed: served,
      input: d.usage?.input ?? 0,
      output: d.usage?.output ?? 0,
      amount: amount || (d.usd > 0 ? usdToAtomic(d.usd) : 0n),
      status: d.status,
      latencyMs: Math.round(ms * 1000) / 1000,
      bodySha256,
      note: d.note ? d.note.slice(0, 300) : null,
      prompt,
    });
  }

  /** Images and search: paid like a model call, answered as the gateway answered (no fallback, no rewriting). */
  async function passThrough(path: string, read: Intake, gw: Pick<Gateway, "forward">, done: Done, flavor: Flavor): Promise<Response> {
    const model = typeof read.body.model === "string" ? read.body.model : undefined;
    try {
      const r = await gw.forward(path, read.raw, { model });
      const text = await r.response.text();
      done({ model: model ?? path, status: r.response.status, usd: r.usd });
      return new Response(text, {
        status: r.response.status,
        headers: { "content-type": r.response.headers.get("content-type") ?? "application/json" },
      });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const code = err instanceof ActionableError ? err.code : "gateway_unreachable";
      const status = err instanceof ActionableError && err.exit === 3 ? 402 : 502;
      done({ model: model ?? path, status, usd: 0, note: message });
      return errorResponse(flavor, status, message, code);
    }
  }

  /** The admin API: the admin token, over TLS or from this machine (a token sent in clear over a network is spent). */
  async function adminRoute(
    req: Request,
    path: string,
    url: URL,
    token: string | undefined,
    server: Server<undefined>,
    refuse: (status: number, message: string, code: string) => Promise<Response>,
  ): Promise<Response> {
    const ip = server.requestIP(req)?.address ?? "";
    const local = LOCAL_IPS.has(ip);
    if (!o.tls && !local)
      return refuse(403, "the admin API is served only over TLS (start the server with --tls-cert and --tls-key)", "forbidden");
    const stored = await o.store.adminHash();
    if (!token || !stored || !TOKEN_SHAPE.test(token) || !sameHash(tokenHash(token), stored))
      return refuse(401, "the admin token is missing or wrong", "invalid_token");
    return adminRequest(o.store, req, path, url, now());
  }

  async function health(): Promise<Response> {
    let database = "ok";
    try {
      await o.store.adminHash();
    } catch (err) {
      database = err instanceof Error ? err.message : String(err);
    }
    return Response.json(
      {
        status: database === "ok" ? "ok" : "degraded",
        version: o.forwarding.version,
        chain: o.forwarding.chain,
        wallet: o.forwarding.wallet(),
        database,
        port,
      },
      { status: database === "ok" ? 200 : 503 },
    );
  }

  /** Seconds to wait when the developer's bucket is empty, else undefined (and one request is taken from it). */
  function limited(dev: Developer): number | undefined {
    const t = now();
    const rate = o.ratePerMinute / 60_000;
    const b = buckets.get(dev.id) ?? { tokens: o.ratePerMinute, at: t };
    b.tokens = Math.min(o.ratePerMinute, b.tokens + (t - b.at) * rate);
    b.at = t;
    buckets.set(dev.id, b);
    if (b.tokens < 1) return Math.max(1, Math.ceil((1 - b.tokens) / rate / 1000));
    b.tokens -= 1;
    return undefined;
  }

  return {
    port,
    urls: servers.map((x) => x.url.href),
    inflight: () => state.inflight,
    async stop(graceful = true) {
      for (const x of servers) x.stop(false);
      const deadline = Date.now() + (o.drainSeconds ?? 10) * 1000;
      while (graceful && (state.inflight > 0 || audit.pending() > 0) && Date.now() < deadline) await Bun.sleep(50);
      for (const x of servers) x.stop(true);
    },
  };
}

const at = () => new Date().toISOString().slice(11, 19);

/**
 * A refusal by one of the team wallet's own limits (max-usd-per-request, max-usd-per-day on the team machine) says
 * so: its fix is a command for the admin, not for the developer who reads it. Only refusals made before anything
 * was signed are reworded (a signed attempt's error carries the mark the proxy's fallback reads).
 */
function teamSide(err: unknown): unknown {
  if (!(err instanceof ActionableError) || err.code !== "payment_refused" || err instanceof TeamBudgetRefusal || wasSigned(err)) return err;
  return new ActionableError(
    `the team wallet's limit: ${err.summary}`,
    `ask your team admin${err.fix ? ` (on the team machine: ${err.fix.replace(/, or use a (cheaper|free) model.*$/, "")})` : ""}, or use a free model with -m free`,
    err.code,
    err.exit,
  );
}
