// `--json-schema FILE` (ask/edit): the final answer is one JSON value valid against the schema. The model is told
// the schema in the system prompt; an answer that does not validate is sent back once with the validation errors,
// and when the second answer fails too the run ends with `schema_mismatch`, naming the first error. The result's
// text is then the answer as compact JSON. ajv (with ajv-formats) is loaded only by runs that give the flag.
import { existsSync, readFileSync } from "node:fs";
import type { TurnInput, Workspace } from "../agent/workspace";
import { usageError } from "../core/errors";
import type { AgentEvent, EventOf } from "../core/events";

export type Schema = {
  /** The schema as given, for the system prompt. */
  text: string;
  /** The problems of an answer (empty: valid), each phrased for the model: `at /path: must be number`. */
  check: (value: unknown) => string[];
};

/** The flag's value: a file, or the schema itself (`claude --json-schema` takes it inline). */
export async function loadSchema(arg: string): Promise<Schema> {
  const inline = arg.trimStart().startsWith("{");
  const where = inline ? "--json-schema" : `--json-schema ${arg}`;
  if (!inline && !existsSync(arg)) throw usageError(`${where}: no such file`, "give the path of a JSON Schema file");
  const text = inline ? arg : readFileSync(arg, "utf8");
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch (e) {
    throw usageError(`${where} is not JSON: ${(e as Error).message}`, "fix the schema");
  }
  const draft2020 =
    typeof (schema as { $schema?: unknown })?.$schema === "string" && (schema as { $schema: string }).$schema.includes("2020-12");
  const [Ajv, formats] = await Promise.all([
    draft2020 ? import("ajv/dist/2020").then((m) => m.default) : import("ajv").then((m) => m.default),
    import("ajv-formats").then((m) => m.default),
  ]);
  const ajv = new Ajv({ allErrors: true, strict: false });
  formats(ajv); // "format": "email", "date-time", "uri"… are checked, not ignored
  let validate: ReturnType<typeof ajv.compile>;
  try {
    validate = ajv.compile(schema as object);
  } catch (e) {
    throw usageError(`${where} is not a valid JSON Schema: ${(e as Error).message}`, "fix the schema");
  }
  return {
    text: JSON.stringify(schema, null, 2),
    check: (value) =>
      validate(value) ? [] : (validate.errors ?? []).map((e) => `at ${e.instancePath || "/"}: ${e.message ?? "is invalid"}`),
  };
}

/** Added to the system prompt. */
export const schemaPrompt = (s: Schema) =>
  `Your final answer must be a single JSON value valid against this JSON Schema, with nothing before or after it (no prose, no code fence):\n${s.text}`;

/** The answer as JSON (a code fence around it is forgiven) and its problems. */
export function checkAnswer(s: Schema, text: string): { json: string; problems: string[] } {
  const bare = text.trim().replace(/^```(?:json)?\s*\n([\s\S]*?)\n?```$/, "$1");
  let value: unknown;
  try {
    value = JSON.parse(bare);
  } catch (e) {
    return { json: "", problems: [`the answer is not JSON: ${(e as Error).message}`] };
  }
  return { json: JSON.stringify(value), problems: s.check(value) };
}

const retryPrompt = (problems: string[]) =>
  `Your answer does not match the JSON Schema:\n${problems.map((p) => `- ${p}`).join("\n")}\nReply again with only the corrected JSON value.`;

/** One message of a schema-constrained run: the events of both attempts, and one result for the two. */
export async function* structuredTurn(ws: Workspace, input: TurnInput, s: Schema): AsyncGenerator<AgentEvent> {
  let first: EventOf<"result"> | undefined;
  let problems: string[] = [];
  for await (const e of ws.turn(input)) {
    if (e.type !== "result") {
      yield e;
      continue;
    }
    const a = checkAnswer(s, e.text);
    if (!e.ok || !a.problems.length) {
      yield e.ok ? { ...e, text: a.json } : e;
      return;
    }
    first = e;
    problems = a.problems;
  }
  if (!first) return;
  for await (const e of ws.turn({ text: retryPrompt(problems), signal: input.signal, approve: input.approve })) {
    if (e.type !== "result") {
      yield e;
      continue;
    }
    const both = {
      ...e,
      usd: first.usd + e.usd,
      usage: { input: first.usage.input + e.usage.input, output: first.usage.output + e.usage.output },
      turns: first.turns + e.turns,
      ms: first.ms + e.ms,
    };
    const a = checkAnswer(s, e.text);
    if (!e.ok) yield both;
    else if (!a.problems.length) yield { ...both, text: a.json };
    else
      yield {
        ...both,
        ok: false,
        error: { code: "schema_mismatch", message: `the answer does not match the JSON Schema (after one retry): ${a.problems[0]}` },
      };
  }
}
