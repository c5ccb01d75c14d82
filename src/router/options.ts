// Routing settings from the config file. ClawRouter silently ignored custom tables (#147, #148); here every
// `routing.*` key is in the program's settings table (so `config set` validates it) and read back, with the same
// definitions, into plain options the pure router takes as an argument.
import { settingValue, type Config } from "../core/config";
import { ROUTING_SETTINGS, TABLE_CELL } from "./settings";
import { TIERS, type TableName, type Tier, type TierRoute } from "./types";

export type TableOverrides = Partial<Record<TableName, Partial<Record<Tier, Partial<TierRoute>>>>>;

export type RouterOptions = {
  /** Cells that replace the built-in tables: a primary, a fallback list, or both. */
  overrides?: TableOverrides;
  /** Use the agentic table for `auto` when the request has tools or scores agentic ≥ 0.5 (default true). */
  agentic?: boolean;
  /** Model ids never routed to. */
  exclude?: string[];
  /** Keep a session's tier unless a later message scores higher (default true). */
  pin?: boolean;
};

const get = (config: Config, key: string) => settingValue({ named: {}, patterns: ROUTING_SETTINGS }, config, key);

const list = (v: unknown) =>
  typeof v === "string"
    ? v
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean)
    : [];

/** Read the routing keys from a config object (as read by readConfig). Invalid values throw ActionableError. */
export function routerOptions(config: Config): RouterOptions {
  const overrides: TableOverrides = {};
  for (const key of Object.keys(config)) {
    const m = TABLE_CELL.exec(key);
    if (!m) continue;
    const value = get(config, key);
    if (typeof value !== "string") continue;
    const table = m[1]!.toLowerCase() as TableName;
    const tier = m[2]!.toUpperCase() as Tier;
    if (!TIERS.includes(tier)) continue;
    const cell = ((overrides[table] ??= {})[tier] ??= {});
    if (m[3]!.toLowerCase() === "primary") cell.primary = value;
    else cell.fallbacks = list(value);
  }
  return {
    overrides,
    agentic: get(config, "routing.agentic") !== false,
    exclude: list(get(config, "routing.exclude")),
    pin: get(config, "routing.pin") !== false,
  };
}
