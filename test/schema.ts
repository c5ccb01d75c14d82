// Validates JSONL lines against docs/jsonl.schema.json, for every test that reads a JSONL stream.
import Ajv from "ajv";
import schema from "../docs/jsonl.schema.json";

const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

/** Throws with the offending line and the validator's complaint. */
export function assertEvents(lines: unknown[]): void {
  for (const line of lines) {
    if (!validate(line)) {
      const t = (line as { type?: string }).type;
      const errs = (validate.errors ?? []).filter((e) => !e.schemaPath.includes("oneOf/") || e.schemaPath.includes(`/${t}`)).slice(0, 3);
      throw new Error(`invalid JSONL event ${JSON.stringify(line).slice(0, 300)}: ${JSON.stringify(errs.length ? errs : validate.errors?.slice(0, 3))}`);
    }
  }
}
