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
// Files embedded with `with { type: "text" }`: the import is the file's text (the dashboard's scripts, styles and uPlot).
declare module "*.css" {
  const text: string;
  export default text;
}
declare module "*.mjs" {
  const text: string;
  export default text;
}
declare module "uplot/dist/uPlot.esm.js" {
  const text: string;
  export default text;
}
