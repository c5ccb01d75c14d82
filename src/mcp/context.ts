// What MCP adds to a conversation besides tools: prompts as slash commands (`/<server>:<prompt>`) and resources
// attached with `@server:uri` in a user message.
import { resourceText } from "./convert";
import type { McpManager } from "./manager";

export type SlashCommand = {
  /** `/<server>:<prompt>` */
  name: string;
  description: string;
  /** The prompt's text with `args` filled in: positional words map to the prompt's arguments in order. */
  run: (args: string[]) => Promise<string>;
};

/** Slash commands for every prompt of the connected servers (the REPL registers these). */
export function promptCommands(m: McpManager): SlashCommand[] {
  return m.prompts().map(({ server, prompt }) => {
    const params = prompt.arguments ?? [];
    const usage = params.map((a) => (a.required ? `<${a.name}>` : `[${a.name}]`)).join(" ");
    return {
      name: `/${server}:${prompt.name}`,
      description: `${prompt.description ?? "MCP prompt"}${usage ? ` — ${usage}` : ""} (MCP server ${server})`,
      run: async (args) => {
        const missing = params.filter((a, i) => a.required && args[i] === undefined).map((a) => a.name);
        if (missing.length) throw new Error(`/${server}:${prompt.name} needs ${missing.join(", ")}: /${server}:${prompt.name} ${usage}`);
        // The last parameter takes the rest of the line, so free text needs no quoting.
        const values: Record<string, string> = {};
        params.forEach((a, i) => {
          const v = i === params.length - 1 ? args.slice(i).join(" ") : args[i];
          if (v) values[a.name] = v;
        });
        const conn = await m.connection(server);
        const r = await conn.client.getPrompt({ name: prompt.name, arguments: values });
        return r.messages
          .map((msg) =>
            msg.content.type === "text"
              ? msg.content.text
              : msg.content.type === "resource"
                ? resourceText(msg.content.resource as never)
                : `[${msg.content.type}]`,
          )
          .join("\n\n");
      },
    };
  });
}

const MENTION = /(^|\s)@([A-Za-z0-9_.-]+):(\S+)/g;

/** Names of configured servers mentioned as `@server:uri` in `text` (cheap: no connection needed to check). */
export const mentions = (text: string, servers: string[]) =>
  [...text.matchAll(MENTION)].filter((m) => servers.includes(m[2]!)).map((m) => ({ server: m[2]!, uri: m[3]! }));

/**
 * The prompt with each `@server:uri` resource appended as context. A resource that cannot be read stays a plain
 * mention and becomes a warning, so a typo never stops the run.
 */
export async function attachResources(m: McpManager, text: string): Promise<{ text: string; warnings: string[] }> {
  const found = mentions(
    text,
    m.servers.map((s) => s.spec.name),
  );
  if (!found.length) return { text, warnings: [] };
  const warnings: string[] = [];
  const parts = await Promise.all(
    found.map(async ({ server, uri }) => {
      try {
        const conn = await m.connection(server);
        const r = await conn.client.readResource({ uri });
        return `<resource server="${server}" uri="${uri}">\n${r.contents.map((c) => resourceText(c as never)).join("\n")}\n</resource>`;
      } catch (err) {
        warnings.push(`could not attach @${server}:${uri}: ${err instanceof Error ? err.message : String(err)}`);
        return "";
      }
    }),
  );
  const attached = parts.filter(Boolean);
  return { text: attached.length ? `${text}\n\n${attached.join("\n\n")}` : text, warnings };
}
