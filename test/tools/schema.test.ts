import { expect, test } from "bun:test";
import { BUILTIN } from "../../src/tools/registry";
import { validate } from "../../src/tools/schema";
import { Read } from "../../src/tools/read";
import { MultiEdit } from "../../src/tools/multiedit";

test("tool schemas the model sees (snapshot: changing one is a deliberate act)", () => {
  const specs = BUILTIN.map((t) => ({ name: t.name, mutating: t.mutating, input_schema: t.input_schema }));
  expect(specs).toMatchSnapshot();
  expect(BUILTIN.map((t) => t.name)).toEqual([
    "Read",
    "Write",
    "Edit",
    "MultiEdit",
    "Bash",
    "Glob",
    "Grep",
    "WebFetch",
    "WebSearch",
    "Task",
    "ImageGen",
    "AskUser",
    "SubAgent",
  ]);
  for (const t of BUILTIN) expect(t.description.length).toBeGreaterThan(60);
});

test("validation messages name the field and what was expected", () => {
  expect(validate(Read.input_schema, {})).toEqual(["missing required field file_path (string)"]);
  expect(validate(Read.input_schema, { file_path: 3, limit: "10" })).toEqual([
    "file_path must be a string, got integer",
    'limit must be an integer, got "10"',
  ]);
  expect(validate(Read.input_schema, { file_path: "a", offset: 0 })).toEqual(["offset must be ≥ 1"]);
  expect(validate(MultiEdit.input_schema, { edits: [{ file_path: "a", old_string: "x" }] })).toEqual([
    "missing required field edits[0].new_string (string)",
  ]);
  expect(validate(MultiEdit.input_schema, { edits: [] })).toEqual(["edits needs at least 1 item(s)"]);
  expect(validate({ type: "object", properties: { m: { type: "string", enum: ["a", "b"] } } }, { m: "c" })).toEqual([
    'm must be one of "a", "b"',
  ]);
  expect(validate(Read.input_schema, "nope")).toEqual(['input must be an object, got "nope"']);
});
