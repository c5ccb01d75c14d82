// `runcode team`: a shared wallet for a team. On the team's machine (which holds the wallet): init, add developers
// with budgets, serve the gateway API to them, read and verify the audit log. The admin commands open team.db there,
// or reach a running server's admin API with --server and RUNCODE_TEAM_ADMIN_TOKEN (over TLS). docs/team.md.
import { readFileSync } from "node:fs";
import { defineCommand } from "citty";
import { err, out } from "../cli/io";
import { context, type CliContext } from "../cli/context";
import { ActionableError, usageError } from "../core/errors";
import { addSecret } from "../core/secrets";
import type { DeveloperView } from "../team/admin";
import type { Exported, Verdict } from "../team/audit";
import type { TeamStore } from "../team/store";

const dbArg = {
  db: { type: "string", description: "the team store: a postgres:// URL or a file (default: config team-db, else team.db)" },
} as const;
const serverArg = {
  server: { type: "string", description: "a running team server's URL (admin API over TLS; token in RUNCODE_TEAM_ADMIN_TOKEN)" },
  ...dbArg,
} as const;

/** The admin operations, on team.db here or through a server's admin API. */
type Ops = {
  add: (email: string, budget: string | undefined, per: string | undefined) => Promise<{ developer: DeveloperView; token: string }>;
  budget: (email: string, budget: string, per: string | undefined) => Promise<DeveloperView>;
  list: () => Promise<DeveloperView[]>;
  revoke: (email: string) => Promise<DeveloperView>;
  rotate: (email: string) => Promise<{ developer: DeveloperView; token: string }>;
  audit: (f: { since?: number; user?: string }) => Promise<Exported[]>;
  verify: () => Promise<Verdict>;
  close: () => Promise<void>;
};

async function openTeam(ctx: CliContext, db: string | undefined, create = false): Promise<TeamStore> {
  const { openTeamStore, teamSpec } = await import("../team/open");
  return openTeamStore(teamSpec(ctx.paths, db, ctx.get), { create });
}

async function ops(at: { server?: string; db?: string }): Promise<Ops> {
  const ctx = context();
  return at.server ? remote(ctx, at.server) : local(ctx, at.db);
}

async function local(ctx: CliContext, db: string | undefined): Promise<Ops> {
  const store = await openTeam(ctx, db);
  const admin = await import("../team/admin");
  const { exported } = await import("../team/audit");
  const now = Date.now;
  const budget = (b: string | undefined) => (b === undefined ? null : admin.checkBudget(b));
  return {
    add: (email, b, per) => admin.addDeveloper(store, email, budget(b), admin.checkPeriod(per), now()),
    budget: (email, b, per) => admin.setBudget(store, email, admin.checkBudget(b), admin.checkPeriod(per), now()),
    list: () => admin.list(store, now()),
    revoke: (email) => admin.revoke(store, email, now()),
    rotate: (email) => admin.rotate(store, email, now()),
    audit: async (f) => (await admin.audit(store, { since: f.since, developer: f.user })).map(exported),
    verify: () => admin.verify(store),
    close: () => store.close(),
  };
}

