// Everything a running proxy holds, injected by `runcode proxy` (or by a test): no environment reads below here.
import type { Chain } from "../money/chain";
import type { Gateway } from "../gateway/client";
import type { CatalogModel } from "../gateway/catalog";
import type { RouterOptions } from "../router";
import type { Tier } from "../router";
import type { Recent } from "./switch";

export type ProxyOptions = {
  port: number;
  /** Bind address given with --host; default: 127.0.0.1 and ::1. */
  host?: string;
  token?: string;
  origins: string[];
  /** Largest accepted body in bytes. */
  maxBody: number;
  /** --model: replaces every request's model. */
  model?: string;
  fallback: boolean;
  /** Only `forward` is used: a team server hands each request its own, carrying the developer's budget. */
  gateway: Pick<Gateway, "forward">;
  /** The current catalog (the caller refreshes it in the background). */
  catalog: () => CatalogModel[];
  get: (key: string) => unknown;
  router: RouterOptions;
  chain: Chain;
  version: string;
  /** The wallet's public address, or null without a wallet. Never key material. */
  wallet: () => string | null;
  /** One line per request (stderr or the daemon's log file). */
  log: (line: string) => void;
  /** Records each finished request for `runcode stats` (the store); optional so tests can run without one. */
  record?: (r: {
    model: string;
    status: number;
    usd: number;
    input: number;
    output: number;
    latencyMs: number;
    fallback: boolean;
    note?: string;
  }) => void;
  /** Seconds in-flight requests get to finish on shutdown. */
  drainSeconds?: number;
};

/** `switches`: a conversation's `use <model>`; `pins`: its routed tier, which only goes up (session pinning). */
export type ProxyState = ProxyOptions & { switches: Recent<string>; pins: Recent<Tier>; started: number; inflight: number };
