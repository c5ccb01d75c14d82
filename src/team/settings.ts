// Settings of `runcode team serve` (spread into the program's table in src/settings.ts). Flags override them.
import type { SettingDef } from "../core/config";

export const TEAM_SETTINGS: Record<string, SettingDef> = {
  "team-db": { kind: "string", doc: "the team store: a postgres:// URL (several team servers) or a file; default team.db in the home" },
  "team-port": { kind: "int", default: 8403, doc: "port `runcode team serve` listens on" },
  "team-rate-per-minute": { kind: "int", default: 300, doc: "requests per minute one developer token may send to the team server" },
  "team-audit-prompts": { kind: "bool", default: false, doc: "keep each request body in the team audit log (default: only its SHA-256)" },
};
