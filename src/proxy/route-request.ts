// What the router needs from a client body, for both protocols. The router's own requestFromMessages expects
// runcode's message types; client bodies are arbitrary JSON (OpenAI tools have no top-level name), so this reads
// them defensively and cheaply: it runs on every routed request.
import type { RouteRequest } from "../router";
import { userText, type Msg } from "./switch";

export type ClientBody = {
  model?: unknown;
  stream?: unknown;
  max_tokens?: unknown;
  max_completion_tokens?: unknown;
  system?: unknown;
  messages?: Msg[];
  tools?: unknown[];
};

export function routeRequest(body: ClientBody, raw: string): RouteRequest {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  let prompt = "";
  for (let i = messages.length - 1; i >= 0 && !prompt; i--) if (messages[i]?.role === "user") prompt = userText(messages[i]!.content);
  const system = [
    userText(body.system),
    ...messages.filter((m) => m?.role === "system" || m?.role === "developer").map((m) => userText(m.content)),
  ]
    .filter(Boolean)
    .join("\n");
  const max = body.max_tokens ?? body.max_completion_tokens;
  return {
    prompt,
    system,
    contextChars: raw.length,
    tools: Array.isArray(body.tools) && body.tools.length > 0,
    images: raw.includes('"image_url"') || /"type"\s*:\s*"image"/.test(raw),
    maxOutput: typeof max === "number" ? max : undefined,
  };
}
