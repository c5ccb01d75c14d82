// The built-in suite, inlined at bundle time (embed.ts is a Bun macro: it runs when runcode is built or transpiled,
// not when it runs). Only `runcode bench` imports this module.
import { builtinTasks } from "./embed" with { type: "macro" };
import type { Task } from "./format";

export const BUILTIN: Task[] = builtinTasks() as Task[];
