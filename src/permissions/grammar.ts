// tree-sitter-bash for the shell permission checks. Imported only when a rule must judge a command that is more
// than plain words (see shell.ts), never at startup. Both wasm files (web-tree-sitter's runtime and the grammar)
// are embedded in the compiled binary as files and handed over as bytes, so nothing is looked up on disk by name.
import bashWasm from "tree-sitter-bash/tree-sitter-bash.wasm" with { type: "file" };
import { Language, Parser } from "web-tree-sitter";
import runtimeWasm from "web-tree-sitter/web-tree-sitter.wasm" with { type: "file" };

export async function bashParser(): Promise<Parser> {
  await Parser.init({ wasmBinary: await Bun.file(runtimeWasm).bytes() });
  const language = await Language.load(await Bun.file(bashWasm).bytes());
  return new Parser().setLanguage(language);
}
