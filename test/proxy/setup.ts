// A proxy in-process in front of the fake gateway (optionally with the x402 server side and a real payer), and the
// official SDK clients pointed at it. Loopback only; every home is a temp dir.
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { getValue } from "../../src/settings";
import { Gateway } from "../../src/gateway/client";
import { normalize } from "../../src/gateway/catalog";
import { startProxy, type Proxy } from "../../src/proxy/server";
import type { ProxyOptions } from "../../src/proxy/state";
import { FAKE_MODELS, startFakeGateway, type FakeGateway, type Script } from "../fake-gateway";
import { rig as payRig, type Rig } from "../payment/setup";
import type { X402Options } from "../fake-x402";
import { cleanup } from "../helpers";

export type ProxyRig = {
  proxy: Proxy;
  gw: FakeGateway;
  url: string;
  lines: string[];
  pay?: Rig;
  anthropic: (o?: { headers?: Record<string, string>; apiKey?: string }) => Anthropic;
  openai: (o?: { headers?: Record<string, string>; apiKey?: string }) => OpenAI;
  stop: () => Promise<void>;
};

export async function proxyRig(
  o: {
    script?: Script[];
    paid?: boolean;
    config?: Record<string, unknown>;
    opts?: Partial<ProxyOptions>;
    /** The x402 server side's behaviour (faults, balances) when `paid`. */
    x402?: X402Options;
  } = {},
): Promise<ProxyRig> {
  const pay = o.paid ? await payRig({ script: o.script ?? [], config: o.config, x402: o.x402 }) : undefined;
  const gw = pay?.gw ?? (await startFakeGateway({ script: o.script ?? [] }));
  const gateway = pay?.gateway ?? new Gateway({ baseUrl: gw.url, userAgent: "runcode-test", idleTimeoutMs: 10_000 });
  const config = o.config ?? {};
  const lines: string[] = [];
  const models = normalize({ data: FAKE_MODELS });
  const proxy = startProxy({
    port: 0,
    origins: [],
    maxBody: 1024 * 1024,
    fallback: true,
    gateway,
    catalog: () => models,
    get: (k) => getValue(config, k),
    router: {},
    chain: "base",
    version: "test",
    wallet: () => pay?.address ?? null,
    log: (l) => lines.push(l),
    ...o.opts,
  });
  const url = `http://127.0.0.1:${proxy.port}`;
  return {
    proxy,
    gw,
    url,
    lines,
    pay,
    anthropic: (c = {}) =>
      new Anthropic({
        baseURL: `${url}/api`,
        authToken: c.apiKey ? null : "x402-proxy-handles-auth",
        apiKey: c.apiKey ?? null,
        defaultHeaders: c.headers,
        maxRetries: 0,
      }),
    openai: (c = {}) =>
      new OpenAI({ baseURL: `${url}/v1`, apiKey: c.apiKey ?? "x402-proxy-handles-auth", defaultHeaders: c.headers, maxRetries: 0 }),
    stop: async () => {
      await proxy.stop(false);
      await gw.stop();
      if (pay) cleanup(pay.home);
    },
  };
}

/** A raw request to the proxy with full control over headers (what a browser or a rebinding page would send). */
export function raw(url: string, path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return fetch(url + path, {
    method: init.method ?? "POST",
    headers: { "content-type": "application/json", ...init.headers },
    body: init.body,
  });
}

export const HELLO = JSON.stringify({ model: "nvidia/qwen3-coder-480b", max_tokens: 100, messages: [{ role: "user", content: "hi" }] });

/** A proxy answer's JSON, typed loosely enough for assertions on both protocols' shapes. */
export type Body = {
  type?: string;
  error: { type: string; message: string; code?: string | null };
  content: Array<{ text: string }>;
} & Record<string, unknown>;
export const json = (res: Response) => res.json() as Promise<Body>;