function remote(ctx: CliContext, server: string): Ops {
  const token = ctx.env.RUNCODE_TEAM_ADMIN_TOKEN;
  if (!token)
    throw usageError(
      "--server needs the admin token in RUNCODE_TEAM_ADMIN_TOKEN",
      "export RUNCODE_TEAM_ADMIN_TOKEN=rca_… (printed by `runcode team init`)",
    );
  addSecret(token);
  let base: URL;
  try {
    base = new URL(server);
  } catch {
    throw usageError(`--server must be a URL, got "${server}"`, "e.g. --server https://team.example:8403");
  }
  const loopback = ["localhost", "127.0.0.1", "[::1]"].includes(base.hostname);
  if (base.protocol !== "https:" && !loopback)
    throw usageError(
      `refusing to send the admin token to ${base.origin} without TLS`,
      `use https:// (start the server with --tls-cert and --tls-key)`,
    );
  const call = async (method: string, path: string, body?: unknown) => {
    let res: Response;
    try {
      res = await fetch(new URL(`/team/admin/${path}`, base), {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
        body: body ? JSON.stringify(body) : undefined,
        tls: { ca: ctx.env.RUNCODE_TEAM_CA ? readFileSync(ctx.env.RUNCODE_TEAM_CA, "utf8") : undefined },
      } as RequestInit);
    } catch (e) {
      throw new ActionableError(
        `cannot reach the team server at ${base.origin} (${e instanceof Error ? e.message : String(e)})`,
        "check the URL and that `runcode team serve` runs there",
        "gateway_unreachable",
      );
    }
    const text = await res.text();
    if (!res.ok) {
      let message = text.slice(0, 300);
      try {
        message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? message;
      } catch {}
      throw new ActionableError(`the team server refused: ${message}`, "", "usage");
    }
    return text;
  };
  const json = async <T>(method: string, path: string, body?: unknown) => JSON.parse(await call(method, path, body)) as T;
  return {
    add: (email, budget, per) => json("POST", "developers", { email, budget, per }),
    budget: (email, budget, per) => json("POST", "budget", { email, budget, per }),
    list: () => json("GET", "developers"),
    revoke: (email) => json("POST", "revoke", { email }),
    rotate: (email) => json("POST", "rotate", { email }),
    audit: async (f) => {
      const q = new URLSearchParams();
      if (f.since !== undefined) q.set("since", String(f.since));
      if (f.user) q.set("user", f.user);
      const text = await call("GET", `audit?${q}`);
      return text
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Exported);
    },
    verify: () => json("GET", "verify"),
    close: async () => {},
  };
}

/** Runs an admin operation and always closes what it opened. */
async function withOps<T>(at: { server?: string; db?: string }, fn: (o: Ops) => Promise<T>): Promise<T> {
  const o = await ops(at);
  try {
    return await fn(o);
  } finally {
    await o.close();
  }
}

const money = (v: DeveloperView) => (v.budget === null ? "no budget" : `${v.left} of ${v.budget} left this ${v.period}`);

function printToken(email: string, token: string, what: string) {
  // The token is the product of the command: stdout, once. It is never stored or shown again.
  out(`${token}\n`);
  err(
    `${what} ${email}. This token is shown only once; the developer runs:\n  runcode login <team server URL> --token ${"<the token above>"}\n`,
  );
}

/** "7d", "12h", "30m", or a date → ms since the epoch. */
export function parseSince(v: string, now = Date.now()): number {
  const m = /^(\d+)([dhm])$/.exec(v.trim());
  if (m) return now - Number(m[1]) * { d: 86_400_000, h: 3_600_000, m: 60_000 }[m[2] as "d" | "h" | "m"];
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw usageError(`--since must be like 7d, 12h, 30m or a date, got "${v}"`, "e.g. --since 7d");
  return t;
}

const init = defineCommand({
  meta: { name: "init", description: "Create the team database next to the wallet and print the admin token once" },
  args: {
    "new-admin-token": { type: "boolean", description: "replace the admin token of an existing team (the old one stops working)" },
    ...dbArg,
  },
  async run({ args }) {
    const ctx = context();
    const { newToken, tokenHash } = await import("../team/tokens");
    const store = await openTeam(ctx, args.db, true);
    const existed = !!(await store.adminHash());
    try {
      if (existed && !args["new-admin-token"])
        throw new ActionableError(
          `a team already exists at ${store.where}`,
          "replace its admin token with `runcode team init --new-admin-token`, or add developers with `runcode team add`",
          "usage",
        );
      const token = newToken("admin");
      await store.setAdminHash(tokenHash(token), Date.now());
      out(`${token}\n`);
      err(
        `${existed ? "new admin token for" : "team created in"} ${store.where}. The admin token above is shown only once (remote admin: RUNCODE_TEAM_ADMIN_TOKEN).\nNext: runcode team add dev@example.com --budget 50, then runcode team serve\n`,
      );
      return 0;
    } finally {
      await store.close();
    }
  },
});

