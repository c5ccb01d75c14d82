// `runcode team serve`: the team server assembled from this machine's environment, the way `runcode proxy` is: the
// wallet's payer (its limits are the team-wide ones), the gateway, the catalog, the team store and the runcode.db
// ledger the payer records into. Before it serves, it resolves what a killed predecessor left open (recover.ts).
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { runPayer } from "../agent/payer";
import { catalog, gateway, type CliContext } from "../cli/context";
import { err } from "../cli/io";
import { ui } from "../cli/ui";
import { ActionableError, usageError } from "../core/errors";
import type { PaymentEvent } from "../money";
import { walletSource } from "../money/wallet/keys";
import { rotatingLog } from "../proxy/logfile";
import { routerOptions } from "../router";
import { openStore } from "../store/open";
import type { Store } from "../store/store";
import { VERSION } from "../version";
import { startTeamServer } from "../team/server";
import { openTeamStore, teamSpec } from "../team/open";
import { recover, sweep, SWEEP_GRACE_MS } from "../team/recover";

export type ServeArgs = {
  host?: string;
  port?: string;
  "tls-cert"?: string;
  "tls-key"?: string;
  "insecure-http"?: boolean;
  "audit-prompts"?: boolean;
  model?: string;
  "log-file"?: string;
  db?: string;
};

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);

