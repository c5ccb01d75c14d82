// The HTTP side of the gateway: base URL, headers, timeouts, error bodies → one-line errors, and the payment seam.
// Protocol framing lives in src/llm/; this file knows nothing about messages.
import { ActionableError, EXIT, isAbort } from "../core/errors";
import { log } from "../core/log";
import { fetchFailure, netFailure } from "../core/net";
import { containsSecret } from "../core/secrets";

export type Fetch = (req: Request) => Promise<Response>;

/** The two wire protocols (src/llm/): Anthropic Messages and OpenAI Chat Completions. */
export type Protocol = "messages" | "chat-completions";

/**
 * An endpoint next to the gateway (gateway/providers.ts, docs/providers.md): it serves the models `NAME/…` over its
 * own protocol, with its own auth in its Gateway's headers and no payer. `problem`: why it cannot be used now (its
 * API key variable is not set), thrown before anything is sent to it.
 */
export type Provider = { name: string; gateway: Gateway; protocol: Protocol; problem?: ActionableError };

/**
 * The payment seam. The payer sends the request itself through `send` (with a payment header, or none): it pays a
 * 402 and resends the same bytes once, or signs up front from a quote it already has for this URL and model, so a
 * paid call is one HTTP request (docs/payments.md). Returns the final response plus what was paid. Without a payer,
 * a 402 is a clear "this model is paid" error.
 */
export type Payer = (p: PayerRequest) => Promise<{ response: Response; usd: number }>;

export type PayerRequest = {
  /** Sends the request, the same bytes each time, with these extra headers. */
  send: (headers?: Record<string, string>) => Promise<Response>;
  /** The bytes sent: a payment signed up front is priced from their length and `max_tokens`. */
  body: string | Uint8Array;
  url: string;
  model?: string;
  signal?: AbortSignal;
  /** Someone else's budget this payment must also fit (a team server's developer): checked before signing. */
  hold?: Hold;
};

/**
 * A second budget a payment draws from, next to the wallet's own limits (src/team/hold.ts: a developer's budget on
 * a team server). The payer calls `reserve` after its own ledger reserved the payment and before it signs: an error
 * there is thrown and nothing is signed. The reservation then follows the ledger row it names: `settle` when the
 * gateway's answer settled it, `release` when it failed or was voided; a row left pending (no answer) stays reserved
 * for whoever later learns its outcome.
 */
export type Hold = {
  /** `nonce`: the payment's (unique across every server paying from one wallet); `expires`: when it can no longer settle. */
  reserve: (amount: bigint, payment: number, o: { nonce: string; expires: number }) => Promise<Error | undefined>;
  settle: (payment: number) => void;
  release: (payment: number, reason: string) => void;
};

export type GatewayOptions = {
  baseUrl: string;
  userAgent: string;
  fetch?: Fetch;
  payer?: Payer;
  /** Headers on every request (a team server's developer token); never logged. */
  headers?: Record<string, string>;
  /** Milliseconds without a byte from the gateway before the request is aborted. */
  idleTimeoutMs?: number;
  /** Providers whose models (`NAME/…`) this gateway's callers send to them instead (see `provider`). */
  providers?: Provider[];
  /** This client is provider NAME's, not the gateway's: errors name it, and a 402 is an error, never paid. */
  provider?: string;
};

export type GatewayResponse = { response: Response; usd: number };

export class Gateway {
  readonly baseUrl: string;
  readonly providers: ReadonlyMap<string, Provider>;
  private readonly fetch: Fetch;
  /** Who errors name: "the gateway", or "provider NAME". */
  private readonly who: string;
  constructor(private readonly opts: GatewayOptions) {
    this.baseUrl = opts.baseUrl;
    this.fetch = opts.fetch ?? ((req) => fetch(req));
    this.providers = new Map((opts.providers ?? []).map((p) => [p.name, p]));
    this.who = opts.provider ? `provider ${opts.provider}` : "the gateway";
    if (opts.provider && opts.payer) throw new Error("a provider is never paid through x402");
  }

