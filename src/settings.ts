// Every setting runcode knows, in one table: the program-wide ones below, then each feature's own. It is assembled
// here, above the features, because core/config.ts (which reads, validates and documents settings) is below them and
// must not know them. Everything that reads or changes the config file uses the functions at the bottom; a feature
// that reads only its own settings may pass its own definitions to core/config.ts instead (router/options.ts).
import { findSetting, parseSetting, settingValue, type Config, type SettingDef, type SettingTable } from "./core/config";
import { MCP_SETTINGS } from "./mcp/settings";
import { PAYMENT_SETTINGS } from "./money/settings";
import { PROXY_SETTINGS } from "./proxy/settings";
import { BUDGET_SETTINGS } from "./router/budget";
import { ROUTING_SETTINGS } from "./router/settings";
import { STORE_SETTINGS } from "./store/settings";
import { TEAM_SETTINGS } from "./team/settings";
import { TOOL_SETTINGS } from "./tools/settings";

const GENERAL: Record<string, SettingDef> = {
  "default-model": { kind: "string", doc: "model used when -m is not given (id, shortcut or profile); unset = best free coding model" },
  "sonnet-model": { kind: "string", default: "anthropic/claude-sonnet-4.6", doc: "gateway id the proxy maps claude-sonnet-* to" },
  "opus-model": { kind: "string", default: "anthropic/claude-opus-4.6", doc: "gateway id the proxy maps claude-opus-* to" },
  "haiku-model": { kind: "string", default: "anthropic/claude-haiku-4.5", doc: "gateway id the proxy maps claude-haiku-* to" },
  "smart-routing": { kind: "bool", default: true, doc: "route the auto/eco/premium/free profiles with the classifier" },
  "permission-mode": {
    kind: { enum: ["default", "trust", "plan", "deny-all"] },
    default: "default",
    doc: "default asks before Write/Edit/Bash; trust allows all; plan and deny-all are read-only",
  },
  "max-turns": { kind: "int", default: 100, doc: "model calls per user message before the agent stops" },
  "auto-compact": { kind: "bool", default: true, doc: "summarise older history when the context window fills" },
  "session-save": { kind: "bool", default: true, doc: "persist sessions to the local database" },
  debug: { kind: "bool", default: false, doc: "write debug lines to runcode-debug.log" },
  "max-tokens": { kind: "int", default: 8192, doc: "default max output tokens per model call" },
  "request-timeout": { kind: "int", default: 300, doc: "seconds without any byte from the gateway before a request is aborted" },
  "catalog-ttl": { kind: "int", default: 3600, doc: "seconds the cached model catalog is considered fresh" },
  "api-url": { kind: "string", doc: "gateway base URL (overrides the chain's; RUNCODE_API_URL overrides this)" },
  protocol: {
    kind: { enum: ["messages", "chat-completions"] },
    default: "messages",
    doc: "wire protocol of the gateway: Anthropic Messages or OpenAI Chat Completions",
  },
  "max-stdin-mb": { kind: "int", default: 8, doc: "largest piped stdin accepted as context, in MB" },
};

export const SETTINGS: SettingTable = {
  named: {
    ...GENERAL,
    ...BUDGET_SETTINGS,
    ...PAYMENT_SETTINGS,
    ...TOOL_SETTINGS,
    ...STORE_SETTINGS,
    ...PROXY_SETTINGS,
    ...MCP_SETTINGS,
    ...TEAM_SETTINGS,
  },
  patterns: ROUTING_SETTINGS,
};

export const settingDef = (key: string) => findSetting(SETTINGS, key);

/** A user-supplied value for a key, validated; throws an ActionableError naming the key and what it accepts. */
export const parseValue = (key: string, raw: unknown) => parseSetting(SETTINGS, key, raw);

/** The effective value of a key: the file's value read tolerantly, else the default. Bad stored values are an error. */
export const getValue = (config: Config, key: string, file?: string) => settingValue(SETTINGS, config, key, file);
