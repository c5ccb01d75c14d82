// MultiEdit: several exact-string edits across one or more files, applied in order and atomically: if any edit
// fails, no file is changed.
import { commitEdits, Edit, planEdits, type EditSpec } from "./edit";
import { display, fileSubject } from "./paths";
import { fail, type Tool } from "./types";

type Input = { edits: EditSpec[] };

export const MultiEdit: Tool<Input> = {
  name: "MultiEdit",
  description: `Apply several edits, across one or more files, all or nothing.
- edits: a list of {file_path, old_string, new_string, replace_all?}, applied in order; a later edit to the same file sees the earlier ones.
- Each edit follows Edit's rules (exact match, unique unless replace_all, file Read first).
- If any edit cannot be applied, nothing is written and the error names the failing edit.`,
  input_schema: {
    type: "object",
    properties: {
      edits: {
        type: "array",
        minItems: 1,
        items: Edit.input_schema,
      },
    },
    required: ["edits"],
  },
  mutating: true,
  subject: (i, ctx) => {
    const subs = i.edits.map((e) => fileSubject(e.file_path, ctx));
    return { texts: subs.flatMap((s) => s.texts), paths: subs.flatMap((s) => s.paths) };
  },
  async run(input, ctx) {
    const plan = planEdits(input.edits, ctx);
    if ("error" in plan) return fail(`${plan.error}. No file was changed.`);
    const err = commitEdits(plan.files, ctx, "MultiEdit");
    if (err) return fail(err);
    return { output: `applied ${input.edits.length} edit(s) to ${[...plan.files.keys()].map((p) => display(p, ctx.root)).join(", ")}` };
  },
};
