// `runcode init` / `uninit` for Claude Code: set the `env` keys in ~/.claude/settings.json that point it at the
// proxy, and remember what each key held before (in the runcode home) so `uninit` puts back exactly that: keys that
// did not exist are removed, previous values restored, every other key left as it is. Writes are atomic.
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { writeJsonAtomic } from "../core/fs";
import { writePrivateJson } from "../core/private";

/** Settings and their backup may hold tokens: a file runcode creates is private; an existing one keeps its mode. */
const writeAtomic = (file: string, data: unknown) => writeJsonAtomic(file, data, existsSync(file) ? undefined : 0o600);
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { ActionableError } from "../core/errors";

type Json = Record<string, unknown>;
/** What `init` found before it changed anything; `null` = the key did not exist. */
export type Backup = { settings: string; hadDir: boolean; hadFile: boolean; hadEnv: boolean; previous: Record<string, string | null> };

/** Claude Code's user settings: $CLAUDE_CONFIG_DIR or ~/.claude (HOME from the given env, so tests use a temp home). */
export function claudeSettingsPath(env: Record<string, string | undefined>): string {
  return join(env.CLAUDE_CONFIG_DIR || join(env.HOME || homedir(), ".claude"), "settings.json");
}

export function proxyEnv(o: { port: number; token?: string; model: string; get: (key: string) => unknown }): Record<string, string> {
  return {
    ANTHROPIC_BASE_URL: `http://localhost:${o.port}/api`,
    // A token (any text without --token) keeps Claude Code from showing its login screen.
    ANTHROPIC_AUTH_TOKEN: o.token ?? "x402-proxy-handles-auth",
    ANTHROPIC_MODEL: o.model,
    ANTHROPIC_DEFAULT_SONNET_MODEL: String(o.get("sonnet-model")),
    ANTHROPIC_DEFAULT_OPUS_MODEL: String(o.get("opus-model")),
    ANTHROPIC_DEFAULT_HAIKU_MODEL: String(o.get("haiku-model")),
  };
}

function readJson(file: string, what: string): Json | undefined {
  if (!existsSync(file)) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    throw new ActionableError(`${what} ${file} is not valid JSON`, "fix it by hand first; runcode will not overwrite it", "config");
  }
  if (!data || typeof data !== "object" || Array.isArray(data))
    throw new ActionableError(`${what} ${file} is not a JSON object`, "fix it by hand first", "config");
  return data as Json;
}

const envOf = (s: Json): Json => (s.env && typeof s.env === "object" && !Array.isArray(s.env) ? (s.env as Json) : {});

/** Set `values` in settings.env; returns the keys whose value changed. A second init keeps the first backup. */
export function applyInit(settingsFile: string, backupFile: string, values: Record<string, string>): string[] {
  const before = readJson(settingsFile, "Claude Code settings");
  const settings: Json = before ?? {};
  const env = envOf(settings);
  const backup: Backup = (readJson(backupFile, "runcode's backup of Claude Code settings") as Backup | undefined) ?? {
    settings: settingsFile,
    hadDir: existsSync(dirname(settingsFile)),
    hadFile: before !== undefined,
    hadEnv: settings.env !== undefined,
    previous: {},
  };
  const changed: string[] = [];
  for (const [k, v] of Object.entries(values)) {
    if (!(k in backup.previous))
      backup.previous[k] = typeof env[k] === "string" ? (env[k] as string) : env[k] === undefined ? null : JSON.stringify(env[k]);
    if (env[k] !== v) changed.push(k);
    env[k] = v;
  }
  settings.env = env;
  writePrivateJson(backupFile, backup); // the backup (in runcode's home) first: a crash in between must never lose the previous values
  writeAtomic(settingsFile, settings);
  return changed;
}

/** Undo `applyInit`; undefined when there is nothing to undo. */
export function applyUninit(backupFile: string): { settings: string; restored: string[] } | undefined {
  const backup = readJson(backupFile, "runcode's backup of Claude Code settings") as Backup | undefined;
  if (!backup) return undefined;
  const settings = readJson(backup.settings, "Claude Code settings") ?? {};
  const env = envOf(settings);
  for (const [k, v] of Object.entries(backup.previous)) {
    if (v === null) delete env[k];
    else env[k] = v;
  }
  if (!backup.hadEnv && Object.keys(env).length === 0) delete settings.env;
  else settings.env = env;
  if (!backup.hadFile && Object.keys(settings).length === 0) {
    rmSync(backup.settings, { force: true });
    if (backup.hadDir === false && readdirSync(dirname(backup.settings)).length === 0)
      rmSync(dirname(backup.settings), { recursive: true });
  } else writeAtomic(backup.settings, settings);
  rmSync(backupFile, { force: true });
  return { settings: backup.settings, restored: Object.keys(backup.previous) };
}
