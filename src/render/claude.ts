// Claude Code's machine formats (`--output-format json|stream-json`), for programs written against `claude -p` and
// its Agent SDK: the same AgentEvents as every renderer, shaped as Claude Code's messages (docs/jsonl.md, "Claude
// Code formats"). stream-json: `system/init` first, one `assistant` message per finished content block, a `user`
// message per tool result, one `result` last; json: that `result` alone. The shapes are checked against the SDK's
// own types (test/e2e/output-formats.test.ts), so they carry the fields those types require even where runcode
// has nothing to say (null, 0, []).
import type { AgentEvent } from "../core/events";

export type Uuid = `${string}-${string}-${string}-${string}-${string}`;
/** Claude Code's permission modes (the SDK's PermissionMode). */
export type ClaudeMode = "default" | "acceptEdits" | "bypassPermissions" | "plan" | "dontAsk";

/** What the events do not say and the init and result messages need: handed in by the front end. */
export type ClaudeFacts = {
  /** Names of the tools offered to the model. */
  tools: string[];
  mcpServers: Array<{ name: string; status: string }>;
  permissionMode: ClaudeMode;
  /** A model's context window and output limit (0 when unknown). */
  limits: (model: string) => { contextWindow: number; maxOutputTokens: number };
};

export type ClaudeOptions = {
  format: "json" | "stream-json";
  facts: () => ClaudeFacts;
  /** A JSON schema constrained the answer: a successful result's text is that JSON, given as `structured_output`. */
  structured?: boolean;
  now?: () => number;
  uuid?: () => Uuid;
};

export type ClaudeUsage = {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  cache_creation: { ephemeral_1h_input_tokens: number; ephemeral_5m_input_tokens: number };
  server_tool_use: { web_search_requests: number; web_fetch_requests: number };
  output_tokens_details: { thinking_tokens: number };
  service_tier: "standard";
  speed: "standard";
  inference_geo: string;
  iterations: never[];
  fallback_credit: null;
};

export type ClaudeBlock =
  | { type: "text"; text: string; citations: null }
  | { type: "thinking"; thinking: string; signature: string }
  | { type: "tool_use"; id: string; name: string; input: Record<string, unknown> };

type Envelope = { session_id: string; uuid: Uuid };

export type ClaudeInit = Envelope & {
  type: "system";
  subtype: "init";
  apiKeySource: "none";
  claude_code_version: string;
  cwd: string;
  tools: string[];
  mcp_servers: Array<{ name: string; status: string }>;
  model: string;
  permissionMode: ClaudeMode;
  slash_commands: string[];
  output_style: string;
  skills: string[];
  plugins: Array<{ name: string; path: string }>;
};

export type ClaudeAssistant = Envelope & {
  type: "assistant";
  parent_tool_use_id: null;
  message: {
    id: string;
    type: "message";
    role: "assistant";
    model: string;
    content: ClaudeBlock[];
    /** Null while streaming, as Claude Code sends it: the turn's stop reason is on the result. */
    stop_reason: null;
    stop_sequence: null;
    stop_details: null;
    usage: ClaudeUsage;
    container: null;
    context_management: null;
    diagnostics: null;
  };
};

export type ClaudeUser = Envelope & {
  type: "user";
  parent_tool_use_id: null;
  timestamp: string;
  message: {
    role: "user";
    content: Array<{ type: "tool_result"; tool_use_id: string; content: string; is_error?: boolean }>;
  };
};

export type ClaudeCompact = Envelope & {
  type: "system";
  subtype: "compact_boundary";
  compact_metadata: { trigger: "auto" | "manual"; pre_tokens: number; post_tokens: number };
};

