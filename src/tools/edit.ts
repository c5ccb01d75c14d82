// Edit: exact string replacement in one file. The old string must match exactly once unless replace_all is set,
// so the model cannot change the wrong occurrence by accident.
import { display, fileSubject, projectPath } from "./paths";
import { fail, type CallContext, type Tool } from "./types";

export type EditSpec = { file_path: string; old_string: string; new_string: string; replace_all?: boolean };

/** Apply one edit to `text`; an error message for the model when it cannot be applied. */
export function applyEdit(text: string, e: EditSpec): { text: string; count: number } | { error: string } {
  if (e.old_string === e.new_string) return { error: "old_string and new_string are identical; nothing would change" };
  if (e.old_string === "") return { error: "old_string is empty; to create a file use Write" };
  const count = text.split(e.old_string).length - 1;
  if (count === 0) {
    const loose = text.includes(e.old_string.trim())
      ? " (it matches when leading/trailing whitespace is ignored: copy the exact text including indentation)"
      : "";
    return { error: `old_string was not found in ${e.file_path}${loose}. Read the file again and copy the exact text` };
  }
  if (count > 1 && !e.replace_all)
    return {
      error: `old_string matches ${count} times in ${e.file_path}; include more surrounding lines to make it unique, or set replace_all: true`,
    };
  return {
    text: e.replace_all ? text.split(e.old_string).join(e.new_string) : text.replace(e.old_string, () => e.new_string),
    count: e.replace_all ? count : 1,
  };
}

/** Plan edits to several files without writing anything: new contents per real path, or an error. */
export function planEdits(
  edits: EditSpec[],
  ctx: CallContext,
): { files: Map<string, { before: string; after: string }> } | { error: string } {
  const files = new Map<string, { before: string; after: string }>();
  for (const [n, e] of edits.entries()) {
    const where = edits.length > 1 ? `edit ${n + 1}: ` : "";
    const r = projectPath(e.file_path, ctx);
    if ("error" in r) return { error: where + r.error };
    let f = files.get(r.path);
    if (!f) {
      const st = ctx.files.stat(r.path);
      if (!st) return { error: `${where}${e.file_path} does not exist; create it with Write` };
      if (st.dir) return { error: `${where}${e.file_path} is a directory` };
      const stale = ctx.reads.check(r.path, ctx.files);
      if (stale) return { error: where + stale };
      const before = new TextDecoder().decode(ctx.files.read(r.path));
      f = { before, after: before };
      files.set(r.path, f);
    }
    const res = applyEdit(f.after, e);
    if ("error" in res) return { error: where + res.error };
    f.after = res.text;
  }
  return { files };
}

/** Write planned edits; if one write fails, the ones already written are restored (all or nothing). */
export function commitEdits(plan: Map<string, { before: string; after: string }>, ctx: CallContext, tool: string): string | undefined {
  const done: string[] = [];
  try {
    for (const [path, f] of plan) {
      ctx.files.write(path, f.after);
      done.push(path);
    }
  } catch (err) {
    for (const p of done) ctx.files.write(p, plan.get(p)!.before);
    return `writing failed, no file was changed: ${err instanceof Error ? err.message : String(err)}`;
  }
  for (const [path, f] of plan) {
    ctx.changes.record({ path, before: f.before, after: f.after, tool, call: ctx.call });
    ctx.reads.note(path, ctx.files);
  }
  return undefined;
}

export const Edit: Tool<EditSpec> = {
  name: "Edit",
  description: `Replace an exact string in a file.
- old_string must match the file exactly, including whitespace and indentation (copy it from Read's output, without the line-number prefix).
- old_string must be unique in the file; add surrounding lines to make it unique, or set replace_all to replace every occurrence.
- You must Read the file first; if it changed since, Read it again.
- For several changes, or changes across files that belong together, use MultiEdit.`,
  input_schema: {
    type: "object",
    properties: {
      file_path: { type: "string", description: "path of the file to change" },
      old_string: { type: "string", description: "the exact text to replace" },
      new_string: { type: "string", description: "the replacement text" },
      replace_all: { type: "boolean", description: "replace every occurrence (default false)" },
    },
    required: ["file_path", "old_string", "new_string"],
  },
  mutating: true,
  subject: (i, ctx) => fileSubject(i.file_path, ctx),
  async run(input, ctx) {
    const plan = planEdits([input], ctx);
    if ("error" in plan) return fail(plan.error);
    const err = commitEdits(plan.files, ctx, "Edit");
    if (err) return fail(err);
    const [path] = plan.files.keys();
    return { output: `edited ${display(path!, ctx.root)}` };
  },
};