export async function serveTeam(ctx: CliContext, args: ServeArgs): Promise<number> {
  // A team server pays the gateway from its own wallet; logged in, this machine's requests would go to another team.
  if (ctx.team)
    throw new ActionableError(
      `this machine is logged in to the team server at ${ctx.team.url}, so it cannot serve a team itself`,
      "run `runcode logout` first (a team server pays from this machine's own wallet)",
      "usage",
    );
  const port = args.port === undefined ? (ctx.get("team-port") as number) : Number(args.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw usageError(`--port must be 0-65535, got "${args.port}"`, "e.g. --port 8403");
  if (!!args["tls-cert"] !== !!args["tls-key"]) throw usageError("--tls-cert and --tls-key go together", "pass both PEM files");
  const tls = args["tls-cert"] ? { cert: readPem(args["tls-cert"], "--tls-cert"), key: readPem(args["tls-key"]!, "--tls-key") } : undefined;
  const host = args.host;
  if (host && !LOOPBACK.has(host) && !tls) {
    if (!args["insecure-http"])
      throw usageError(
        `refusing to listen on ${host} without TLS: developer tokens would travel in clear`,
        "pass --tls-cert cert.pem --tls-key key.pem (or --insecure-http behind a TLS-terminating proxy you trust)",
      );
    ui.warn(`listening on ${host} over plain HTTP (--insecure-http): anyone on the network path can read developer tokens`);
  }

  const team = await openTeamStore(teamSpec(ctx.paths, args.db, ctx.get), { create: true });
  if (!(await team.adminHash())) {
    await team.close();
    throw new ActionableError(`no team in ${team.where}`, `create it with \`runcode team init${args.db ? " --db …" : ""}\``, "usage");
  }
  const log = args["log-file"] ? rotatingLog(args["log-file"]) : (line: string) => err(`${line}\n`);
  let opened: Store | undefined;
  const store = () => (opened ??= openStore({ home: ctx.paths.home, warn: log }));

  // Team-wide limits: max-usd-per-request and max-usd-per-day of this machine. A server has no "session": each UTC
  // day is one, held to the day limit.
  const get = (key: string) => ctx.get(key === "max-usd-per-session" ? "max-usd-per-day" : key);
  const emit = (e: PaymentEvent) => log(`${e.type} $${e.usd.toFixed(6)}${e.type === "payment.failed" ? ` ${e.reason}` : ""}`);
  const payer = runPayer(
    { ...ctx, get },
    {
      store,
      emit,
      session: () => `team-${new Date().toISOString().slice(0, 10)}`,
      isFree: (id) => cat.catalog.models.some((m) => m.id === id && m.free),
      volume: "many",
    },
  );
  const gw = gateway(ctx, payer);
  let cat = await catalog(ctx, gw);
  const ttl = Math.max((ctx.get("catalog-ttl") as number) * 1000, 60_000);
  const refresh = setInterval(
    () =>
      void catalog(ctx, gw, true)
        .then((c) => (cat = c))
        .catch(() => {}),
    ttl,
  );
  refresh.unref();
  let upstream: { at: number; text: string } | undefined;
  const upstreamCatalog = async () => {
    if (!upstream || Date.now() - upstream.at > ttl) {
      const res = await gw.get("/v1/models");
      upstream = { at: Date.now(), text: await res.text() };
    }
    return new Response(upstream.text, { headers: { "content-type": "application/json" } });
  };

  let address: string | null = null;
  if (walletSource(ctx.paths, ctx.env, ctx.chain))
    void import("../money/wallet/active").then((m) => (address = m.activeWallet(ctx.paths, ctx.env, ctx.chain).address)).catch(() => {});
  else ui.warn("no wallet on this machine: the team can use free models only (`runcode setup` creates one)");

  // This server's id, kept in its own runcode.db: the reservations it makes name it, so that its next start resolves
  // them from this ledger, and no other server's start touches them.
  let server = store().meta("team_server_id");
  if (!server) {
    server = `srv_${randomBytes(8).toString("hex")}`;
    store().setMeta("team_server_id", server);
  }
  const { Ledger } = await import("../money/ledger");
  const fixed = await recover(team, server, (id) => new Ledger(store().db).row(id), Date.now());
  if (fixed.settled + fixed.released + fixed.audited + fixed.open)
    log(
      `recovered after an interrupted run: ${fixed.settled} reservation(s) settled, ${fixed.released} released, ${fixed.open} still open, ${fixed.audited} interrupted request(s) audited`,
    );

  const origins = String(ctx.get("proxy-allowed-origins") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  let http;
  try {
    http = startTeamServer({
      store: team,
      server,
      port,
      host,
      tls,
      auditPrompts: args["audit-prompts"] || ctx.get("team-audit-prompts") === true,
      ratePerMinute: ctx.get("team-rate-per-minute") as number,
      log,
      catalog: upstreamCatalog,
      dashboard: () => import("../team/dashboard").then((m) => m.teamDashboard(team, () => store().db, server)),
      forwarding: {
        origins,
        maxBody: (ctx.get("proxy-max-body-mb") as number) * 1048576,
        model: args.model,
        fallback: ctx.get("proxy-fallback") !== false,
        gateway: gw,
        catalog: () => cat.catalog.models,
        get,
        router: routerOptions(ctx.config),
        chain: ctx.chain,
        version: VERSION,
        wallet: () => address,
      },
    });
  } catch (e) {
    await team.close();
    if (String((e as { code?: string }).code ?? e).includes("EADDRINUSE"))
      throw new ActionableError(`port ${port} is already in use`, "stop the other server or pick another with --port", "usage");
    throw e;
  }
  const scheme = tls ? "https" : "http";
  const shown = host && !LOOPBACK.has(host) ? host : "localhost";
  ui.info(
    `runcode team server ${VERSION} on ${http.urls.join(" ")} → ${ctx.baseUrl} (${ctx.chain}${payer ? "" : ", no wallet: free models only"})`,
  );
  ui.info(
    `developers: runcode login ${scheme}://${shown}:${http.port} --token rct_…   Claude Code: ANTHROPIC_BASE_URL=${scheme}://${shown}:${http.port}/api ANTHROPIC_AUTH_TOKEN=rct_… claude`,
  );
  log(`listening on ${scheme}://${shown}:${http.port} pid ${process.pid}`);

  // What dead servers left pending past their authorizations' expiry (several servers on one database).
  const sweeping = setInterval(
    () =>
      void sweep(team, Date.now())
        .then((n) => n && log(`swept ${n} reservation(s) a stopped server left pending (counted)`))
        .catch((e) => log(`sweep failed: ${e instanceof Error ? e.message : String(e)}`)),
    SWEEP_GRACE_MS / 2,
  );
  sweeping.unref();

  await new Promise<void>((resolve) => {
    const stop = (sig: string) => {
      log(`${sig}: draining ${http.inflight()} in-flight request(s)`);
      void http.stop(true).then(resolve);
    };
    process.once("SIGTERM", () => stop("SIGTERM"));
    process.once("SIGINT", () => stop("SIGINT"));
  });
  clearInterval(refresh);
  clearInterval(sweeping);
  await team.close();
  opened?.close();
  log("stopped");
  return 0;
}

function readPem(file: string, flag: string): string {
  try {
    const text = readFileSync(file, "utf8");
    if (!text.includes("-----BEGIN")) throw new Error("not a PEM file");
    return text;
  } catch (e) {
    throw usageError(
      `cannot read ${flag} ${file} (${e instanceof Error ? e.message : String(e)})`,
      `pass a PEM file, e.g. ${flag} ${flag === "--tls-cert" ? "cert.pem" : "key.pem"}`,
    );
  }
}
