// On-chain balances over plain JSON-RPC: USDC (ERC-20 balanceOf on Base, token accounts on Solana) plus ETH/SOL
// for context. Any RPC failure or timeout is an error; an unknown balance is never shown as zero.
import { encodeFunctionData, erc20Abi, formatUnits, hexToBigInt } from "viem";
import { CHAINS, type Chain } from "../chain";
import { rpc, type RpcOptions } from "../rpc";

export type Balance = {
  chain: Chain;
  network: string;
  address: string;
  usdc: bigint;
  native: bigint;
  nativeSymbol: "ETH" | "SOL";
  nativeDecimals: number;
};

type TokenAccounts = { value: Array<{ account: { data: { parsed: { info: { tokenAmount: { amount: string } } } } } }> };

export async function readBalance(chain: Chain, address: string, o: RpcOptions): Promise<Balance> {
  const { network, usdc } = CHAINS[chain];
  if (chain === "base") {
    const data = encodeFunctionData({ abi: erc20Abi, functionName: "balanceOf", args: [address as `0x${string}`] });
    const [token, eth] = await Promise.all([
      rpc<`0x${string}`>(o, "eth_call", [{ to: usdc, data }, "latest"]),
      rpc<`0x${string}`>(o, "eth_getBalance", [address, "latest"]),
    ]);
    return { chain, network, address, usdc: hexToBigInt(token), native: hexToBigInt(eth), nativeSymbol: "ETH", nativeDecimals: 18 };
  }
  const [accounts, sol] = await Promise.all([
    rpc<TokenAccounts>(o, "getTokenAccountsByOwner", [address, { mint: usdc }, { encoding: "jsonParsed", commitment: "confirmed" }]),
    rpc<{ value: number }>(o, "getBalance", [address, { commitment: "confirmed" }]),
  ]);
  // An owner can hold several USDC token accounts; a wallet with none has exactly zero (a valid answer).
  const total = accounts.value.reduce((sum, a) => sum + BigInt(a.account.data.parsed.info.tokenAmount.amount), 0n);
  return { chain, network, address, usdc: total, native: BigInt(sol.value), nativeSymbol: "SOL", nativeDecimals: 9 };
}

export const formatUsdc = (atomic: bigint) => formatUnits(atomic, 6);
export const formatNative = (b: Balance) => formatUnits(b.native, b.nativeDecimals);
