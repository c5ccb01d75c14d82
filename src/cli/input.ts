// The one rule for merging arguments and piped stdin (docs/usage in README):
//   - arguments are the instruction; piped stdin is context, appended in a fenced block;
//   - a lone `-` argument means the prompt itself comes from stdin;
//   - no arguments: piped stdin is the prompt;
//   - nothing at all is a usage error.
// Stdin above the limit (config max-stdin-mb) or binary stdin is refused before anything is sent.
import { ActionableError, usageError } from "../core/errors";

export async function readStdin(stream: ReadableStream<Uint8Array>, limitBytes: number): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = stream.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limitBytes) {
      reader.cancel().catch(() => {});
      throw new ActionableError(
        `stdin is larger than ${Math.round(limitBytes / 1048576)} MB; runcode refuses to send it`,
        "pipe less (e.g. `git diff -- path`), or raise `runcode config set max-stdin-mb <n>`",
        "input_too_large",
      );
    }
    chunks.push(value);
  }
  const bytes = Buffer.concat(chunks);
  if (looksBinary(bytes))
    throw new ActionableError("stdin looks like binary data, not text", "pipe text (for images use --image PATH)", "input_too_large");
  return bytes.toString("utf8");
}

function looksBinary(b: Uint8Array): boolean {
  const head = b.subarray(0, 8192);
  if (head.includes(0)) return true;
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(b.subarray(0, 65536).subarray(0, lastCharBoundary(b)));
    return false;
  } catch {
    return true;
  }
}

/** Cut at most 3 bytes of a possibly split trailing UTF-8 character from a 64 KB probe. */
function lastCharBoundary(b: Uint8Array): number {
  const n = Math.min(b.length, 65536);
  if (n === b.length) return n;
  let i = n;
  while (i > n - 4 && i > 0 && (b[i]! & 0xc0) === 0x80) i--;
  return i;
}

/** A fence longer than any backtick run in the text, so piped Markdown cannot close it early. */
function fence(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((s) => s.length));
  return "`".repeat(Math.max(3, longest + 1));
}

export function mergePrompt(args: string[], stdin: string | undefined): string {
  const instruction = args.join(" ").trim();
  const piped = stdin ?? "";
  if (args.length === 1 && args[0] === "-") {
    if (!piped.trim())
      throw usageError("`-` reads the prompt from stdin, but stdin was empty", "pipe a prompt in, e.g. `runcode ask - < question.txt`");
    return piped.trim();
  }
  if (!instruction) {
    if (!piped.trim())
      throw usageError("no prompt given", 'pass one, e.g. `runcode ask "what does a 402 status mean?"`, or pipe it on stdin');
    return piped.trim();
  }
  if (!piped.trim()) return instruction;
  const f = fence(piped);
  return `${instruction}\n\n${f}\n${piped.replace(/\n$/, "")}\n${f}`;
}
