// One model request through the proxy: local answers first (model switch), then the model chain with fallback.
// Which model follows a failure is the one fallback policy (router/fallback.ts, docs/router.md); this file only
// describes what it saw: an error status and its body, a thrown error's code, or a non-streamed answer. Nothing is
// retried once a byte went to the client (a stream is passed through as it arrives). A 402 is paid inside
// Gateway.forward; a payment refusal is final here (the proxy has no "continue on free" switch), and each attempt
// reports whether it signed, so that after a signature only free models follow: one answer, one signature.
import { ActionableError, isAbort } from "../core/errors";
import { errorMessage } from "../gateway/client";
import { wasSigned } from "../money";
import {
  budgetSettings,
  classify,
  failureReason,
  isPaymentError,
  nextModel,
  outputBudget,
  writesLikely,
  type Failure,
  type ModelChain,
  type Tier,
  type Tried,
} from "../router";
import { extendJson, extendStream, type Extension } from "./extend";
import { setFields } from "./body";
import { readBody, type Intake } from "./intake";
import { meter, readUsage, type Usage } from "./meter";
import { mapModel, validName } from "./models";
import { routeRequest, type ClientBody } from "./route-request";
import { errorResponse, localAnswer, type Flavor } from "./shapes";
import type { ProxyState } from "./state";
import { conversationKey, switchCommand } from "./switch";

const PASS_HEADERS = ["content-type", "cache-control", "request-id", "x-request-id"];

/** One request's line: `from` is the model the client asked for, when it differs from the one that answered. */
export type Done = (line: { model: string; from?: string; status: number; usd: number; usage?: Usage; note?: string }) => void;

