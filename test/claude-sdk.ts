// Claude Code's Agent SDK (@anthropic-ai/claude-agent-sdk, a dev dependency) as the judge of runcode's
// `--output-format stream-json|json`:
// - `sdkTypes()` compiles test/claude-sdk-types.ts with the TypeScript API (its diagnostics: the type-level test)
//   and reads from the SDK's declarations what each message type requires, field by field, for `conforms()`;
// - `sdkRead()` runs the SDK's own `query()`, with runcode standing where it would spawn the Claude Code binary.
import { EventEmitter } from "node:events";
import { PassThrough } from "node:stream";
import { join } from "node:path";
import { query, type SDKMessage } from "@anthropic-ai/claude-agent-sdk";
import ts from "typescript";
import { cliCommand, cliEnv, ROOT } from "./helpers";

/** What a type allows, as far as a JSON value can show it. */
type Shape =
  | { kind: "any" }
  | { kind: "prim"; names: Set<string>; literals: Set<unknown> }
  | { kind: "object"; props: Map<string, { optional: boolean; shape: () => Shape }> }
  | { kind: "array"; element: () => Shape }
  | { kind: "union"; options: Shape[] };

const TYPES_FILE = join(ROOT, "test", "claude-sdk-types.ts");
let cached: { errors: string[]; shapes: Record<string, Shape> } | undefined;

