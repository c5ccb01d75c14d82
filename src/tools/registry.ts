// The tool registry: built-ins, custom tools and MCP tools by name. The loop asks it for the specs it sends to the
// model and for the tool to run. MCP tools register as `mcp__<server>__<tool>` objects implementing Tool as their
// servers connect (src/mcp/manager.ts); a hidden tool still answers a call, with the policy's denial.
import type { ToolSpec } from "../llm/types";
import { AskUser } from "./askuser";
import { Bash } from "./bash";
import { Edit } from "./edit";
import { Glob } from "./glob";
import { Grep } from "./grep";
import { ImageGen } from "./imagegen";
import { MultiEdit } from "./multiedit";
import { Read } from "./read";
import { SubAgent } from "./subagent";
import { Task } from "./task";
import type { AnyTool } from "./types";
import { WebFetch } from "./webfetch";
import { WebSearch } from "./websearch";
import { Write } from "./write";

export const BUILTIN: AnyTool[] = [
  Read,
  Write,
  Edit,
  MultiEdit,
  Bash,
  Glob,
  Grep,
  WebFetch,
  WebSearch,
  Task,
  ImageGen,
  AskUser,
  SubAgent,
] as AnyTool[];

/** What a sub-agent may use. */
export const READ_ONLY_NAMES = ["Read", "Glob", "Grep", "WebFetch", "WebSearch"];

export class ToolRegistry {
  private readonly tools = new Map<string, AnyTool>();
  private readonly hidden = new Set<string>();
  constructor(tools: AnyTool[] = BUILTIN) {
    for (const t of tools) this.register(t);
  }
  /** Add a tool. A name already taken is refused (a custom tool cannot shadow Bash) unless `replace`. */
  register(tool: AnyTool, o: { replace?: boolean } = {}): boolean {
    if (this.tools.has(tool.name) && !o.replace) return false;
    this.tools.set(tool.name, tool);
    return true;
  }
  unregister(name: string) {
    this.tools.delete(name);
  }
  /**
   * Keep a tool out of the specs sent to the model while still answering a call to it (a run that would deny it
   * anyway): the model then gets a permission denial naming the flag to pass, not "unknown tool".
   */
  hide(name: string) {
    this.hidden.add(name);
  }
  get(name: string): AnyTool | undefined {
    return this.tools.get(name);
  }
  /** The names the model is offered. */
  names(): string[] {
    return [...this.tools.keys()].filter((n) => !this.hidden.has(n));
  }
  list(): AnyTool[] {
    return [...this.tools.values()];
  }
  /** A registry with only the named tools (sub-agents). */
  subset(names: string[]): ToolRegistry {
    return new ToolRegistry(names.flatMap((n) => this.tools.get(n) ?? []));
  }
  specs(): ToolSpec[] {
    return this.list()
      .filter((t) => !this.hidden.has(t.name))
      .map((t) => ({ name: t.name, description: t.description, input_schema: t.input_schema }));
  }
}