type ResultBase = Envelope & {
  type: "result";
  is_error: boolean;
  duration_ms: number;
  duration_api_ms: number;
  num_turns: number;
  stop_reason: string | null;
  total_cost_usd: number;
  usage: ClaudeUsage;
  modelUsage: Record<string, ModelUsage>;
  permission_denials: Array<{ tool_name: string; tool_use_id: string; tool_input: Record<string, unknown> }>;
};
export type ClaudeSuccess = ResultBase & { subtype: "success"; result: string; structured_output?: unknown };
export type ClaudeError = ResultBase & {
  subtype: "error_during_execution" | "error_max_turns" | "error_max_structured_output_retries";
  errors: string[];
};
export type ClaudeResult = ClaudeSuccess | ClaudeError;
export type ClaudeMessage = ClaudeInit | ClaudeAssistant | ClaudeUser | ClaudeCompact | ClaudeResult;

type ModelUsage = {
  inputTokens: number;
  outputTokens: number;
  cacheReadInputTokens: number;
  cacheCreationInputTokens: number;
  webSearchRequests: number;
  costUSD: number;
  contextWindow: number;
  maxOutputTokens: number;
};

const usageOf = (input: number, output: number, cacheRead = 0, cacheWrite = 0): ClaudeUsage => ({
  input_tokens: input,
  output_tokens: output,
  cache_creation_input_tokens: cacheWrite,
  cache_read_input_tokens: cacheRead,
  cache_creation: { ephemeral_1h_input_tokens: 0, ephemeral_5m_input_tokens: cacheWrite },
  server_tool_use: { web_search_requests: 0, web_fetch_requests: 0 },
  output_tokens_details: { thinking_tokens: 0 },
  service_tier: "standard",
  speed: "standard",
  inference_geo: "",
  iterations: [],
  fallback_credit: null,
});

/** runcode's error codes that Claude Code names with a subtype of their own; everything else failed during execution. */
const SUBTYPES: Record<string, ClaudeError["subtype"]> = {
  max_turns: "error_max_turns",
  schema_mismatch: "error_max_structured_output_retries",
};

