// The proxy's HTTP server: security checks, then one small handler per endpoint. Paths work with and without the
// `/api` prefix (Claude Code is pointed at http://localhost:8402/api, OpenAI tools usually at /v1).
import type { Server } from "bun";
import { complete, type Done } from "./forward";
import { allowedHosts, refuse } from "./security";
import { errorResponse, type Flavor } from "./shapes";
import type { ProxyOptions, ProxyState } from "./state";
import { Recent } from "./switch";
import { countTokens } from "./tokens";

export type Proxy = { port: number; urls: string[]; state: ProxyState; stop: (graceful?: boolean) => Promise<void> };

export function startProxy(o: ProxyOptions): Proxy {
  const s: ProxyState = { ...o, switches: new Recent(), pins: new Recent(), started: Date.now(), inflight: 0 };
  const hosts = allowedHosts(o);
  const fetch = (req: Request) => handle(req, s, hosts);
  // Without --host: both loopback families, nothing else. ::1 may be missing (IPv6 disabled): 127.0.0.1 must bind.
  const binds = o.host ? [o.host] : ["127.0.0.1", "::1"];
  const servers: Server<undefined>[] = [];
  for (const hostname of binds) {
    try {
      servers.push(Bun.serve({ hostname, port: servers[0]?.port ?? o.port, fetch, idleTimeout: 0, maxRequestBodySize: o.maxBody * 2 + 1024 }));
    } catch (err) {
      if (hostname !== "::1") throw err;
    }
  }
  const port = servers[0]!.port!;
  s.port = port;
  hosts.clear();
  for (const h of allowedHosts({ ...o, port })) hosts.add(h);
  return {
    port,
    urls: servers.map((x) => x.url.href),
    state: s,
    async stop(graceful = true) {
      for (const x of servers) x.stop(false); // stop accepting; in-flight requests go on
      const deadline = Date.now() + (o.drainSeconds ?? 10) * 1000;
      while (graceful && s.inflight > 0 && Date.now() < deadline) await Bun.sleep(50);
      for (const x of servers) x.stop(true);
    },
  };
}

async function handle(req: Request, s: ProxyState, hosts: Set<string>): Promise<Response> {
  const url = new URL(req.url);
  const path = url.pathname.replace(/^\/api(?=\/)/, "").replace(/\/+$/, "");
  const flavor: Flavor = path === "/v1/chat/completions" || path === "/v1/models" ? "openai" : "anthropic";
  const refusal = refuse(req, path, s, hosts, flavor);
  if (refusal) {
    s.log(`${req.method} ${url.pathname} refused ${refusal.status} origin=${req.headers.get("origin") ?? "-"} host=${req.headers.get("host") ?? "-"}`);
    return refusal;
  }
  const route = `${req.method} ${path}`;
  if (route === "GET /health") return health(s);
  if (route === "GET /v1/models") return models(s);
  if (route === "POST /v1/messages/count_tokens") {
    let body: unknown;
    try {
      body = JSON.parse(await req.text());
    } catch {
      return errorResponse("anthropic", 400, "the request body is not valid JSON");
    }
    if (!body || typeof body !== "object") return errorResponse("anthropic", 400, "the request body must be a JSON object");
    return Response.json({ input_tokens: await countTokens(body) });
  }
  if (route !== "POST /v1/messages" && route !== "POST /v1/chat/completions")
    return errorResponse(flavor, 404, `no route ${req.method} ${url.pathname} (the proxy serves /v1/messages, /v1/chat/completions, /v1/models, /health)`);

  const t0 = performance.now();
  s.inflight++;
  const done: Done = (d) => {
    s.inflight--;
    const tokens = d.usage ? ` in=${d.usage.input} out=${d.usage.output}` : "";
    const ms = performance.now() - t0;
    s.log(`${req.method} ${path} ${d.model} ${d.status} ${Math.round(ms)}ms $${d.usd.toFixed(4)}${tokens}${d.note ? ` (${d.note})` : ""}`);
    if (d.model !== "-" && d.model !== "(switch)")
      s.record?.({ model: d.model, status: d.status, usd: d.usd, input: d.usage?.input ?? 0, output: d.usage?.output ?? 0, latencyMs: ms, fallback: /fallback|→/.test(d.note ?? ""), note: d.note });
  };
  return complete(req, path, flavor, s, done);
}

function health(s: ProxyState): Response {
  return Response.json({ status: "ok", version: s.version, chain: s.chain, wallet: s.wallet(), uptime: Math.round((Date.now() - s.started) / 1000), port: s.port, pid: process.pid });
}

/** The catalog plus the routing profiles, in a shape both the OpenAI and the Anthropic SDKs can list. */
function models(s: ProxyState): Response {
  const ids = [...["auto", "eco", "premium", "free"].map((p) => `blockrun/${p}`), ...s.catalog().map((m) => m.id)];
  const data = ids.map((id) => ({ id, object: "model", type: "model", display_name: id, created: 0, created_at: "1970-01-01T00:00:00Z", owned_by: id.split("/")[0] }));
  return Response.json({ object: "list", data, has_more: false, first_id: ids[0] ?? null, last_id: ids.at(-1) ?? null });
}
