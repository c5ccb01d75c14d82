// Write: create a file or replace one the model has read. Atomic, mode kept, change recorded.
import { display, fileSubject, projectPath } from "./paths";
import { fail, type Tool } from "./types";

type Input = { file_path: string; content: string };

export const Write: Tool<Input> = {
  name: "Write",
  description: `Write a file: creates it (and missing directories) or overwrites it completely.
- file_path: absolute, or relative to the working directory; must be inside the project.
- To change part of an existing file prefer Edit or MultiEdit; to overwrite an existing file you must Read it first.`,
  input_schema: {
    type: "object",
    properties: {
      file_path: { type: "string", description: "path of the file to write" },
      content: { type: "string", description: "the complete new contents" },
    },
    required: ["file_path", "content"],
  },
  mutating: true,
  subject: (i, ctx) => fileSubject(i.file_path, ctx),
  async run(input, ctx) {
    const r = projectPath(input.file_path, ctx);
    if ("error" in r) return fail(r.error);
    const st = ctx.files.stat(r.path);
    if (st?.dir) return fail(`${input.file_path} is a directory`);
    const stale = ctx.reads.check(r.path, ctx.files);
    if (stale) return fail(stale);
    const before = st ? new TextDecoder().decode(ctx.files.read(r.path)) : null;
    ctx.files.write(r.path, input.content);
    ctx.changes.record({ path: r.path, before, after: input.content, tool: "Write", call: ctx.call });
    ctx.reads.note(r.path, ctx.files);
    const lines = input.content.split("\n").length - (input.content.endsWith("\n") ? 1 : 0);
    return { output: `${st ? "overwrote" : "created"} ${display(r.path, ctx.root)} (${lines} lines)` };
  },
};
