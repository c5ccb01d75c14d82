// `runcode proxy`: the pay-per-request gateway for Claude Code and OpenAI-compatible tools, in the foreground.
// Request lines go to stderr (or --log-file when the daemon runs us); Ctrl-C / SIGTERM drains in-flight answers.
import { err } from "../cli/io";
import { defineCommand } from "citty";
import { catalog, context, gateway } from "../cli/context";
import { runPayer } from "../agent/payer";
import { ui } from "../cli/ui";
import { ActionableError, usageError } from "../core/errors";
import { newId } from "../core/id";
import { addSecret } from "../core/secrets";
import { routerOptions } from "../router";
import { rotatingLog } from "../proxy/logfile";
import { startProxy } from "../proxy/server";
import type { ProxyOptions } from "../proxy/state";
import { openStore } from "../store/open";
import type { Store } from "../store/store";
import type { PaymentEvent } from "../money";
import { walletSource } from "../money/wallet/keys";
import { VERSION } from "../version";

export const proxyArgs = {
  port: { type: "string", alias: "p", description: "port to listen on (default 8402, config proxy-port)" },
  model: { type: "string", alias: "m", description: "use this model for every request (id, shortcut or profile)" },
  fallback: { type: "boolean", default: true, description: "try the next model when one fails (--no-fallback turns it off)" },
  host: { type: "string", description: "bind this address instead of loopback (exposes your wallet: read docs/proxy.md)" },
  token: { type: "string", description: "require this token as `Authorization: Bearer` or `x-api-key` (config proxy-token)" },
  "log-file": { type: "string", description: "write request lines to this file (rotated) instead of stderr" },
} as const;

/**
 * Proxy requests go into the same store as the agent's, so `runcode stats` covers Claude Code's traffic too, and the
 * payer's ledger shares its connection. The store opens on first use (a payment or a finished request), not at
 * start-up; a problem recording stats is logged, never fatal, while a payment that cannot be recorded is not made.
 */
function recorder(store: () => Store, log: (line: string) => void): NonNullable<ProxyOptions["record"]> {
  let broken = false;
  return (r) => {
    if (broken) return;
    try {
      store().recordRequest({
        source: "proxy",
        model: r.model,
        input: r.input,
        output: r.output,
        usd: r.usd,
        latencyMs: r.latencyMs,
        fallback: r.fallback,
        status: r.status < 400 ? "ok" : "error",
        error: r.status < 400 ? undefined : r.note,
      });
    } catch (err) {
      broken = true;
      log(`stats are not recorded: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
}

export default defineCommand({
  meta: { name: "proxy", description: "Run the local pay-per-request gateway for Claude Code, Cursor, aider…" },
  args: proxyArgs,
  async run({ args }) {
    const ctx = context();
    const port = args.port === undefined ? (ctx.get("proxy-port") as number) : Number(args.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw usageError(`--port must be 0-65535, got "${args.port}"`, "e.g. --port 8402");
    const log = args["log-file"] ? rotatingLog(args["log-file"]) : (line: string) => err(`${line}\n`);
    const session = newId("proxy");
    let opened: Store | undefined;
    const store = () => (opened ??= openStore({ home: ctx.paths.home, warn: log }));
    const emit = (e: PaymentEvent) => log(`${e.type} $${e.usd.toFixed(6)}${e.type === "payment.failed" ? ` ${e.reason}` : ""}`);
    const payer = runPayer(ctx, {
      store,
      emit,
      session: () => session,
      isFree: (id) => cat.catalog.models.some((m) => m.id === id && m.free),
      volume: "many", // a long-lived process: secp256k1's large tables pay for themselves
    });
    const gw = gateway(ctx, payer);
    let cat = await catalog(ctx, gw);
    const ttl = (ctx.get("catalog-ttl") as number) * 1000;
    const refresh = setInterval(
      () =>
        void catalog(ctx, gw, true)
          .then((c) => (cat = c))
          .catch(() => {}),
      Math.max(ttl, 60_000),
    );
    refresh.unref();

    let address: string | null = null;
    // The address is public (it is on chain); deriving it loads the crypto libraries, so only with a wallet.
    if (walletSource(ctx.paths, ctx.env, ctx.chain))
      void import("../money/wallet/active").then((m) => (address = m.activeWallet(ctx.paths, ctx.env, ctx.chain).address)).catch(() => {});

    const host = args.host;
    if (host) ui.warn(`listening on ${host}: anyone who can reach it can spend your wallet's USDC. Set --token, and prefer loopback.`);
    const token = (args.token ?? ctx.get("proxy-token")) as string | undefined;
    addSecret(token);
    const origins = String(ctx.get("proxy-allowed-origins") ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    let proxy;
    try {
      proxy = startProxy({
        port,
        host,
        token,
        origins,
        maxBody: (ctx.get("proxy-max-body-mb") as number) * 1048576,
        model: (args.model ?? ctx.get("proxy-model")) as string | undefined,
        fallback: args.fallback !== false && ctx.get("proxy-fallback") !== false,
        gateway: gw,
        catalog: () => cat.catalog.models,
        get: ctx.get,
        router: routerOptions(ctx.config),
        chain: ctx.chain,
        version: VERSION,
        wallet: () => address,
        log,
        record: recorder(store, log),
      });
    } catch (err) {
      if (String((err as { code?: string }).code ?? err).includes("EADDRINUSE"))
        throw new ActionableError(
          `port ${port} is already in use`,
          "stop the other proxy (`runcode daemon stop`) or pick another with --port",
          "usage",
        );
      throw err;
    }
    const base = `http://localhost:${proxy.port}`;
    // With a log file (the daemon), the banner goes there as every other line does, with its date-time.
    const say = args["log-file"] ? log : ui.info;
    say(
      `runcode proxy ${VERSION} on ${proxy.urls.join(" ")} → ${ctx.baseUrl} (${ctx.team ? `team, as ${ctx.team.email}` : `${ctx.chain}${payer ? "" : ", no wallet: free models only"}`})`,
    );
    say(`Claude Code: ANTHROPIC_BASE_URL=${base}/api ANTHROPIC_AUTH_TOKEN=${token ? "<your token>" : "x402-proxy-handles-auth"} claude`);
    log(`listening on ${base} pid ${process.pid}`);

    await new Promise<void>((resolve) => {
      const stop = (sig: string) => {
        log(`${sig}: draining ${proxy.state.inflight} in-flight request(s)`);
        void proxy.stop(true).then(resolve);
      };
      process.once("SIGTERM", () => stop("SIGTERM"));
      process.once("SIGINT", () => stop("SIGINT"));
    });
    log("stopped");
    return 0;
  },
});
