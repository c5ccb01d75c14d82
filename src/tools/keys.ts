// Config keys owned by the tools (spread into KEYS in src/core/config.ts).
import type { KeyDef } from "../core/config";

export const TOOL_KEYS: Record<string, KeyDef> = {
  "bash-timeout": { kind: "int", default: 30, doc: "seconds a Bash command may run when the model does not ask for more" },
  "bash-timeout-max": { kind: "int", default: 600, doc: "the longest timeout, in seconds, the model may ask for on a Bash command" },
  "tool-output-cap": { kind: "int", default: 32, doc: "KB of one tool result sent to the model (head and tail kept); the user still sees all live output" },
};