const add = defineCommand({
  meta: { name: "add", description: "Add a developer and print their token once" },
  args: {
    email: { type: "positional", required: true, description: "the developer's email" },
    budget: { type: "string", description: "USD they may spend per period (default: no budget of their own)" },
    per: { type: "string", description: "day, week (default) or month" },
    ...serverArg,
  },
  async run({ args }) {
    const r = await withOps(args, (o) => o.add(args.email, args.budget, args.per));
    printToken(r.developer.email, r.token, `added ${money(r.developer)}:`);
    return 0;
  },
});

const budget = defineCommand({
  meta: { name: "budget", description: "Set a developer's budget: runcode team budget dev@example.com 50 [--per week]" },
  args: {
    email: { type: "positional", required: true, description: "the developer's email" },
    usd: { type: "positional", required: true, description: "USD per period, or none" },
    per: { type: "string", description: "day, week (default) or month" },
    ...serverArg,
  },
  async run({ args }) {
    const v = await withOps(args, (o) => o.budget(args.email, args.usd, args.per));
    err(`${v.email}: ${money(v)} (spent ${v.spent}; resets ${v.resets})\n`);
    return 0;
  },
});

const list = defineCommand({
  meta: { name: "list", description: "The team's developers with their budget, spent and left this period" },
  args: { json: { type: "boolean", description: "print as JSON" }, ...serverArg },
  async run({ args }) {
    const rows = await withOps(args, (o) => o.list());
    if (args.json) {
      out(`${JSON.stringify(rows, null, 2)}\n`);
      return 0;
    }
    if (!rows.length) {
      err("no developers yet: add one with `runcode team add dev@example.com --budget 50`\n");
      return 0;
    }
    const w = Math.max(5, ...rows.map((r) => r.email.length));
    out(`${"EMAIL".padEnd(w)}  STATUS   BUDGET           SPENT       LEFT        RESETS\n`);
    for (const r of rows)
      out(
        `${r.email.padEnd(w)}  ${r.status.padEnd(7)}  ${(r.budget ? `${r.budget}/${r.period}` : "-").padEnd(15)}  ${r.spent.padEnd(10)}  ${(r.left ?? "-").padEnd(10)}  ${r.resets.slice(0, 16).replace("T", " ")}\n`,
      );
    return 0;
  },
});

const revoke = defineCommand({
  meta: { name: "revoke", description: "Revoke a developer's token (takes effect on their next request)" },
  args: { email: { type: "positional", required: true, description: "the developer's email" }, ...serverArg },
  async run({ args }) {
    const v = await withOps(args, (o) => o.revoke(args.email));
    err(`revoked ${v.email}: their token is refused from the next request (a new one: runcode team rotate ${v.email})\n`);
    return 0;
  },
});

const rotate = defineCommand({
  meta: { name: "rotate", description: "Give a developer a new token (the old one stops working) and print it once" },
  args: { email: { type: "positional", required: true, description: "the developer's email" }, ...serverArg },
  async run({ args }) {
    const r = await withOps(args, (o) => o.rotate(args.email));
    printToken(r.developer.email, r.token, "new token for");
    return 0;
  },
});

