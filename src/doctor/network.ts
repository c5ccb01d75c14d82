// Checks that talk to the network, each bounded by ctx.timeoutMs: the gateway, the chain's RPC and the local
// proxy/daemon. All run in parallel with the local checks.
import { existsSync, readFileSync } from "node:fs";
import { readConfig } from "../core/config";
import { activeTeam, teamBase, tokenRefused } from "../gateway/team";
import { type Chain, resolveBaseUrl, resolveChain } from "../money/chain";
import { rpcUrl } from "../money/rpc";
import { getValue } from "../settings";
import { claudeSettings, pointsAtProxy } from "./local";
import { type Check, type DoctorContext, fail, ok, probe, warn } from "./types";

const BASE_CHAIN_ID = "0x2105"; // 8453

const gateway: Check = {
  id: "gateway",
  label: "gateway",
  run: async (ctx) => {
    // Logged in to a team, the gateway is the team server, asked with the developer's token (never shown).
    const team = activeTeam(ctx.env, ctx.paths.login);
    const base = team ? teamBase(team.url) : gatewayBase(ctx);
    const init = team ? ({ headers: { authorization: `Bearer ${team.token}` }, tls: { ca: team.ca } } as RequestInit) : {};
    const r = await probe(ctx, `${base}/v1/models`, init);
    const fix = team
      ? `check that the team server ${team.url} runs and is reachable (\`runcode logout\` to stop using it)`
      : `check your connection, or the gateway URL (RUNCODE_API_URL / \`runcode config get api-url\`): ${base}`;
    if (team && r.res?.status === 401) {
      const e = tokenRefused(team.url, "HTTP 401", team.email);
      return fail(e.summary, e.fix);
    }
    if (!r.res) return fail(`${base} unreachable: ${r.error}`, fix);
    if (!r.res.ok) return fail(`${base}/v1/models answered HTTP ${r.res.status}`, fix);
    const body = (await r.res.json().catch(() => null)) as { data?: unknown[]; models?: unknown[] } | null;
    const count = body?.data?.length ?? body?.models?.length;
    if (count === undefined) return fail(`${base}/v1/models did not return a model list`, fix);
    return ok(`${base} answered in ${r.ms} ms (${count} models)`);
  },
};

// The RPC that balances and payments will actually use: money/rpc.ts decides it, for doctor too.
function rpcFor(ctx: DoctorContext, chain: Chain, gatewayBase: string): string {
  const config = configOf(ctx);
  return rpcUrl(chain, ctx.env, (key) => getValue(config, key, ctx.paths.config), gatewayBase);
}

/** The config, or the defaults when the file is broken (the config row says so; the network is checked anyway). */
function configOf(ctx: DoctorContext) {
  try {
    return readConfig(ctx.paths.config);
  } catch {
    return {};
  }
}

function gatewayBase(ctx: DoctorContext): string {
  const config = configOf(ctx);
  return resolveBaseUrl(ctx.env, getValue(config, "api-url", ctx.paths.config), resolveChain(ctx.env, ctx.paths.chain));
}

// On Base the RPC only serves balance look-ups (payments settle through the gateway), so an unreachable RPC is a
// warning; Solana payments need a recent blockhash from it, so there it is a failure.
const rpc: Check = {
  id: "rpc",
  label: "chain RPC",
  run: async (ctx) => {
    const chain = resolveChain(ctx.env, ctx.paths.chain);
    const url = rpcFor(ctx, chain, gatewayBase(ctx));
    const method = chain === "base" ? "eth_chainId" : "getHealth";
    const r = await probe(ctx, url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params: [] }),
    });
    const fix = `run \`runcode config set ${chain}-rpc-url <url>\` (or set RUNCODE_${chain.toUpperCase()}_RPC_URL) with a working ${chain} RPC`;
    const bad = chain === "solana" ? fail : warn;
    if (!r.res) return bad(`${url} unreachable: ${r.error}`, fix);
    const body = (await r.res.json().catch(() => null)) as { result?: unknown } | null;
    if (!r.res.ok || body?.result === undefined) return bad(`${url} ${method} failed (HTTP ${r.res.status})`, fix);
    if (chain === "base" && body.result !== BASE_CHAIN_ID)
      return fail(`${url} is chain ${String(body.result)}, not Base (${BASE_CHAIN_ID})`, fix);
    if (chain === "solana" && body.result !== "ok") return bad(`${url} reports ${String(body.result)}`, fix);
    return ok(`${url} ${method} in ${r.ms} ms`);
  },
};

/** The runcode proxy/daemon answers GET /health; RUNCODE_PROXY_URL moves it (tests, non-default ports). */
const proxy: Check = {
  id: "proxy",
  label: "proxy/daemon",
  run: async (ctx) => {
    const url = (ctx.env.RUNCODE_PROXY_URL || "http://127.0.0.1:8402").replace(/\/+$/, "");
    const r = await probe(ctx, `${url}/health`);
    if (r.res?.ok) return ok(`${url} healthy in ${r.ms} ms`);
    const why = r.res ? `HTTP ${r.res.status}` : r.error;
    const start = "run `runcode daemon start` (or `runcode proxy` in a terminal)";
    if (pointsAtProxy(claudeSettings(ctx).baseUrl)) return fail(`Claude Code is set to use ${url} but it does not answer (${why})`, start);
    if (existsSync(ctx.paths.pid)) {
      const pid = Number(readFileSync(ctx.paths.pid, "utf8").trim());
      if (pid > 0 && !alive(pid))
        return warn(`not running; stale pid file ${ctx.paths.pid} (pid ${pid})`, `remove it (rm ${ctx.paths.pid}) or ${start}`);
    }
    return ok("not running (only needed for Claude Code)");
  },
};

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: string }).code === "EPERM";
  }
}

export const NETWORK_CHECKS: Check[] = [gateway, rpc, proxy];