  /** The provider that serves `model` (an id `NAME/…`) and the id it knows the model by; undefined: this gateway does. */
  provider(model: string): { provider: Provider; model: string } | undefined {
    const i = model.indexOf("/");
    const p = i > 0 ? this.providers.get(model.slice(0, i)) : undefined;
    return p && { provider: p, model: model.slice(i + 1) };
  }

  /** POST JSON to a gateway path; returns the successful response (body still streaming) and what was paid. */
  async post(
    path: string,
    body: unknown,
    o: { signal?: AbortSignal; model?: string; headers?: Record<string, string> } = {},
  ): Promise<GatewayResponse> {
    const { response, usd } = await this.forward(path, JSON.stringify(body), o);
    if (!response.ok) throw await httpError(response, this.errors, o.model);
    return { response, usd };
  }

  /**
   * POST these exact bytes (the proxy forwards client bodies unchanged). A 402 goes through the payer as in `post`;
   * any other status comes back as a response, so the caller can read the body and decide on a fallback.
   * Throws on network errors, timeouts and payment refusals.
   */
  async forward(
    path: string,
    body: string | Uint8Array,
    o: { signal?: AbortSignal; model?: string; headers?: Record<string, string>; hold?: Hold } = {},
  ): Promise<GatewayResponse> {
    const url = this.baseUrl + path;
    // The last line of defence: whatever put it there (a pasted key, a tool that leaked), a secret is never sent.
    if (containsSecret(body)) throw secretRefused();
    const idle = idleTimer(this.opts.idleTimeoutMs ?? 300_000, o.signal);
    const make = (extra: Record<string, string> = {}) =>
      new Request(url, {
        method: "POST",
        body,
        signal: idle.signal,
        headers: {
          "content-type": "application/json",
          "user-agent": this.opts.userAgent,
          ...this.opts.headers,
          ...o.headers,
          ...extra,
        },
      });
    const send = async (extra?: Record<string, string>) => {
      idle.touch();
      try {
        return await this.fetch(make(extra));
      } catch (err) {
        throw networkError(err, url, idle, this.errors);
      }
    };
    let res: Response;
    let usd = 0;
    if (this.opts.payer) {
      try {
        ({ response: res, usd } = await this.opts.payer({ send, body, url, model: o.model, signal: idle.signal, hold: o.hold }));
      } catch (err) {
        idle.stop(); // a refused or failed payment must not leave the idle timer holding the process open
        throw err;
      }
    } else {
      res = await send();
      if (res.status === 402) {
        idle.stop();
        if (this.opts.provider) throw await httpError(res, this.errors, o.model);
        throw paymentRequired(o.model);
      }
    }
    if (!res.ok) {
      // Error bodies are small and read at once; no idle timer is left running for them.
      idle.stop();
      return { response: res, usd };
    }
    return { response: withIdle(res, idle), usd };
  }

  async get(path: string, o: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<Response> {
    const url = this.baseUrl + path;
    const idle = idleTimer(o.timeoutMs ?? 10_000, o.signal);
    let res: Response;
    try {
      res = await this.fetch(
        new Request(url, { signal: idle.signal, headers: { "user-agent": this.opts.userAgent, ...this.opts.headers } }),
      );
    } catch (err) {
      throw networkError(err, url, idle, this.errors);
    } finally {
      idle.stop();
    }
    if (!res.ok) throw await httpError(res, this.errors);
    return res;
  }

  private get errors(): Who {
    return { who: this.who, provider: this.opts.provider };
  }
}

/** Whose errors these are: the gateway's, or provider NAME's (then the fixes point at `runcode providers`). */
type Who = { who: string; provider?: string };

type Idle = { signal: AbortSignal; touch: () => void; stop: () => void; timedOut: () => boolean };

function idleTimer(ms: number, outer?: AbortSignal): Idle {
  const ctl = new AbortController();
  let fired = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const touch = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      fired = true;
      ctl.abort(new DOMException("timed out", "TimeoutError"));
    }, ms);
    // Never the reason a process stays alive: the request it guards keeps the process busy while it is open.
    timer.unref?.();
  };
  const signal = outer ? AbortSignal.any([outer, ctl.signal]) : ctl.signal;
  return { signal, touch, stop: () => clearTimeout(timer), timedOut: () => fired };
}

