// Config keys owned by the MCP client (spread into KEYS in src/core/config.ts).
import type { KeyDef } from "../core/config";

export const MCP_KEYS: Record<string, KeyDef> = {
  "mcp-connect-timeout": { kind: "int", default: 5, doc: "seconds an MCP server may take to start and answer initialize before it is reported as failed" },
  "mcp-call-timeout": { kind: "int", default: 30, doc: "seconds one MCP tool call may take before the model is told it timed out" },
};
