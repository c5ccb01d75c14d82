// Settings owned by the store (spread into the program's table in src/settings.ts). The default keeps every session
// until the transcripts pass a size budget, instead of the original's "newest 20".
import type { SettingDef } from "../core/config";
import type { Retention } from "./sessions";

export const STORE_SETTINGS: Record<string, SettingDef> = {
  "session-retention-days": { kind: "int", default: 0, doc: "delete sessions not used for this many days (0 = keep regardless of age)" },
  "session-max-count": { kind: "int", default: 0, doc: "keep at most this many sessions, newest first (0 = no limit)" },
  "session-max-mb": { kind: "int", default: 500, doc: "keep the newest sessions whose transcripts fit in this many MB (0 = no limit)" },
};

export const retention = (get: (key: string) => unknown): Retention => ({
  days: get("session-retention-days") as number,
  maxCount: get("session-max-count") as number,
  maxMb: get("session-max-mb") as number,
});
