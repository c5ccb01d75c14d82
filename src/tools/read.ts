// Read: a text file with line numbers, a line range of a large one, or an image for vision models.
import { fileSubject, projectPath } from "./paths";
import { fail, type Tool } from "./types";

const MAX_LINES = 2000;
const MAX_BYTES = 256 * 1024;
const IMAGES: Record<string, string> = { png: "image/png", jpg: "image/jpeg", jpeg: "image/jpeg", gif: "image/gif", webp: "image/webp" };

type Input = { file_path: string; offset?: number; limit?: number };

export const Read: Tool<Input> = {
  name: "Read",
  description: `Read a file from the project. Returns the contents with line numbers (cat -n style: number, tab, line).
- file_path: absolute, or relative to the working directory.
- By default up to ${MAX_LINES} lines from the start; for longer files pass offset (1-based first line) and limit (number of lines).
- Lines longer than 2000 characters are cut.
- PNG, JPEG, GIF and WebP files are returned as images. Other binary files are refused.
- You must Read a file before you Edit or overwrite it.`,
  input_schema: {
    type: "object",
    properties: {
      file_path: { type: "string", description: "path of the file to read" },
      offset: { type: "integer", minimum: 1, description: "1-based line number to start at" },
      limit: { type: "integer", minimum: 1, description: "number of lines to read" },
    },
    required: ["file_path"],
  },
  mutating: false,
  subject: (i, ctx) => fileSubject(i.file_path, ctx),
  async run(input, ctx) {
    const r = projectPath(input.file_path, ctx);
    if ("error" in r) return fail(r.error);
    const st = ctx.files.stat(r.path);
    if (!st) return fail(`${input.file_path} does not exist. Use Glob to find the right path.`);
    if (st.dir) return fail(`${input.file_path} is a directory; use Glob to list it`);
    // A device, pipe or socket has no end to read to (/dev/zero, a FIFO): refused before anything is read.
    if ((st.mode & 0o170000) !== 0o100000)
      return fail(`${input.file_path} is not a regular file (a device, pipe or socket); Read reads files`);
    const ext = r.path.split(".").pop()?.toLowerCase() ?? "";
    if (IMAGES[ext]) {
      if (ctx.vision === false) return fail(`${input.file_path} is an image and the current model cannot see images`);
      if (st.size > 5 * 1048576)
        return fail(`${input.file_path} is a ${(st.size / 1048576).toFixed(1)} MB image; images up to 5 MB can be read`);
      const data = ctx.files.read(r.path)!;
      return {
        output: `image ${input.file_path} (${st.size} bytes)`,
        images: [{ type: "image", source: { type: "base64", media_type: IMAGES[ext]!, data: Buffer.from(data).toString("base64") } }],
      };
    }
    const ranged = input.offset !== undefined || input.limit !== undefined;
    if (!ranged && st.size > MAX_BYTES * 8)
      return fail(
        `${input.file_path} is ${(st.size / 1048576).toFixed(1)} MB; read a part of it with offset and limit, or search it with Grep`,
      );
    const data = ctx.files.read(r.path)!;
    if (data.subarray(0, 8192).includes(0))
      return fail(`${input.file_path} is a binary file (${st.size} bytes) and cannot be read as text`);
    ctx.reads.note(r.path, ctx.files);
    const text = new TextDecoder().decode(data);
    if (!text) return { output: `(${input.file_path} is empty)` };
    const lines = text.split("\n");
    if (lines.at(-1) === "") lines.pop();
    const from = (input.offset ?? 1) - 1;
    if (from >= lines.length) return fail(`${input.file_path} has ${lines.length} lines; offset ${input.offset} is past the end`);
    const slice = lines.slice(from, from + (input.limit ?? MAX_LINES));
    let out = "";
    for (const [i, l] of slice.entries()) {
      const line = `${String(from + i + 1).padStart(6)}\t${l.length > 2000 ? `${l.slice(0, 2000)}… [line cut]` : l}\n`;
      if (out.length + line.length > MAX_BYTES) {
        out += `[… stopped at line ${from + i}; continue with offset ${from + i + 1}]\n`;
        return { output: out };
      }
      out += line;
    }
    const end = from + slice.length;
    if (end < lines.length) out += `[… ${lines.length - end} more lines; continue with offset ${end + 1}]\n`;
    return { output: out };
  },
};
