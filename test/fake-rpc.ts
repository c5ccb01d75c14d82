// A local JSON-RPC server standing in for Base and Solana nodes in balance and payment tests. Balances are set per
// address; `mode` injects the faults a real RPC shows (hangs, JSON-RPC errors, HTTP errors).
import { base58 } from "@scure/base";

export type FakeRpcOptions = {
  usdc?: Record<string, bigint>;
  native?: Record<string, bigint>;
  mode?: "ok" | "hang" | "error" | "http500";
};

export async function startFakeRpc(o: FakeRpcOptions = {}) {
  const calls: Array<{ method: string; params: any[] }> = [];
  const hanging: Array<() => void> = [];
  const hex = (n: bigint) => `0x${n.toString(16)}`;
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    idleTimeout: 0,
    async fetch(req) {
      const body = (await req.json()) as { id: number; method: string; params: any[] };
      calls.push({ method: body.method, params: body.params });
      if (o.mode === "hang") return new Promise<Response>((r) => hanging.push(() => r(new Response("", { status: 599 }))));
      if (o.mode === "http500") return new Response("upstream down", { status: 500 });
      const reply = (result: unknown) => Response.json({ jsonrpc: "2.0", id: body.id, result });
      if (o.mode === "error") return Response.json({ jsonrpc: "2.0", id: body.id, error: { code: -32000, message: "rate limited" } });
      const p = body.params;
      switch (body.method) {
        case "eth_call": {
          const addr = `0x${String(p[0].data).slice(-40)}`.toLowerCase();
          return reply(`0x${(o.usdc?.[addr] ?? 0n).toString(16).padStart(64, "0")}`);
        }
        case "eth_getBalance":
          return reply(hex(o.native?.[String(p[0]).toLowerCase()] ?? 0n));
        case "getBalance":
          return reply({ context: { slot: 1 }, value: Number(o.native?.[p[0]] ?? 0n) });
        case "getTokenAccountsByOwner": {
          const amt = o.usdc?.[p[0]];
          const account = (amount: bigint) => ({
            pubkey: "Tok",
            account: { data: { parsed: { info: { tokenAmount: { amount: amount.toString(), decimals: 6 } } } } },
          });
          return reply({ context: { slot: 1 }, value: amt === undefined ? [] : [account(amt)] });
        }
        case "getLatestBlockhash":
          return reply({
            context: { slot: 1 },
            value: { blockhash: base58.encode(new Uint8Array(32).fill(9)), lastValidBlockHeight: 100 },
          });
        default:
          return Response.json({ jsonrpc: "2.0", id: body.id, error: { code: -32601, message: "method not found" } });
      }
    },
  });
  return {
    url: `http://127.0.0.1:${server.port}`,
    calls,
    stop: () => {
      for (const h of hanging) h();
      server.stop(true);
    },
  };
}