export function sdkTypes() {
  if (cached) return cached;
  const config = ts.readConfigFile(join(ROOT, "tsconfig.json"), ts.sys.readFile).config;
  const options = ts.parseJsonConfigFileContent(config, ts.sys, ROOT).options;
  const program = ts.createProgram([TYPES_FILE], options);
  const errors = ts
    .getPreEmitDiagnostics(program, program.getSourceFile(TYPES_FILE))
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
  const checker = program.getTypeChecker();
  const memo = new Map<ts.Type, Shape>();
  const shapeOf = (t: ts.Type, depth: number): Shape => {
    if (depth > 6) return { kind: "any" };
    const known = memo.get(t);
    if (known) return known;
    const s = build(t, depth);
    memo.set(t, s);
    return s;
  };
  const build = (t: ts.Type, depth: number): Shape => {
    const f = t.flags;
    if (f & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return { kind: "any" };
    if (t.isUnion()) {
      const options = t.types.map((x) => shapeOf(x, depth));
      if (options.some((o) => o.kind === "any")) return { kind: "any" };
      if (options.every((o) => o.kind === "prim")) {
        const prims = options as Array<Extract<Shape, { kind: "prim" }>>;
        return {
          kind: "prim",
          names: new Set(prims.flatMap((p) => [...p.names])),
          literals: new Set(prims.flatMap((p) => [...p.literals])),
        };
      }
      return { kind: "union", options };
    }
    if (f & ts.TypeFlags.StringLiteral) return { kind: "prim", names: new Set(), literals: new Set([(t as ts.StringLiteralType).value]) };
    if (f & ts.TypeFlags.NumberLiteral) return { kind: "prim", names: new Set(), literals: new Set([(t as ts.NumberLiteralType).value]) };
    if (f & ts.TypeFlags.BooleanLiteral) return { kind: "prim", names: new Set(), literals: new Set([checker.typeToString(t) === "true"]) };
    if (f & (ts.TypeFlags.String | ts.TypeFlags.TemplateLiteral | ts.TypeFlags.StringMapping))
      return { kind: "prim", names: new Set(["string"]), literals: new Set() };
    if (f & ts.TypeFlags.Number) return { kind: "prim", names: new Set(["number"]), literals: new Set() };
    if (f & ts.TypeFlags.Boolean) return { kind: "prim", names: new Set(["boolean"]), literals: new Set() };
    if (f & ts.TypeFlags.Null) return { kind: "prim", names: new Set(["null"]), literals: new Set() };
    if (f & ts.TypeFlags.Undefined) return { kind: "prim", names: new Set(["undefined"]), literals: new Set() };
    if (checker.isArrayType(t)) {
      const el = checker.getTypeArguments(t as ts.TypeReference)[0];
      return { kind: "array", element: () => (el ? shapeOf(el, depth + 1) : { kind: "any" }) };
    }
    if (f & ts.TypeFlags.Object && !t.getCallSignatures().length) {
      const props = new Map<string, { optional: boolean; shape: () => Shape }>();
      for (const p of checker.getPropertiesOfType(t)) {
        const pt = checker.getTypeOfSymbol(p);
        props.set(p.name, { optional: !!(p.flags & ts.SymbolFlags.Optional), shape: () => shapeOf(pt, depth + 1) });
      }
      // A record type (`Record<string, ModelUsage>`): its values are not checked.
      return props.size || !checker.getIndexInfosOfType(t).length ? { kind: "object", props } : { kind: "any" };
    }
    return { kind: "any" };
  };
  const file = program.getSourceFile(TYPES_FILE)!;
  const decl = file.statements.find((s): s is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(s) && s.name.text === "Shapes")!;
  const shapes: Record<string, Shape> = {};
  for (const p of checker.getPropertiesOfType(checker.getTypeAtLocation(decl.name)))
    shapes[p.name] = shapeOf(checker.getTypeOfSymbol(p), 0);
  cached = { errors, shapes };
  return cached;
}

/** The problems of `value` against `shape` (empty: it conforms), each with its path. */
function problems(value: unknown, shape: Shape, path: string): string[] {
  switch (shape.kind) {
    case "any":
      return [];
    case "prim": {
      const name = value === null ? "null" : typeof value;
      if (shape.names.has(name) || shape.literals.has(value)) return [];
      return [
        `${path}: ${JSON.stringify(value)} is not ${[...shape.names, ...[...shape.literals].map((l) => JSON.stringify(l))].join(" | ")}`,
      ];
    }
    case "array":
      if (!Array.isArray(value)) return [`${path}: not an array`];
      return value.flatMap((v, i) => problems(v, shape.element(), `${path}[${i}]`));
    case "object": {
      if (typeof value !== "object" || value === null || Array.isArray(value)) return [`${path}: not an object`];
      const out: string[] = [];
      for (const [k, p] of shape.props) {
        const v = (value as Record<string, unknown>)[k];
        if (v === undefined) {
          if (!p.optional) out.push(`${path}.${k}: missing (required by the SDK's type)`);
          continue;
        }
        out.push(...problems(v, p.shape(), `${path}.${k}`));
      }
      return out;
    }
    case "union": {
      const each = shape.options.map((o) => problems(value, o, path));
      return each.some((p) => !p.length) ? [] : [`${path}: matches none of the SDK's ${each.length} shapes (${each[0]!.join("; ")})`];
    }
  }
}

/** Problems of one stream-json line against the SDK type of its `type`/`subtype`. */
export function conforms(line: { type: string; subtype?: string }): string[] {
  const { shapes } = sdkTypes();
  const name =
    line.type === "result" ? (line.subtype === "success" ? "success" : "error") : line.type === "system" ? line.subtype! : line.type;
  const shape = shapes[name];
  if (!shape) return [`no SDK type for ${line.type}/${line.subtype}`];
  return problems(line, shape, line.type);
}

/**
 * The SDK's `query()` reading runcode: where the SDK would spawn Claude Code, `runcode ask --output-format
 * stream-json ARGS PROMPT` runs, PROMPT read from the user message the SDK writes to its stdin. The SDK's control
 * requests (initialize) are answered here, as runcode has no stdin protocol; everything the SDK yields was parsed
 * from runcode's stdout.
 */
export async function sdkRead(
  prompt: string,
  args: string[],
  o: { home: string; cwd: string; env: Record<string, string> },
): Promise<SDKMessage[]> {
  const spawned: Array<Promise<number>> = [];
  const q = query({
    prompt,
    options: {
      cwd: o.cwd,
      spawnClaudeCodeProcess: () => {
        const stdin = new PassThrough();
        const stdout = new PassThrough();
        // A process as the SDK sees one (the SpawnedProcess interface): an emitter of `exit` with the two streams.
        const proc = Object.assign(new EventEmitter(), {
          stdin,
          stdout,
          killed: false,
          exitCode: null as number | null,
          kill: () => {
            proc.killed = true;
            return true;
          },
        });
        let buf = "";
        stdin.on("data", (d: Buffer) => {
          buf += d.toString();
          for (let i = buf.indexOf("\n"); i >= 0; i = buf.indexOf("\n")) {
            const m = JSON.parse(buf.slice(0, i));
            buf = buf.slice(i + 1);
            if (m.type === "control_request")
              stdout.write(
                `${JSON.stringify({ type: "control_response", response: { subtype: "success", request_id: m.request_id, response: {} } })}\n`,
              );
            if (m.type !== "user") continue;
            const content = m.message.content;
            const said = typeof content === "string" ? content : content.map((b: { text?: string }) => b.text ?? "").join("");
            const child = Bun.spawn([...cliCommand(), "ask", "--output-format", "stream-json", ...args, said], {
              cwd: o.cwd,
              env: cliEnv(o.home, o.env),
              stdout: "pipe",
              stderr: "ignore",
            });
            spawned.push(
              (async () => {
                for await (const c of child.stdout) stdout.write(c);
                const code = await child.exited;
                proc.exitCode = code;
                stdout.end();
                proc.emit("exit", code, null);
                return code;
              })(),
            );
          }
        });
        return proc;
      },
    },
  });
  const messages: SDKMessage[] = [];
  for await (const m of q) messages.push(m);
  await Promise.all(spawned);
  return messages;
}
