// The proxy spends the user's money, and any web page in their browser can send a request to localhost. Every
// request passes these checks before anything is read, forwarded or paid:
// - Host must name this proxy (localhost / 127.0.0.1 / [::1] with our port, or the --host value): a DNS-rebinding
//   page reaches us under its own host name and is refused here.
// - Origin, when present, must be `null` or allow-listed: browsers always send it on cross-origin POSTs.
// - POST bodies must be `application/json`. A page (or a sandboxed frame whose Origin is `null`) can only send JSON
//   cross-origin after a CORS preflight, which this proxy never approves, so "simple" text/plain POSTs are closed too.
// - The optional token, compared in constant time; and the body size limit.
import { createHash, timingSafeEqual } from "node:crypto";
import { errorResponse, type Flavor } from "./shapes";

export type Guard = { port: number; host?: string; token?: string; origins: string[]; maxBody: number };

export function allowedHosts(g: Guard): Set<string> {
  const names = ["localhost", "127.0.0.1", "[::1]"];
  if (g.host) names.push(g.host.includes(":") && !g.host.startsWith("[") ? `[${g.host}]` : g.host);
  return new Set(names.map((n) => `${n.toLowerCase()}:${g.port}`));
}

const digest = (s: string) => createHash("sha256").update(s).digest();
const same = (a: string, b: string) => timingSafeEqual(digest(a), digest(b));

function presented(req: Request): string | undefined {
  const auth = req.headers.get("authorization");
  if (auth && /^bearer\s+/i.test(auth)) return auth.replace(/^bearer\s+/i, "").trim();
  return req.headers.get("x-api-key") ?? undefined;
}

/** A refusal in the client's error shape, or undefined when the request may proceed. */
export function refuse(req: Request, path: string, g: Guard, hosts: Set<string>, flavor: Flavor): Response | undefined {
  const host = (req.headers.get("host") ?? "").toLowerCase();
  if (!hosts.has(host))
    return errorResponse(flavor, 403, `host "${host}" is not this proxy (requests must address localhost:${g.port})`, "forbidden_host");
  const origin = req.headers.get("origin");
  if (origin && origin !== "null" && !g.origins.includes(origin))
    return errorResponse(
      flavor,
      403,
      `browser requests from ${origin} are refused (allow it with \`runcode config set proxy-allowed-origins ${origin}\`)`,
      "forbidden_origin",
    );
  if (req.method === "OPTIONS") return errorResponse(flavor, 403, "CORS preflight requests are refused", "forbidden_origin");
  if (g.token && path !== "/health") {
    const t = presented(req);
    if (!t || !same(t, g.token))
      return errorResponse(
        flavor,
        401,
        "missing or wrong proxy token (send it as `Authorization: Bearer <token>` or `x-api-key`)",
        "invalid_token",
      );
  }
  if (req.method === "POST") {
    const type = req.headers.get("content-type") ?? "";
    if (!/^application\/json\b/i.test(type))
      return errorResponse(flavor, 415, "request bodies must be sent with content-type: application/json", "unsupported_media_type");
    const length = Number(req.headers.get("content-length") ?? 0);
    if (length > g.maxBody) return tooLarge(flavor, g.maxBody);
  }
  return undefined;
}

export const tooLarge = (flavor: Flavor, max: number) =>
  errorResponse(
    flavor,
    413,
    `request body over ${max >= 1048576 ? `${Math.round(max / 1048576)} MB` : `${Math.ceil(max / 1024)} KB`} (raise it with \`runcode config set proxy-max-body-mb <n>\`)`,
    "request_too_large",
  );
