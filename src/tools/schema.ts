// Input validation against a tool's JSON schema (the small subset tool schemas use). Messages name the field, what
// was expected and what arrived, so the model can correct its next call.
import type { JsonSchema } from "./types";

const typeOf = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : Number.isInteger(v) ? "integer" : typeof v);

export function validate(schema: JsonSchema, value: unknown, at = "input"): string[] {
  const errs: string[] = [];
  const t = schema.type;
  const actual = typeOf(value);
  if (t && !(actual === t || (t === "number" && actual === "integer"))) {
    return [
      `${at} must be ${t === "array" || t === "object" || t === "integer" ? `an ${t}` : `a ${t}`}, got ${actual === "string" ? JSON.stringify(value).slice(0, 40) : actual}`,
    ];
  }
  if (schema.enum && !schema.enum.includes(value))
    errs.push(`${at} must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(", ")}`);
  if (typeof value === "number" && schema.minimum !== undefined && value < schema.minimum) errs.push(`${at} must be ≥ ${schema.minimum}`);
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) errs.push(`${at} needs at least ${schema.minItems} item(s)`);
    if (schema.maxItems !== undefined && value.length > schema.maxItems) errs.push(`${at} allows at most ${schema.maxItems} items`);
    if (schema.items) value.forEach((v, i) => errs.push(...validate(schema.items!, v, `${at}[${i}]`)));
  }
  if (actual === "object" && value && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    for (const r of schema.required ?? [])
      if (obj[r] === undefined)
        errs.push(
          `missing required field ${at === "input" ? "" : `${at}.`}${r}${schema.properties?.[r]?.type ? ` (${schema.properties[r]!.type})` : ""}`,
        );
    for (const [k, v] of Object.entries(obj)) {
      const p = schema.properties?.[k];
      const name = at === "input" ? k : `${at}.${k}`;
      if (p) errs.push(...validate(p, v, name));
      else if (schema.additionalProperties === false)
        errs.push(`unknown field ${name} (known: ${Object.keys(schema.properties ?? {}).join(", ")})`);
    }
  }
  return errs;
}
