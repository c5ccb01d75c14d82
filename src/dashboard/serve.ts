// `runcode dashboard`'s own server: the dashboard handler on loopback (both families, as the proxy binds), or on
// --host with TLS. It answers only /dashboard and /api/dashboard; everything else is a 404.
import { listen } from "../core/listen";
import { allowedHosts } from "../proxy/security";
import { dashboardHandler, type DashboardSite } from "./http";

export type DashboardServer = { port: number; urls: string[]; stop: () => void };

export function startDashboard(o: {
  site: DashboardSite;
  port: number;
  host?: string;
  tls?: { cert: string; key: string };
  log: (line: string) => void;
}): DashboardServer {
  const handle = dashboardHandler(o.site, { log: o.log });
  let hosts = new Set<string>();
  const wildcard = o.host === "0.0.0.0" || o.host === "::";
  const servers = listen({
    host: o.host,
    port: o.port,
    tls: o.tls,
    fetch: (req, server) => {
      const path = new URL(req.url).pathname;
      if (path === "/") return Response.redirect("/dashboard/", 302);
      if (!/^\/(api\/)?dashboard(\/|$)/.test(path)) return new Response("not found: the dashboard is at /dashboard/\n", { status: 404 });
      return handle(req, { hosts: wildcard ? null : hosts, tls: !!o.tls, ip: server.requestIP(req)?.address ?? "" });
    },
    error: () => new Response("the dashboard failed on this request\n", { status: 500 }),
  });
  const port = servers[0]!.port!;
  hosts = allowedHosts({ port, host: o.host, origins: [], maxBody: 0 });
  return {
    port,
    urls: servers.map((s) => s.url.href),
    stop: () => {
      for (const s of servers) s.stop(true);
    },
  };
}
