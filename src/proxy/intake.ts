// A client's request body, read and checked before anything uses it. Bytes are counted as they arrive and the read
// stops at the limit (a chunked body has no content-length to refuse up front, and counting characters would let
// multibyte text through at up to three times the limit); the bytes must be UTF-8, the text JSON, and the JSON the
// shape the proxy reads (the router, model switches and count_tokens all look inside `messages`). A refusal is a
// Response in the client's protocol, and nothing unchecked reaches the router or the gateway.
import type { ClientBody } from "./route-request";
import { tooLarge } from "./security";
import { errorResponse, type Flavor } from "./shapes";

export type Intake = { raw: string; body: ClientBody };

const TOO_LARGE = Symbol("too large");
const NOT_UTF8 = Symbol("not UTF-8");

export async function readBody(req: Request, max: number, flavor: Flavor): Promise<Intake | Response> {
  const text = await readText(req, max);
  if (text === TOO_LARGE) return tooLarge(flavor, max);
  if (text === NOT_UTF8) return invalid(flavor, "the request body is not valid UTF-8");
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return invalid(flavor, "the request body is not valid JSON");
  }
  const problem = shapeProblem(body, flavor);
  return problem ? invalid(flavor, problem) : { raw: text, body: body as ClientBody };
}

const invalid = (flavor: Flavor, message: string) => errorResponse(flavor, 400, message, "invalid_request");

/** At most `max` bytes are ever held: past the limit the read is cancelled, which ends the upload. */
async function readText(req: Request, max: number): Promise<string | typeof TOO_LARGE | typeof NOT_UTF8> {
  if (!req.body) return "";
  const reader = req.body.getReader();
  const utf8 = new TextDecoder("utf-8", { fatal: true });
  const parts: string[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      return TOO_LARGE;
    }
    try {
      parts.push(utf8.decode(value, { stream: true }));
    } catch {
      await reader.cancel().catch(() => {});
      return NOT_UTF8;
    }
  }
  try {
    parts.push(utf8.decode());
  } catch {
    return NOT_UTF8; // ends inside a multibyte sequence
  }
  return parts.join("");
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);
/** Optional fields may be absent or null (OpenAI clients send `null` for "not set"). */
const unset = (v: unknown) => v === undefined || v === null;

/** What is wrong with the body, phrased for the client's developer; undefined when the proxy can use it. */
export function shapeProblem(body: unknown, flavor: Flavor): string | undefined {
  if (!isObject(body)) return "the request body must be a JSON object";
  if (!unset(body.model) && typeof body.model !== "string") return "`model` must be a string";
  if (!unset(body.stream) && typeof body.stream !== "boolean") return "`stream` must be true or false";
  for (const k of ["max_tokens", "max_completion_tokens"]) {
    const v = body[k];
    if (!unset(v) && !(Number.isSafeInteger(v) && (v as number) > 0)) return `\`${k}\` must be a positive whole number`;
  }
  for (const k of ["temperature", "top_p", "top_k"]) if (!unset(body[k]) && typeof body[k] !== "number") return `\`${k}\` must be a number`;
  if (!unset(body.tools) && !(Array.isArray(body.tools) && body.tools.every(isObject))) return "`tools` must be an array of objects";
  if (flavor === "anthropic" && !unset(body.system) && typeof body.system !== "string" && !blocks(body.system))
    return "`system` must be a string or an array of content blocks";
  const messages = body.messages;
  if (!Array.isArray(messages)) return unset(messages) ? "`messages` is required" : "`messages` must be an array";
  if (!messages.length) return "`messages` must not be empty";
  for (const [i, m] of messages.entries()) {
    if (!isObject(m)) return `\`messages[${i}]\` must be an object`;
    if (typeof m.role !== "string") return `\`messages[${i}].role\` must be a string`;
    // OpenAI lets an assistant message with tool calls have no content; Anthropic always needs one.
    if (flavor === "openai" && unset(m.content)) continue;
    if (typeof m.content !== "string" && !blocks(m.content))
      return `\`messages[${i}].content\` must be a string or an array of content blocks`;
  }
  return undefined;
}

/** An array of content blocks: objects with a string `type`. */
const blocks = (v: unknown) => Array.isArray(v) && v.every((b) => isObject(b) && typeof b.type === "string");