/**
 * Re-arms the idle timer on every chunk, and stops it however the body ends: read to the end, torn down mid-stream
 * (a reset connection), or cancelled by its reader. A timer left running would hold the process open until
 * request-timeout after the answer (or the error) was already shown.
 */
function withIdle(res: Response, idle: Idle): Response {
  if (!res.body) {
    idle.stop();
    return res;
  }
  const reader = res.body.getReader();
  const body = new ReadableStream<Uint8Array>({
    async pull(ctl) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          idle.stop();
          ctl.close();
          return;
        }
        idle.touch();
        ctl.enqueue(value);
      } catch (err) {
        idle.stop();
        ctl.error(err);
      }
    },
    cancel(reason) {
      idle.stop();
      return reader.cancel(reason);
    },
  });
  return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
}

export function timeoutError(): ActionableError {
  return new ActionableError(
    "the gateway stopped answering (timed out)",
    "retry, or raise `runcode config set request-timeout <seconds>`",
    "timeout",
  );
}

function networkError(err: unknown, url: string, idle: Idle, w: Who): Error {
  idle.stop();
  if (idle.timedOut()) return timeoutError();
  if (isAbort(err)) return err as Error;
  log(`network error for ${url}: ${err instanceof Error ? err.message : String(err)}`);
  const host = new URL(url).host;
  const net = netFailure(err);
  // Nothing was sent: the host is down or unknown, for every model behind it (the fallback policy stops here).
  if (!net || net.connect)
    return new ActionableError(
      `cannot reach ${w.who} at ${host} (${net?.reason ?? fetchFailure(err)})`,
      w.provider
        ? `start it, or change its URL with \`runcode providers add ${w.provider} --url URL\``
        : "check your network connection, or point RUNCODE_API_URL at a reachable gateway",
      "gateway_unreachable",
    );
  // Connected, then dropped before any answer: a failure of this request; another model may do better.
  return new ActionableError(
    `${w.who} at ${host} closed the connection before answering (${net.reason})`,
    "retry, or pick another model with -m",
    "gateway_error",
  );
}

export function secretRefused(): ActionableError {
  return new ActionableError(
    "refused to send the request: it contains runcode's wallet key or a token",
    "take it out of the conversation: start a new one (`/clear` in the REPL, or a new `runcode ask` without it)",
    "secret_refused",
  );
}

export function paymentRequired(model?: string): ActionableError {
  return new ActionableError(
    `${model ?? "this model"} is a paid model and no wallet is set up`,
    "run `runcode setup` to create and fund a wallet, or use a free model with `-m free`",
    "payment_required",
    EXIT.payment,
  );
}

/** A one-line message from any error body: Anthropic, OpenAI, BlockRun's {error, details}, plain text or HTML. */
export async function errorMessage(res: Response): Promise<string> {
  const text = await res.text().catch(() => "");
  const status = `${res.status}${res.statusText ? ` ${res.statusText}` : ""}`;
  try {
    const j = JSON.parse(text);
    const e = j?.error;
    const m = typeof e === "string" ? e : (e?.message ?? j?.message);
    const details = typeof j?.details === "string" ? `: ${j.details}` : "";
    if (typeof m === "string" && m) return `${m}${details}`.split("\n")[0]!.slice(0, 300);
  } catch {
    // not JSON
  }
  if (/^\s*</.test(text)) {
    const title = /<title>([^<]*)<\/title>/i.exec(text)?.[1]?.trim();
    return `gateway answered ${status} with an HTML page${title ? ` ("${title}")` : ""}`;
  }
  const line = text.trim().split("\n")[0]?.slice(0, 200);
  return line ? `gateway answered ${status}: ${line}` : `gateway answered ${status}`;
}

