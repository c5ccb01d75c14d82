// What ask and edit write to stdout, chosen once from the flags: text for people (render/text.ts), runcode's own
// JSONL or final JSON object (`--jsonl`, `--json`: render/jsonl.ts), or Claude Code's formats
// (`--output-format json|stream-json`: render/claude.ts). `-o FILE` writes the final answer as well.
import { claudeMode } from "../agent/hooks";
import type { Workspace } from "../agent/workspace";
import { ActionableError, usageError } from "../core/errors";
import type { AgentEvent } from "../core/events";
import { writeFileAtomic } from "../core/fs";
import { claudeRenderer, type ClaudeFacts, type ClaudeMode } from "../render/claude";
import { jsonlRenderer } from "../render/jsonl";
import { textRenderer } from "../render/text";
import { err, out, tty } from "./io";
import { colorErr, colorOut } from "./ui";

export const outputArgs = {
  "output-format": {
    type: "string",
    valueHint: "format",
    description: "text (default), json or stream-json: Claude Code's result object or message stream (docs/jsonl.md)",
  },
  "json-schema": {
    type: "string",
    valueHint: "file",
    description: "the answer must be JSON valid against this JSON Schema (a file, or the schema inline); retried once",
  },
  "output-last-message": { type: "string", alias: "o", valueHint: "file", description: "also write the final answer to this file" },
} as const;

/** `text`: for people; `jsonl`/`json`: runcode's own (--jsonl, --json); `claude-json`/`stream-json`: Claude Code's. */
export type Format = "text" | "jsonl" | "json" | "claude-json" | "stream-json";

export function formatOf(args: { jsonl?: unknown; json?: unknown; "output-format"?: unknown }): Format {
  const given = args["output-format"];
  if (given === undefined) return args.jsonl ? "jsonl" : args.json ? "json" : "text";
  const f = String(given);
  if (!["text", "json", "stream-json"].includes(f))
    throw usageError(`--output-format must be text, json or stream-json, got "${f}"`, "e.g. --output-format stream-json");
  if (args.jsonl || args.json)
    throw usageError(`--output-format and --${args.jsonl ? "jsonl" : "json"} both choose the output`, "give one of them");
  return f === "json" ? "claude-json" : (f as Format);
}

export type SinkOptions = {
  quiet: boolean;
  thinking: boolean;
  dryRun?: boolean;
  /** --json-schema: in text, stdout is the validated JSON alone (written by the caller), not the streamed answer. */
  structured: boolean;
  /** The open workspace, once there is one. */
  ws: () => Workspace | undefined;
};

export function sinkFor(format: Format, o: SinkOptions): (e: AgentEvent) => void {
  switch (format) {
    case "jsonl":
      return jsonlRenderer(out);
    case "json":
      return (e) => {
        if (e.type === "result") out(`${JSON.stringify({ ...e, ts: Date.now() })}\n`);
      };
    case "claude-json":
    case "stream-json":
      return claudeRenderer(out, {
        format: format === "claude-json" ? "json" : "stream-json",
        structured: o.structured,
        facts: () => factsOf(o.ws()),
      });
    case "text":
      return textRenderer(
        { out: o.structured ? () => {} : out, err },
        {
          tty: { out: tty.out, err: tty.err },
          color: { out: colorOut, err: colorErr },
          quiet: o.quiet,
          thinking: o.thinking,
          diff: o.dryRun && !o.structured ? "stdout" : "stderr",
        },
      );
    default:
      return format satisfies never;
  }
}

function factsOf(ws: Workspace | undefined): ClaudeFacts {
  const models = ws?.catalog.models ?? [];
  return {
    tools: ws?.toolbox.tools.specs().map((t) => t.name) ?? [],
    mcpServers: ws?.mcp.manager?.status().map((s) => ({ name: s.name, status: s.status })) ?? [],
    // claudeMode names Claude Code's modes (agent/hooks.ts tells hooks the same).
    permissionMode: (ws ? claudeMode(ws.spec.mode, { plan: !!ws.planMode, edit: ws.spec.kind === "edit" }) : "default") as ClaudeMode,
    limits: (id) => {
      const m = models.find((x) => x.id === id);
      return { contextWindow: m?.context ?? 0, maxOutputTokens: m?.maxOutput ?? 0 };
    },
  };
}

/** `-o FILE`: the final answer, written atomically. */
export function writeLastMessage(file: string, text: string) {
  try {
    writeFileAtomic(file, text);
  } catch (e) {
    throw new ActionableError(`cannot write ${file}: ${(e as Error).message}`, "give -o a writable path", "internal");
  }
}
