// A bundle-time macro: the built-in suite (src/bench/tasks/) read from disk when runcode is bundled (or transpiled
// from source), inlined as one value, so the compiled binary carries it with no files beside it.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { readSuite, type Task } from "./format";

export function builtinTasks(): Task[] {
  const dir = join(import.meta.dir, "tasks");
  return existsSync(dir) && readdirSync(dir).length ? readSuite(dir) : [];
}
