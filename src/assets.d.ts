// Files embedded with `import path from "…" with { type: "file" }`: the import is the file's path (inside the
// compiled binary, a path Bun.file can read).
declare module "*.tiktoken" {
  const path: string;
  export default path;
}
declare module "*.wasm" {
  const path: string;
  export default path;
}