export function claudeRenderer(write: (s: string) => void, o: ClaudeOptions) {
  const now = o.now ?? Date.now;
  const uuid = o.uuid ?? (() => crypto.randomUUID());
  const line = (m: ClaudeMessage) => write(`${JSON.stringify(m)}\n`);
  const stream = o.format === "stream-json";
  let session = "";
  let model = "";
  let messageId = "";
  /** The content block being streamed (text or thinking), sent when the next block starts or the call ends. */
  let open: Extract<ClaudeBlock, { type: "text" | "thinking" }> | undefined;
  let turnStart = 0;
  let apiMs = 0;
  let stop: string | null = null;
  let cache = { read: 0, write: 0 };
  const models: Record<string, ModelUsage> = {};
  const denials: ClaudeResult["permission_denials"] = [];

  const assistant = (block: ClaudeBlock, usage = usageOf(0, 0)) => {
    if (!stream) return;
    const message = {
      id: messageId || `msg_${uuid().replaceAll("-", "")}`,
      type: "message" as const,
      role: "assistant" as const,
      model,
      content: [block],
      stop_reason: null,
      stop_sequence: null,
      stop_details: null,
      usage,
      container: null,
      context_management: null,
      diagnostics: null,
    };
    line({ type: "assistant", message, parent_tool_use_id: null, session_id: session, uuid: uuid() });
  };
  const close = (usage?: ClaudeUsage) => {
    if (open && (open.type === "text" ? open.text : open.thinking)) assistant(open, usage);
    open = undefined;
  };
  const streamed = (type: "text" | "thinking", text: string) => {
    if (open?.type !== type) close();
    if (!open) open = type === "text" ? { type, text: "", citations: null } : { type, thinking: "", signature: "" };
    if (open.type === "text") open.text += text;
    else open.thinking += text;
  };
  const toolResult = (call: string, content: string, error: boolean) => {
    if (!stream) return;
    const block = { type: "tool_result" as const, tool_use_id: call, content, ...(error ? { is_error: true } : {}) };
    line({
      type: "user",
      message: { role: "user", content: [block] },
      parent_tool_use_id: null,
      session_id: session,
      uuid: uuid(),
      timestamp: new Date(now()).toISOString(),
    });
  };

  return (e: AgentEvent) => {
    switch (e.type) {
      case "session.started": {
        session = e.session;
        model = e.model;
        if (!stream) return;
        const f = o.facts();
        return line({
          type: "system",
          subtype: "init",
          apiKeySource: "none",
          claude_code_version: e.version,
          cwd: e.cwd,
          tools: f.tools,
          mcp_servers: f.mcpServers,
          model: e.model,
          permissionMode: f.permissionMode,
          slash_commands: [],
          output_style: "default",
          skills: [],
          plugins: [],
          session_id: session,
          uuid: uuid(),
        });
      }
      case "turn.started":
        close();
        model = e.model;
        messageId = `msg_${uuid().replaceAll("-", "")}`;
        turnStart = now();
        return;
      case "text.delta":
        return streamed("text", e.text);
      case "reasoning.delta":
        return streamed("thinking", e.text);
      case "usage": {
        close(usageOf(e.input, e.output));
        const m = (models[e.model] ??= {
          inputTokens: 0,
          outputTokens: 0,
          cacheReadInputTokens: 0,
          cacheCreationInputTokens: 0,
          webSearchRequests: 0,
          costUSD: 0,
          ...o.facts().limits(e.model),
        });
        m.inputTokens += e.input;
        m.outputTokens += e.output;
        m.costUSD += e.usd;
        return;
      }
      case "model.substituted":
        model = e.model;
        return;
      case "turn.completed": {
        close();
        // The model call is the turn's whole span: tools that start while it streams overlap it.
        apiMs += Math.max(0, now() - turnStart);
        stop = e.stop;
        cache = { read: cache.read + (e.usage.cacheRead ?? 0), write: cache.write + (e.usage.cacheWrite ?? 0) };
        const m = models[model];
        if (m) {
          m.cacheReadInputTokens += e.usage.cacheRead ?? 0;
          m.cacheCreationInputTokens += e.usage.cacheWrite ?? 0;
        }
        return;
      }
      case "tool.started":
        close();
        return assistant({ type: "tool_use", id: e.call, name: e.tool, input: e.input });
      case "tool.completed":
        return toolResult(e.call, e.output, !e.ok);
      case "tool.denied":
        // A denied call never starts, and the event does not carry its input.
        close();
        denials.push({ tool_name: e.tool, tool_use_id: e.call, tool_input: {} });
        assistant({ type: "tool_use", id: e.call, name: e.tool, input: {} });
        return toolResult(e.call, `Permission denied: ${e.reason}`, true);
      case "compact.boundary":
        if (!stream) return;
        return line({
          type: "system",
          subtype: "compact_boundary",
          compact_metadata: { trigger: e.trigger, pre_tokens: e.before, post_tokens: e.after },
          session_id: session,
          uuid: uuid(),
        });
      case "result": {
        close();
        const base: Omit<ResultBase, "type"> = {
          is_error: !e.ok,
          duration_ms: e.ms,
          duration_api_ms: apiMs,
          num_turns: e.turns,
          stop_reason: stop,
          total_cost_usd: e.usd,
          usage: usageOf(e.usage.input, e.usage.output, cache.read, cache.write),
          modelUsage: models,
          permission_denials: denials,
          session_id: session,
          uuid: uuid(),
        };
        if (e.ok)
          return line({
            type: "result",
            subtype: "success",
            ...base,
            result: e.text,
            ...(o.structured ? { structured_output: JSON.parse(e.text) } : {}),
          });
        const code = e.error?.code ?? "internal";
        return line({
          type: "result",
          subtype: SUBTYPES[code] ?? "error_during_execution",
          ...base,
          errors: [e.error?.message ?? "failed"],
        });
      }
      // Nothing in Claude Code's formats says these: progress, routing, money and files are runcode's own.
      case "tool.output":
      case "file.changed":
      case "route.decided":
      case "model.fallback":
      case "payment.settled":
      case "payment.failed":
      case "hook.finished":
      case "warning":
        return;
      default:
        e satisfies never;
    }
  };
}
