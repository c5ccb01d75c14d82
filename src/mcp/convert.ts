// Pure conversions between MCP and runcode's tool contract: names the model can call, schemas the registry's
// validator reads correctly, and tool results converted without losing what the server said.
import type { ImageBlock } from "../llm/types";
import type { JsonSchema, ToolResult } from "../tools/types";

/** `mcp__<server>__<tool>`: the model APIs accept only [a-zA-Z0-9_-] and at most 64 characters. */
export function toolName(server: string, tool: string): string {
  const clean = (s: string) => s.replace(/[^a-zA-Z0-9_-]/g, "_");
  return `mcp__${clean(server)}__${clean(tool)}`.slice(0, 64);
}

type Schema = Record<string, unknown>;

/**
 * The server's input schema, made safe for the registry's small validator: `type: ["string", "null"]` becomes the
 * equivalent `anyOf` (the validator would otherwise reject every value), and the root is always an object.
 */
export function inputSchema(raw: unknown): JsonSchema & { type: "object" } {
  const fix = (s: unknown): unknown => {
    if (Array.isArray(s)) return s.map(fix);
    if (!s || typeof s !== "object") return s;
    const out: Schema = {};
    for (const [k, v] of Object.entries(s as Schema))
      out[k] = k === "properties" || k === "$defs" || k === "definitions" ? mapValues(v, fix) : fix(v);
    if (Array.isArray(out.type)) {
      out.anyOf = (out.type as unknown[]).map((type) => ({ type }));
      delete out.type;
    }
    return out;
  };
  const s = fix(raw ?? {}) as Schema;
  return { ...s, type: "object", properties: (s.properties as Record<string, JsonSchema> | undefined) ?? {} } as JsonSchema & {
    type: "object";
  };
}

const mapValues = (v: unknown, f: (x: unknown) => unknown) =>
  v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, f(x)])) : v;

type Block = { type: string; [k: string]: unknown };
export type CallResult = { content?: unknown[]; structuredContent?: unknown; isError?: boolean; toolResult?: unknown };

/** An MCP CallToolResult as a ToolResult: text stays text, images become image blocks, the rest is described in text. */
export function convertResult(r: CallResult): ToolResult {
  const texts: string[] = [];
  const images: ImageBlock[] = [];
  for (const raw of r.content ?? []) {
    const b = raw as Block;
    switch (b.type) {
      case "text":
        texts.push(String(b.text ?? ""));
        break;
      case "image":
        images.push({
          type: "image",
          source: { type: "base64", media_type: String(b.mimeType ?? "image/png"), data: String(b.data ?? "") },
        });
        texts.push(`[image ${String(b.mimeType ?? "")}]`);
        break;
      case "audio":
        texts.push(
          `[audio ${String(b.mimeType ?? "")}, ${Math.round((String(b.data ?? "").length * 3) / 4)} bytes: not shown to the model]`,
        );
        break;
      case "resource":
        texts.push(resourceText(b.resource as Block | undefined));
        break;
      case "resource_link":
        texts.push(
          `[resource link ${String(b.uri)}${b.name ? ` "${String(b.name)}"` : ""}${b.mimeType ? ` (${String(b.mimeType)})` : ""}]${b.description ? ` ${String(b.description)}` : ""}`,
        );
        break;
      default:
        texts.push(JSON.stringify(b));
    }
  }
  // The spec asks servers to send structured content as text too; add it only when they did not, never twice.
  if (r.structuredContent !== undefined && !(r.content ?? []).some((b) => (b as Block).type === "text"))
    texts.push(JSON.stringify(r.structuredContent, null, 2));
  // Old protocol versions (2024-10-07) answered with `toolResult` instead of `content`.
  if (!r.content && r.toolResult !== undefined) texts.push(typeof r.toolResult === "string" ? r.toolResult : JSON.stringify(r.toolResult));
  const output = texts.join("\n") || (r.isError ? "the tool failed without a message" : "(no output)");
  return { output, ...(r.isError ? { error: true } : {}), ...(images.length ? { images } : {}) };
}

/** An embedded resource (or one read with resources/read) as text the model can use. */
export function resourceText(res: Block | undefined): string {
  if (!res) return "[empty resource]";
  const head = `[resource ${String(res.uri)}${res.mimeType ? ` (${String(res.mimeType)})` : ""}]`;
  if (typeof res.text === "string") return `${head}\n${res.text}`;
  if (typeof res.blob === "string") return `${head} binary, ${Math.round((res.blob.length * 3) / 4)} bytes`;
  return head;
}
