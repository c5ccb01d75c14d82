// Validates JSONL lines against the documented schemas: docs/jsonl.schema.json for ask/edit events and
// docs/route.schema.json for `runcode route` output.
import Ajv, { type ValidateFunction } from "ajv";
import eventSchema from "../docs/jsonl.schema.json";
import routeSchema from "../docs/route.schema.json";

const ajv = new Ajv({ allErrors: true, strict: false });
const events = ajv.compile(eventSchema);
const route = ajv.compile(routeSchema);

function check(validate: ValidateFunction, lines: unknown[], what: string) {
  for (const line of lines) {
    if (validate(line)) continue;
    const t = (line as { type?: string }).type;
    const errs = (validate.errors ?? [])
      .filter((e) => !t || !e.schemaPath.includes("oneOf/") || e.schemaPath.includes(`/${t}`))
      .slice(0, 3);
    throw new Error(
      `invalid ${what} ${JSON.stringify(line).slice(0, 300)}: ${JSON.stringify(errs.length ? errs : validate.errors?.slice(0, 3))}`,
    );
  }
}

/** Throws with the offending line and the validator's complaint. */
export const assertEvents = (lines: unknown[]) => check(events, lines, "JSONL event");
export const assertRoute = (lines: unknown[]) => check(route, lines, "route line");
