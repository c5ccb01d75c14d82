// The team server's admin API (/team/admin/…), once the server has checked the admin token and the transport (TLS,
// or this machine): the admin operations of admin.ts as JSON, and the audit log as JSONL or CSV.
import { ActionableError } from "../core/errors";
import * as admin from "./admin";
import { exported, toCsv, toJsonl } from "./audit";
import type { TeamStore } from "./store";

export async function adminRequest(store: TeamStore, req: Request, path: string, url: URL, t: number): Promise<Response> {
  const body = req.method === "POST" ? ((await req.json().catch(() => ({}))) as Record<string, unknown>) : {};
  const str = (k: string) =>
    typeof body[k] === "string" ? (body[k] as string) : typeof body[k] === "number" ? String(body[k]) : undefined;
  const route = `${req.method} ${path}`;
  try {
    if (route === "GET /team/admin/developers") return Response.json(await admin.list(store, t));
    if (route === "POST /team/admin/developers") {
      const budget = str("budget");
      return Response.json(
        await admin.addDeveloper(store, str("email") ?? "", budget ? admin.checkBudget(budget) : null, admin.checkPeriod(str("per")), t),
      );
    }
    if (route === "POST /team/admin/budget")
      return Response.json(
        await admin.setBudget(store, str("email") ?? "", admin.checkBudget(str("budget") ?? ""), admin.checkPeriod(str("per")), t),
      );
    if (route === "POST /team/admin/revoke") return Response.json(await admin.revoke(store, str("email") ?? "", t));
    if (route === "POST /team/admin/rotate") return Response.json(await admin.rotate(store, str("email") ?? "", t));
    if (route === "GET /team/admin/audit") {
      const since = url.searchParams.get("since");
      const records = await admin.audit(store, {
        since: since ? Number(since) : undefined,
        developer: url.searchParams.get("user") ?? undefined,
      });
      const rows = records.map(exported);
      if (url.searchParams.get("format") === "csv")
        return new Response(toCsv(rows), { headers: { "content-type": "text/csv; charset=utf-8" } });
      return new Response(toJsonl(rows), { headers: { "content-type": "application/x-ndjson" } });
    }
    if (route === "GET /team/admin/verify") return Response.json(await admin.verify(store));
    return Response.json({ error: { type: "not_found", message: `no admin route ${route}` } }, { status: 404 });
  } catch (err) {
    if (err instanceof ActionableError) return Response.json({ error: { type: err.code, message: err.message } }, { status: 400 });
    throw err;
  }
}
