// Settings owned by the tools (spread into the program's table in src/settings.ts).
import type { SettingDef } from "../core/config";

export const TOOL_SETTINGS: Record<string, SettingDef> = {
  "bash-timeout": { kind: "int", default: 30, doc: "seconds a Bash command may run when the model does not ask for more" },
  "bash-timeout-max": { kind: "int", default: 600, doc: "the longest timeout, in seconds, the model may ask for on a Bash command" },
  sandbox: {
    kind: { enum: ["off", "read-only", "workspace-write", "danger-full-access"] },
    default: "off",
    doc: "the OS sandbox `ask` and `edit` run Bash in, unasked (like --sandbox; docs/sandbox.md); off: Bash asks or needs --allow",
  },
  "tool-output-cap": {
    kind: "int",
    default: 32,
    doc: "KB of one tool result sent to the model (head and tail kept); the user still sees all live output",
  },
};
