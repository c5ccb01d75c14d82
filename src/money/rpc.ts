// A minimal JSON-RPC client for Base and Solana reads (balances, blockhash). Every failure is an error, with a
// timeout from `rpc-timeout`: a balance we could not read must never look like zero.
import { fetchFailure } from "../core/net";
import { ActionableError } from "../core/errors";
import type { Chain } from "./chain";

export type RpcOptions = { url: string; timeoutMs: number; fetch?: typeof fetch; signal?: AbortSignal };

export async function rpc<T>(o: RpcOptions, method: string, params: unknown[]): Promise<T> {
  const host = safeHost(o.url);
  const timeout = AbortSignal.timeout(o.timeoutMs);
  const signal = o.signal ? AbortSignal.any([o.signal, timeout]) : timeout;
  let res: Response;
  try {
    res = await (o.fetch ?? fetch)(o.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
      signal,
    });
  } catch (err) {
    if (timeout.aborted) throw rpcError(`the RPC at ${host} did not answer ${method} within ${o.timeoutMs / 1000}s`);
    if (o.signal?.aborted) throw err;
    throw rpcError(`cannot reach the RPC at ${host} (${fetchFailure(err)})`);
  }
  let body: { result?: T; error?: { message?: string } };
  try {
    body = (await res.json()) as typeof body;
  } catch {
    throw rpcError(`the RPC at ${host} answered ${method} with HTTP ${res.status} and no JSON`);
  }
  if (body.error || !res.ok || body.result === undefined)
    throw rpcError(`the RPC at ${host} failed ${method}: ${body.error?.message ?? `HTTP ${res.status}`}`);
  return body.result;
}

function rpcError(message: string) {
  return new ActionableError(
    message,
    "retry, or set another endpoint with `runcode config set base-rpc-url|solana-rpc-url <url>` (timeout: rpc-timeout)",
    "gateway_unreachable",
  );
}

function safeHost(url: string): string {
  try {
    return new URL(url).host; // never echo a path or query string: RPC URLs often embed API keys
  } catch {
    return "(invalid URL)";
  }
}

/**
 * The JSON-RPC endpoint for a chain: env beats config; Solana defaults to the gateway's own RPC, Base to the config
 * default. Used for balances and for the Solana payer's blockhash.
 */
export function rpcUrl(chain: Chain, env: Record<string, string | undefined>, get: (key: string) => unknown, apiBase: string): string {
  if (chain === "base") return env.RUNCODE_BASE_RPC_URL || String(get("base-rpc-url"));
  return env.RUNCODE_SOLANA_RPC_URL || (get("solana-rpc-url") as string | undefined) || `${apiBase}/v1/solana/rpc`;
}