/** `intake`: the body, when the caller already read and checked it (the team server hashes it for its audit log). */
export async function complete(
  req: Request,
  path: string,
  flavor: Flavor,
  s: ProxyState,
  report: Done,
  intake?: Intake,
): Promise<Response> {
  const read = intake ?? (await readBody(req, s.maxBody, flavor));
  if (read instanceof Response) return fail(report, "-", read);
  const { raw, body } = read;
  const stream = body.stream === true;
  const requested = typeof body.model === "string" ? body.model : (s.model ?? "auto");
  const done: Done = (line) => report(line.model === requested || line.model === "-" ? line : { from: requested, ...line });
  const key = conversationKey(req.headers, body.messages);

  const use = switchCommand(body.messages);
  if (use) {
    let text: string;
    try {
      const name = validName(use, s.catalog(), s.get);
      s.switches.set(key, name);
      text = `Switched this conversation to ${name}. Other conversations keep their model.`;
    } catch (err) {
      text = `Cannot switch: ${err instanceof Error ? err.message : String(err)}`;
    }
    done({ model: "(switch)", status: 200, usd: 0, note: "answered locally" });
    return localAnswer(flavor, { text, model: requested, stream });
  }

  let chain: string[];
  let tier: Tier | undefined;
  try {
    ({ chain, tier } = mapModel({
      requested,
      override: s.model,
      switched: s.switches.get(key),
      get: s.get,
      catalog: s.catalog(),
      request: routeRequest(body, raw),
      options: s.router,
      fallback: s.fallback,
      pinned: s.pins.get(key),
    }));
    if (tier) s.pins.set(key, tier);
  } catch (err) {
    if (!(err instanceof ActionableError)) throw err; // a fault of ours: the server answers a 500 without its message
    return fail(done, requested, errorResponse(flavor, 400, err.message, "unknown_model"));
  }

  const headers = forwardHeaders(req);
  const fallbacks: ModelChain = { models: chain, routed: tier !== undefined, freeAfterPayment: false, catalog: s.catalog(), tier };
  const tried: Tried[] = [];
  let usd = 0;
  let last: Response | undefined;
  let model: string | undefined = chain[0]!;
  const notes: string[] = [];
  while (model) {
    let failure: Failure | undefined;
    let signed = false;
    try {
      const m = model;
      const budget = lowered(flavor, raw, body, m, s, tier);
      const sent = rewrite(raw, body, m, s);
      const r = await s.gateway.forward(path, budget ? setFields(sent, { max_tokens: budget.budget }) : sent, { model: m, headers });
      usd += r.usd;
      // The continuation of an answer that stopped at the lowered budget: same model, same client body, more room.
      const ext: Extension | undefined =
        budget && !budget.retry
          ? {
              ...budget,
              next: async (maxTokens, prefill) => {
                const messages = prefill.length ? [...(body.messages ?? []), { role: "assistant", content: prefill }] : body.messages;
                const more = await s.gateway.forward(path, setFields(sent, { max_tokens: maxTokens, messages }), { model: m, headers });
                usd += more.usd;
                if (!more.response.ok) throw new Error(await errorMessage(more.response));
                return more.response;
              },
            }
          : undefined;
      signed = r.usd > 0 || wasSigned(r.response);
      let res = r.response;
      // Adaptive thinking cannot be continued: the answer is read whole, and one that stopped at the lowered budget
      // is asked for again with the client's own (the only case where an answer is paid for twice in part).
      if (budget?.retry && res.ok) {
        const whole = await res.text();
        if (/"stop_reason"\s*:\s*"max_tokens"/.test(whole)) {
          const again = await s.gateway.forward(path, sent, { model: m, headers });
          usd += again.usd;
          notes.push(`stopped at ${budget.budget} tokens while thinking; asked again with ${budget.upper}`);
          res = again.response;
        } else res = new Response(whole, { status: res.status, headers: res.headers });
      }
      if (!res.ok) {
        const text = await res.text();
        failure = { kind: "status", status: res.status, body: text };
        last = errorResponse(
          flavor,
          res.status,
          await errorMessage(new Response(text, { status: res.status, statusText: res.statusText })),
        );
      } else if ((res.headers.get("content-type") ?? "").includes("text/event-stream") && res.body) {
        const out = meter(ext ? extendStream(res.body, ext) : res.body, flavor, (o) =>
          done({ model: m, status: res.status, usd, usage: o.usage, note: [...notes, o.error].filter(Boolean).join("; ") }),
        );
        return new Response(out, { status: res.status, headers: passHeaders(res, m, usd) });
      } else {
        let text = await res.text();
        if (ext) {
          try {
            text = await extendJson(text, ext);
          } catch (err) {
            // Not an answer we can continue (or its continuation failed): what came back is what the client gets.
            if (!(err instanceof SyntaxError)) notes.push(`continuation failed: ${err instanceof Error ? err.message : String(err)}`);
          }
        }
        const answer = parseAnswer(text);
        last = new Response(text, { status: res.status, headers: passHeaders(res, model, usd) });
        // A body that is not an answer we can read passes through as it is.
        if (answer.text !== undefined) failure = { kind: "answer", text: answer.text, toolCalls: answer.tools };
        if (!failure || !failureReason(failure)) {
          done({ model, status: res.status, usd, usage: answer.usage, note: notes.join("; ") });
          return last;
        }
      }
    } catch (err) {
      if (isAbort(err)) return fail(done, model, new Response(null, { status: 499 }), usd);
      signed = wasSigned(err);
      const message = err instanceof Error ? err.message : String(err);
      // Only an error the gateway client classified is a fallback reason: a fault of ours is not retried elsewhere.
      if (err instanceof ActionableError) failure = { kind: "error", code: err.code, message };
      const code = err instanceof ActionableError ? err.code : "gateway_unreachable";
      // A payment problem is a 402; a refused secret (the client's own body carried runcode's key) the client's fault.
      // …and a team server's database out of reach (src/team) is a 503: nothing was paid, retry shortly.
      const status = isPaymentError(code) ? 402 : code === "secret_refused" ? 400 : code === "store" ? 503 : 502;
      last = errorResponse(flavor, status, message, code);
    }
    tried.push({ id: model, signed });
    if (!failure || !s.fallback) break;
    const next = nextModel({ failure, reached: false, tried, chain: fallbacks });
    if (next) notes.push(`${model} → ${next.model} (${next.reason})`);
    model = next?.model;
  }
  return fail(done, tried.at(-1)?.id ?? requested, last ?? errorResponse(flavor, 502, "no model could answer"), usd, notes.join("; "));
}