/** How long a 429/529 asks to wait (`retry-after` in seconds or as an HTTP date); undefined when it does not say. */
function retryAfter(h: string | null): number | undefined {
  if (h === null || h.trim() === "") return undefined;
  const secs = Number(h);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const at = Date.parse(h);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
}

/** The wait a rate-limited or overloaded answer asked for, if `err` is one. */
export const retryAfterMs = (err: unknown): number | undefined =>
  err instanceof ActionableError && typeof (err as { retryAfterMs?: unknown }).retryAfterMs === "number"
    ? (err as unknown as { retryAfterMs: number }).retryAfterMs
    : undefined;

async function httpError(res: Response, w: Who, model?: string): Promise<ActionableError> {
  const msg = await errorMessage(res);
  log(`${w.provider ? `provider ${w.provider}` : "gateway"} error ${res.status}: ${msg}`);
  const s = res.status;
  // A provider is never paid through x402: its 402 is its own account's problem, not a payment to make.
  if (s === 402 && w.provider)
    return new ActionableError(
      `${w.who} asked for payment (HTTP 402${said(msg, s)}); runcode never pays a provider`,
      "check your account with that provider (credits, billing, its API key), or pick another model with -m",
      "bad_request",
    );
  if (s === 429 || s === 529) {
    const e = new ActionableError(
      `${s === 429 ? `rate limited by ${w.who}` : "the model is overloaded"} (${msg})`,
      "wait a minute, or pick another model with -m",
      "rate_limited",
    );
    return Object.assign(e, { retryAfterMs: retryAfter(res.headers.get("retry-after")) });
  }
  if (s === 404 || (s === 400 && /unknown model|model not found|invalid model/i.test(msg)))
    return new ActionableError(
      `${w.who} does not know ${model ?? "that model"} (${msg})`,
      "run `runcode models` to see available models",
      "unknown_model",
    );
  // 4xx: the request itself is wrong, so another model would refuse it too (no fallback).
  if (s === 401 || s === 403)
    return new ActionableError(
      `${w.who} refused the request (${msg})`,
      w.provider
        ? `check its API key (\`runcode providers list\` shows where it comes from)`
        : "check RUNCODE_API_URL and your wallet with `runcode doctor`",
      "bad_request",
    );
  if (s === 413) return new ActionableError(`the request is too large for ${w.who} (${msg})`, "send less context", "bad_request");
  if (s >= 500)
    return new ActionableError(
      `${w.who} answered HTTP ${s}${said(msg, s)}`,
      "retry in a moment, or pick another model with -m",
      "gateway_error",
    );
  return new ActionableError(`${w.who} rejected the request (HTTP ${s}${said(msg, s)})`, badRequestFix(msg), "bad_request");
}

/** The body's own words after the status, unless they only repeat it. */
const said = (msg: string, status: number) =>
  msg.startsWith(`gateway answered ${status}`) ? msg.slice(`gateway answered ${status}`.length) : `: ${msg}`;

/** What to change for a 400, from what the gateway said was wrong; a request's fault is never fixed by retrying it. */
function badRequestFix(msg: string): string {
  if (/max[_ ]?tokens|output tokens/i.test(msg)) return "lower --max-tokens (config max-tokens) for this model";
  if (/context|too long|too many tokens|prompt is too large|maximum.*length/i.test(msg))
    return "send less: shorten the input, or start a new conversation (/clear in the REPL)";
  if (/temperature/i.test(msg)) return "use a --temperature this model accepts (0-1 is safe)";
  if (/image|vision|media/i.test(msg)) return "this model may not take images: pick a vision model with -m";
  if (/tool|function/i.test(msg)) return "pick another model with -m (this one may not support tool calls)";
  return "pick another model with -m (this one refused the request as it is)";
}