const audit = defineCommand({
  meta: { name: "audit", description: "The audit log: who ran what, when, on which model; --verify checks its hash chain" },
  args: {
    since: { type: "string", description: "only records since 7d, 12h, 30m or a date" },
    user: { type: "string", description: "only this developer's records" },
    json: { type: "boolean", description: "JSONL, one record per line" },
    csv: { type: "boolean", description: "CSV with a header row" },
    verify: { type: "boolean", description: "check that no record was changed, removed or reordered (exit 1 if one was)" },
    ...serverArg,
  },
  async run({ args }) {
    if (args.json && args.csv) throw usageError("--json and --csv cannot be combined", "pick one");
    if (args.verify) {
      const v = await withOps(args, (o) => o.verify());
      if (v.ok) {
        out(`ok: ${v.count} records, chain intact; head ${v.head}\n`);
        return 0;
      }
      out(`BROKEN at record ${v.seq}: ${v.problem} (${v.count} records read)\n`);
      err("the audit log was changed outside runcode: compare with an earlier export or head hash to see what\n");
      return 1;
    }
    const since = args.since ? parseSince(args.since) : undefined;
    const rows = await withOps(args, (o) => o.audit({ since, user: args.user }));
    const { toCsv, toJsonl } = await import("../team/audit");
    if (args.json) out(toJsonl(rows));
    else if (args.csv) out(toCsv(rows));
    else {
      if (!rows.length) err("no audit records match\n");
      for (const r of rows)
        out(
          `${String(r.time).slice(0, 19).replace("T", " ")}  ${String(r.developer ?? "-").padEnd(24)}  ${String(r.model_served ?? r.model_asked ?? r.path).padEnd(30)}  ${String(r.status).padStart(3)}  $${r.usd}  ${r.input_tokens}/${r.output_tokens} tok  ${r.latency_ms}ms${r.note ? `  ${r.note}` : ""}\n`,
        );
    }
    return 0;
  },
});

const serve = defineCommand({
  meta: { name: "serve", description: "Serve the gateway API to the team's developers, paid from this machine's wallet" },
  args: {
    host: { type: "string", description: "bind this address instead of loopback (needs --tls-cert and --tls-key)" },
    port: { type: "string", alias: "p", description: "port (default 8403, config team-port)" },
    "tls-cert": { type: "string", description: "PEM certificate file" },
    "tls-key": { type: "string", description: "PEM private key file" },
    "insecure-http": { type: "boolean", description: "listen beyond loopback without TLS (tokens travel in clear)" },
    "audit-prompts": { type: "boolean", description: "keep request bodies in the audit log (default: only their hash)" },
    model: { type: "string", alias: "m", description: "use this model for every request" },
    "log-file": { type: "string", description: "write request lines to this file (rotated) instead of stderr" },
    ...dbArg,
  },
  async run({ args }) {
    const { serveTeam } = await import("./team-serve");
    return serveTeam(context(), args);
  },
});

const migrate = defineCommand({
  meta: {
    name: "migrate",
    description: "Copy a team to another store (SQLite to PostgreSQL), then verify counts, sums and the audit chain",
  },
  args: {
    from: { type: "string", description: "the team to copy (default: team.db in the home)" },
    to: { type: "string", required: true, description: "where to: a postgres:// URL (or a file), empty" },
  },
  async run({ args }) {
    const ctx = context();
    const { migrateTeam } = await import("../team/migrate");
    const { openTeamStore, teamSpec } = await import("../team/open");
    const from = await openTeamStore(teamSpec(ctx.paths, args.from ?? ctx.paths.team, () => undefined));
    try {
      const to = await openTeamStore(
        teamSpec(ctx.paths, args.to, () => undefined),
        { create: true },
      );
      try {
        const r = await migrateTeam(from, to);
        err(
          `copied ${r.developers} developer(s), ${r.reservations} reservation(s) and ${r.audit} audit record(s) from ${from.where} to ${to.where}; verified: counts, sums and the audit chain (head ${r.head})\nNext: runcode team serve --db ${args.to.replace(/:[^:@/]*@/, ":***@")} (or \`runcode config set team-db …\`)\n`,
        );
        return 0;
      } finally {
        await to.close();
      }
    } finally {
      await from.close();
    }
  },
});

export default defineCommand({
  meta: { name: "team", description: "A shared team wallet: developers, budgets, the team server and its audit log" },
  subCommands: { init, add, budget, list, revoke, rotate, serve, audit, migrate },
});