function fail(done: Done, model: string, res: Response, usd = 0, note?: string): Response {
  done({ model, status: res.status, usd, note });
  return res;
}

/**
 * The output budget to send instead of the client's max_tokens (src/router/budget.ts), or undefined to send the
 * client's own: the policy is off (output-budget client), the protocol cannot be continued (Chat Completions has no
 * prefill), the request thinks with a budget_tokens of its own, or the budget would not be lower. `retry`: adaptive
 * thinking, whose cut answer is asked for again with the client's budget instead of continued.
 */
function lowered(flavor: Flavor, raw: string, body: ClientBody, model: string, s: ProxyState, tier?: Tier) {
  if (flavor !== "anthropic" || typeof body.max_tokens !== "number") return undefined;
  // Extended thinking with its own budget_tokens needs max_tokens above it: the client's own. Adaptive thinking
  // (the model decides; Claude Code's default) has no such bound, but forbids the prefill a continuation needs.
  const thinking = (body as { thinking?: { type?: string } }).thinking?.type;
  if (thinking && thinking !== "disabled" && thinking !== "adaptive") return undefined;
  const retry = thinking === "adaptive";
  const settings = budgetSettings(s.get);
  if (settings.mode === "client") return undefined;
  const limit = s.catalog().find((m) => m.id === model)?.maxOutput;
  const upper = Math.min(body.max_tokens, limit || body.max_tokens);
  const request = routeRequest(body, raw);
  const tools = (body.tools ?? []).map((t) => String((t as { name?: unknown })?.name ?? ""));
  const chosen = outputBudget(settings, {
    tier: tier ?? classify(request.prompt, request.system ?? "").tier,
    writes: writesLikely(tools, request.prompt),
    upper,
  });
  // A thinking answer that stops at its budget is asked for again whole: never below the MEDIUM budget.
  const budget = retry ? Math.min(upper, Math.max(chosen, settings.tokens)) : chosen;
  return budget < upper ? { budget, upper, retry } : undefined;
}

/** The client's body with only `model` (and `max_tokens` above the model's limit) changed; else the same bytes. */
function rewrite(raw: string, body: ClientBody, model: string, s: ProxyState): string {
  const fields: Record<string, unknown> = {};
  if (body.model !== model) fields.model = model;
  const limit = s.catalog().find((m) => m.id === model)?.maxOutput;
  if (limit && typeof body.max_tokens === "number" && body.max_tokens > limit) fields.max_tokens = limit;
  return Object.keys(fields).length ? setFields(raw, fields) : raw;
}

/** Protocol headers pass through unchanged (anthropic-version, anthropic-beta…); the client's auth never does. */
function forwardHeaders(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  req.headers.forEach((v, k) => {
    if (k.startsWith("anthropic-") || k === "openai-beta" || k === "accept") out[k] = v;
  });
  return out;
}

function passHeaders(res: Response, model: string, usd: number): Headers {
  const h = new Headers();
  for (const k of PASS_HEADERS) {
    const v = res.headers.get(k);
    if (v) h.set(k, v);
  }
  h.set("x-runcode-model", model);
  h.set("x-runcode-usd", usd.toFixed(6));
  return h;
}

type Answer = { text?: string; tools: number; usage: Usage };
/** Answer text, tool calls and usage of a non-streamed Anthropic or OpenAI body (for degraded-answer fallback). */
function parseAnswer(text: string): Answer {
  const usage: Usage = { input: 0, output: 0 };
  try {
    const j = JSON.parse(text) as {
      content?: Array<{ type?: string; text?: string }>;
      choices?: Array<{ message?: { content?: unknown; tool_calls?: unknown[] } }>;
    };
    readUsage(j, usage);
    if (Array.isArray(j.content))
      return {
        text: j.content
          .filter((b) => b.type === "text")
          .map((b) => b.text ?? "")
          .join(""),
        tools: j.content.filter((b) => b.type === "tool_use").length,
        usage,
      };
    const m = j.choices?.[0]?.message;
    if (m) return { text: typeof m.content === "string" ? m.content : "", tools: m.tool_calls?.length ?? 0, usage };
  } catch {
    // not JSON: passed through as it is
  }
  return { text: undefined, tools: 0, usage };
}
