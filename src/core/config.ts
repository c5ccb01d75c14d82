// runcode-config.json: the original's flat key → value file. Values are read tolerantly (the original stored
// everything as strings: "true", "100"), validated against a table of setting definitions, and written atomically.
// A corrupt file is reported with its path and never reset. The table is not defined here: core is below every
// feature, so the features' definitions are assembled above them (src/settings.ts) and handed to these functions.
import { existsSync, readFileSync } from "node:fs";
import { ActionableError, closest } from "./errors";
import { writePrivateJson } from "./private";

type Kind = "string" | "bool" | "int" | "usd" | { enum: readonly string[] };
export type SettingDef = { kind: Kind; default?: unknown; doc: string };
/** A family of settings whose names follow a pattern (e.g. routing table cells). */
export type SettingPattern = { pattern: RegExp; def: SettingDef };
/** Every setting a program knows: exact names first, then patterns (first match wins). */
export type SettingTable = { named: Record<string, SettingDef>; patterns: readonly SettingPattern[] };

export type Config = Record<string, unknown>;

/**
 * What the file's `$schema` says: docs/runcode-config.schema.json's `$id` (scripts/gen-config-doc.ts writes it), a
 * name for editors that map it to that file, not an address runcode fetches. Reading drops the key; writing adds it.
 */
export const CONFIG_SCHEMA_ID = "https://runcode.dev/schema/config-1.json";

/** The strings a value of each kind may also be stored as (the original wrote every value as a string). */
export const STORED_AS = {
  true: ["true", "on", "yes", "1"],
  false: ["false", "off", "no", "0"],
  int: /^\d+$/,
  usd: /^\$?\d+(\.\d+)?$/,
} as const;

export function findSetting(table: SettingTable, key: string): SettingDef | undefined {
  return (Object.hasOwn(table.named, key) ? table.named[key] : undefined) ?? table.patterns.find((p) => p.pattern.test(key))?.def;
}

/** Parse a user-supplied value for a key; throws an ActionableError naming the key and what it accepts. */
export function parseSetting(table: SettingTable, key: string, raw: unknown): unknown {
  const def = findSetting(table, key);
  if (!def) {
    const near = closest(key, Object.keys(table.named));
    throw new ActionableError(
      `unknown config key "${key}"`,
      near.length ? `did you mean ${near.join(", ")}? (runcode config list shows all keys)` : "run `runcode config list` to see the keys",
      "config",
    );
  }
  const bad = (accepts: string) => new ActionableError(`bad value ${JSON.stringify(raw)} for "${key}"`, `use ${accepts}`, "config");
  const s = typeof raw === "string" ? raw.trim() : raw;
  const { kind } = def;
  if (kind === "string") {
    if (typeof s !== "string" || s === "") throw bad("a non-empty string");
    return s;
  }
  if (kind === "bool") {
    if (s === true || STORED_AS.true.some((w) => w === s)) return true;
    if (s === false || STORED_AS.false.some((w) => w === s)) return false;
    throw bad("true or false");
  }
  if (kind === "int") {
    const n = typeof s === "number" ? s : typeof s === "string" && STORED_AS.int.test(s) ? Number(s) : NaN;
    if (!Number.isSafeInteger(n) || n < 0) throw bad("a whole number ≥ 0");
    return n;
  }
  if (kind === "usd") {
    const n = typeof s === "number" ? s : typeof s === "string" && STORED_AS.usd.test(s) ? Number(s.replace("$", "")) : NaN;
    if (!Number.isFinite(n) || n < 0) throw bad("an amount in USD like 0.05");
    return n;
  }
  if (typeof s !== "string" || !kind.enum.includes(s)) throw bad(`one of ${kind.enum.join(", ")}`);
  return s;
}

export function readConfig(file: string): Config {
  if (!existsSync(file)) return {};
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    throw new ActionableError(
      `config file ${file} is not valid JSON`,
      "fix it by hand or move it away; runcode will not reset it",
      "config",
    );
  }
  if (!data || typeof data !== "object" || Array.isArray(data))
    throw new ActionableError(
      `config file ${file} is not a JSON object`,
      "fix it by hand or move it away; runcode will not reset it",
      "config",
    );
  const { $schema: _, ...config } = data as Config;
  return config;
}

/** The effective value of a key: the file's value read tolerantly, else the default. Bad stored values are an error. */
export function settingValue(table: SettingTable, config: Config, key: string, file = "runcode-config.json"): unknown {
  const stored = config[key];
  if (stored === undefined || stored === null || stored === "") return findSetting(table, key)?.default;
  try {
    return parseSetting(table, key, stored);
  } catch (err) {
    if (err instanceof ActionableError)
      throw new ActionableError(
        `${err.summary} in ${file}`,
        `run \`runcode config set ${key} <value>\` or \`runcode config unset ${key}\``,
        "config",
      );
    throw err;
  }
}

/** 0600: the file may hold `proxy-token`. */
export function writeConfig(file: string, config: Config) {
  writePrivateJson(file, { $schema: CONFIG_SCHEMA_ID, ...config });
}
