// Custom tools without an MCP server: JSON files {name, description, input_schema, command} in ~/.blockrun/tools/
// and, for trusted projects only, <project>/.runcode/tools/. The command gets the input as JSON on stdin; its
// stdout (and stderr) is the result. They run like Bash (process group, timeout, live output) and need the same
// permission as Bash (see permissions/policy.ts `shell`).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { runBash } from "./bash";
import type { AnyTool, JsonSchema, Tool } from "./types";

export type CustomSpec = { name: string; description: string; input_schema: JsonSchema & { type: "object" }; command: string };

export function loadCustomTools(dirs: string[], warn: (msg: string) => void): AnyTool[] {
  const out: AnyTool[] = [];
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir)
      .filter((n) => n.endsWith(".json"))
      .sort()) {
      const file = join(dir, f);
      let spec: unknown;
      try {
        spec = JSON.parse(readFileSync(file, "utf8"));
      } catch {
        warn(`custom tool ${file} is not valid JSON; skipped`);
        continue;
      }
      const problem = check(spec);
      if (problem) {
        warn(`custom tool ${file}: ${problem}; skipped`);
        continue;
      }
      out.push(customTool(spec as CustomSpec, file) as AnyTool);
    }
  }
  return out;
}

function check(s: unknown): string | undefined {
  if (!s || typeof s !== "object") return "not a JSON object";
  const o = s as Record<string, unknown>;
  if (typeof o.name !== "string" || !/^[A-Za-z][A-Za-z0-9_-]{0,63}$/.test(o.name)) return '"name" must be letters, digits, _ or - (max 64)';
  if (typeof o.description !== "string" || !o.description) return '"description" must be a non-empty string';
  if (typeof o.command !== "string" || !o.command.trim()) return '"command" must be a non-empty string';
  const sch = o.input_schema as Record<string, unknown> | undefined;
  if (!sch || typeof sch !== "object" || sch.type !== "object") return '"input_schema" must be a JSON schema with "type": "object"';
  return undefined;
}

export function customTool(spec: CustomSpec, file: string): Tool<Record<string, unknown>> & { source: string } {
  return {
    name: spec.name,
    description: spec.description,
    input_schema: spec.input_schema,
    mutating: true,
    shell: true,
    source: file,
    subject: () => ({ texts: [spec.command] }),
    run: (input, ctx) => runBash({ command: spec.command }, ctx, JSON.stringify(input)),
  };
}
