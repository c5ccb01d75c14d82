// Settings owned by the MCP client (spread into the program's table in src/settings.ts).
import type { SettingDef } from "../core/config";

export const MCP_SETTINGS: Record<string, SettingDef> = {
  "mcp-connect-timeout": {
    kind: "int",
    default: 5,
    doc: "seconds an MCP server may take to start and answer initialize before it is reported as failed",
  },
  "mcp-call-timeout": { kind: "int", default: 30, doc: "seconds one MCP tool call may take before the model is told it timed out" },
};
