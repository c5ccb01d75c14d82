// Where runcode's servers listen (the proxy, the team server, the dashboard): the address given, or both loopback
// families (127.0.0.1 and ::1) on one port. ::1 may be missing (IPv6 disabled); 127.0.0.1 must bind. Bun's own error
// page (source, paths) is never shown (development: false), and its body-size limit is out of the way: each server
// counts a body's bytes itself, so a refusal is an answer in its own shape, not an empty 413.
import type { Server } from "bun";

export type Listen = {
  host?: string;
  port: number;
  fetch: (req: Request, server: Server<undefined>) => Response | Promise<Response>;
  /** The answer when `fetch` throws despite its own handling (a last resort, in the server's shape). */
  error: () => Response;
  tls?: { cert: string; key: string };
};

/** Client addresses that are this machine (where a secret may travel without TLS). */
export const LOCAL_IPS: ReadonlySet<string> = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

export function listen(o: Listen): Server<undefined>[] {
  const servers: Server<undefined>[] = [];
  for (const hostname of o.host ? [o.host] : ["127.0.0.1", "::1"]) {
    try {
      servers.push(
        Bun.serve({
          hostname,
          port: servers[0]?.port ?? o.port,
          fetch: o.fetch,
          error: o.error,
          tls: o.tls,
          development: false,
          idleTimeout: 0,
          maxRequestBodySize: Number.MAX_SAFE_INTEGER,
        }),
      );
    } catch (err) {
      if (hostname !== "::1") throw err;
    }
  }
  return servers;
}
