// runcode-config.json: the original's flat key → value file. Values are read tolerantly (the original stored
// everything as strings: "true", "100"), validated against the key table below, and written atomically.
// A corrupt file is reported with its path and never reset. Other features register their keys in KEYS.
import { existsSync, readFileSync } from "node:fs";
import { ActionableError, closest } from "./errors";
import { writePrivateJson } from "./private";
import { PAYMENT_KEYS } from "../gateway/payment/keys";
import { TOOL_KEYS } from "../tools/keys";
import { ROUTING_KEYS } from "../router/keys";
import { STORE_KEYS } from "../store/keys";
import { PROXY_KEYS } from "../proxy/keys";
import { MCP_KEYS } from "../mcp/keys";

type Kind = "string" | "bool" | "int" | "usd" | { enum: readonly string[] };
export type KeyDef = { kind: Kind; default?: unknown; doc: string };

export const KEYS: Record<string, KeyDef> = {
  "default-model": { kind: "string", doc: "model used when -m is not given (id, shortcut or profile); unset = best free coding model" },
  "sonnet-model": { kind: "string", default: "anthropic/claude-sonnet-4.6", doc: "gateway id the proxy maps claude-sonnet-* to" },
  "opus-model": { kind: "string", default: "anthropic/claude-opus-4.6", doc: "gateway id the proxy maps claude-opus-* to" },
  "haiku-model": { kind: "string", default: "anthropic/claude-haiku-4.5", doc: "gateway id the proxy maps claude-haiku-* to" },
  "smart-routing": { kind: "bool", default: true, doc: "route the auto/eco/premium/free profiles with the classifier" },
  "permission-mode": { kind: { enum: ["default", "trust", "plan", "deny-all"] }, default: "default", doc: "default asks before Write/Edit/Bash; trust allows all; plan and deny-all are read-only" },
  "max-turns": { kind: "int", default: 100, doc: "model calls per user message before the agent stops" },
  "auto-compact": { kind: "bool", default: true, doc: "summarise older history when the context window fills" },
  "session-save": { kind: "bool", default: true, doc: "persist sessions to the local database" },
  debug: { kind: "bool", default: false, doc: "write debug lines to runcode-debug.log" },
  "max-tokens": { kind: "int", default: 8192, doc: "default max output tokens per model call" },
  "request-timeout": { kind: "int", default: 300, doc: "seconds without any byte from the gateway before a request is aborted" },
  "catalog-ttl": { kind: "int", default: 3600, doc: "seconds the cached model catalog is considered fresh" },
  "api-url": { kind: "string", doc: "gateway base URL (overrides the chain's; RUNCODE_API_URL overrides this)" },
  protocol: { kind: { enum: ["messages", "chat-completions"] }, default: "messages", doc: "wire protocol of the gateway: Anthropic Messages or OpenAI Chat Completions" },
  "max-stdin-mb": { kind: "int", default: 8, doc: "largest piped stdin accepted as context, in MB" },
  ...PAYMENT_KEYS,
  ...TOOL_KEYS,
  ...STORE_KEYS,
  ...PROXY_KEYS,
  ...MCP_KEYS,
};

/** Keys whose name is a pattern (e.g. routing tables): first match wins. */
export const KEY_PATTERNS: Array<{ pattern: RegExp; def: KeyDef }> = [...ROUTING_KEYS];

export type Config = Record<string, unknown>;

export function keyDef(key: string): KeyDef | undefined {
  return KEYS[key] ?? KEY_PATTERNS.find((p) => p.pattern.test(key))?.def;
}

/** Parse a user-supplied value for a key; throws an ActionableError naming the key and what it accepts. */
export function parseValue(key: string, raw: unknown): unknown {
  const def = keyDef(key);
  if (!def) {
    const near = closest(key, Object.keys(KEYS));
    throw new ActionableError(
      `unknown config key "${key}"`,
      near.length ? `did you mean ${near.join(", ")}? (runcode config list shows all keys)` : "run `runcode config list` to see the keys",
      "config",
    );
  }
  const bad = (accepts: string) =>
    new ActionableError(`bad value ${JSON.stringify(raw)} for "${key}"`, `use ${accepts}`, "config");
  const s = typeof raw === "string" ? raw.trim() : raw;
  const { kind } = def;
  if (kind === "string") {
    if (typeof s !== "string" || s === "") throw bad("a non-empty string");
    return s;
  }
  if (kind === "bool") {
    if (s === true || s === "true" || s === "on" || s === "yes" || s === "1") return true;
    if (s === false || s === "false" || s === "off" || s === "no" || s === "0") return false;
    throw bad("true or false");
  }
  if (kind === "int") {
    const n = typeof s === "number" ? s : typeof s === "string" && /^\d+$/.test(s) ? Number(s) : NaN;
    if (!Number.isSafeInteger(n) || n < 0) throw bad("a whole number ≥ 0");
    return n;
  }
  if (kind === "usd") {
    const n = typeof s === "number" ? s : typeof s === "string" && /^\$?\d+(\.\d+)?$/.test(s) ? Number(s.replace("$", "")) : NaN;
    if (!Number.isFinite(n) || n < 0) throw bad("an amount in USD like 0.05");
    return n;
  }
  if (typeof s !== "string" || !kind.enum.includes(s)) throw bad(`one of ${kind.enum.join(", ")}`);
  return s;
}

export function readConfig(file: string): Config {
  if (!existsSync(file)) return {};
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    throw new ActionableError(`config file ${file} is not valid JSON`, "fix it by hand or move it away; runcode will not reset it", "config");
  }
  if (!data || typeof data !== "object" || Array.isArray(data))
    throw new ActionableError(`config file ${file} is not a JSON object`, "fix it by hand or move it away; runcode will not reset it", "config");
  return data as Config;
}

/** The effective value of a key: the file's value read tolerantly, else the default. Bad stored values are an error. */
export function getValue(config: Config, key: string, file = "runcode-config.json"): unknown {
  const stored = config[key];
  if (stored === undefined || stored === null || stored === "") return keyDef(key)?.default;
  try {
    return parseValue(key, stored);
  } catch (err) {
    if (err instanceof ActionableError)
      throw new ActionableError(`${err.summary} in ${file}`, `run \`runcode config set ${key} <value>\` or \`runcode config unset ${key}\``, "config");
    throw err;
  }
}

/** 0600: the file may hold `proxy-token`. */
export function writeConfig(file: string, config: Config) {
  writePrivateJson(file, config);
}
