// The proxy's HTTP server: security checks, then one small handler per endpoint. Paths work with and without the
// `/api` prefix (Claude Code is pointed at http://localhost:8402/api, OpenAI tools usually at /v1).
import { listen } from "../core/listen";
import { log } from "../core/log";
import { complete, type Done } from "./forward";
import { readBody } from "./intake";
import { allowedHosts, refuse } from "./security";
import { errorResponse, flavorOf, type Flavor } from "./shapes";
import type { ProxyOptions, ProxyState } from "./state";
import { Recent } from "./switch";
import { countTokens } from "./tokens";

export type Proxy = { port: number; urls: string[]; state: ProxyState; stop: (graceful?: boolean) => Promise<void> };

export function startProxy(o: ProxyOptions): Proxy {
  const s: ProxyState = { ...o, switches: new Recent(), pins: new Recent(), started: Date.now(), inflight: 0 };
  const hosts = allowedHosts(o);
  // Without --host: both loopback families, nothing else. The body limit is refuse()'s (declared length) and
  // readBody's (bytes as they arrive).
  const servers = listen({ host: o.host, port: o.port, fetch: (req) => answer(req, s, hosts), error: lastResort });
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

/** Every answer is JSON in the client's protocol, a fault of the proxy's own too: a 500 without stack or path. */
async function answer(req: Request, s: ProxyState, hosts: Set<string>): Promise<Response> {
  const path = new URL(req.url).pathname.replace(/^\/api(?=\/)/, "").replace(/\/+$/, "");
  const flavor = flavorOf(path, req.headers);
  try {
    return await handle(req, path, flavor, s, hosts);
  } catch (err) {
    s.log(`${req.method} ${path} failed 500 (unexpected error, see runcode-debug.log)`);
    log(`proxy: ${req.method} ${path}: ${err instanceof Error ? err.stack : String(err)}`);
    return errorResponse(flavor, 500, "the runcode proxy failed on this request (unexpected error; details in its log)", "internal_error");
  }
}

/** Bun's last line of defence, should anything escape answer(): the protocol is unknown here, so both shapes' fields. */
const lastResort = () =>
  Response.json(
    { type: "error", error: { type: "api_error", message: "the runcode proxy failed on this request", code: "internal_error" } },
    { status: 500 },
  );

async function handle(req: Request, path: string, flavor: Flavor, s: ProxyState, hosts: Set<string>): Promise<Response> {
  const url = new URL(req.url);
  const refusal = refuse(req, path, s, hosts, flavor);
  if (refusal) {
    s.log(
      `${req.method} ${url.pathname} refused ${refusal.status} origin=${req.headers.get("origin") ?? "-"} host=${req.headers.get("host") ?? "-"}`,
    );
    return refusal;
  }
  const route = `${req.method} ${path}`;
  if (route === "GET /health") return health(s);
  if (route === "GET /v1/models") return models(s);
  if (route === "POST /v1/messages/count_tokens") {
    const read = await readBody(req, s.maxBody, flavor);
    return read instanceof Response ? read : Response.json({ input_tokens: await countTokens(read.body) });
  }
  if (route !== "POST /v1/messages" && route !== "POST /v1/chat/completions")
    return errorResponse(
      flavor,
      404,
      `no route ${req.method} ${url.pathname} (the proxy serves /v1/messages, /v1/chat/completions, /v1/models, /health)`,
    );

  const t0 = performance.now();
  s.inflight++;
  let finished = false;
  const done: Done = (d) => {
    if (finished) return;
    finished = true;
    s.inflight--;
    const tokens = d.usage ? ` in=${d.usage.input} out=${d.usage.output}` : "";
    const ms = performance.now() - t0;
    // One line per request: when, what the client asked for → what answered, status, latency, USD, tokens.
    const at = new Date().toISOString().slice(11, 19);
    const model = d.from ? `${d.from} → ${d.model}` : d.model;
    s.log(
      `${at} ${req.method} ${path} ${model} ${d.status} ${Math.round(ms)}ms $${d.usd.toFixed(4)}${tokens}${d.note ? ` (${d.note})` : ""}`,
    );
    if (d.model !== "-" && d.model !== "(switch)")
      s.record?.({
        model: d.model,
        status: d.status,
        usd: d.usd,
        input: d.usage?.input ?? 0,
        output: d.usage?.output ?? 0,
        latencyMs: ms,
        fallback: /fallback|→/.test(d.note ?? ""),
        note: d.note,
      });
  };
  try {
    return await complete(req, path, flavor, s, done);
  } catch (err) {
    done({ model: "-", status: 500, usd: 0, note: "unexpected error" }); // keeps `inflight` right for the drain on stop
    throw err;
  }
}

function health(s: ProxyState): Response {
  return Response.json({
    status: "ok",
    version: s.version,
    chain: s.chain,
    wallet: s.wallet(),
    uptime: Math.round((Date.now() - s.started) / 1000),
    port: s.port,
    pid: process.pid,
  });
}

/** The catalog plus the routing profiles, in a shape both the OpenAI and the Anthropic SDKs can list. */
function models(s: ProxyState): Response {
  const ids = [...["auto", "eco", "premium", "free"].map((p) => `blockrun/${p}`), ...s.catalog().map((m) => m.id)];
  const data = ids.map((id) => ({
    id,
    object: "model",
    type: "model",
    display_name: id,
    created: 0,
    created_at: "1970-01-01T00:00:00Z",
    owned_by: id.split("/")[0],
  }));
  return Response.json({ object: "list", data, has_more: false, first_id: ids[0] ?? null, last_id: ids.at(-1) ?? null });
}
