// Where hooks come from: the `hooks` key of Claude Code-shaped settings files. The user's ~/.blockrun/settings.json
// always counts; the project's .runcode/settings.json and .runcode/settings.local.json count once the project is
// trusted; its .claude/settings.json and .claude/settings.local.json too, when a .runcode settings file says
// "claudeHooks": true. Only these files are read, so a run without hooks spends a few stat calls on them.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { HookEventName } from "../core/events";

export const EVENTS: readonly HookEventName[] = [
  "PreToolUse",
  "PostToolUse",
  "UserPromptSubmit",
  "Stop",
  "SessionStart",
  "SessionEnd",
  "PreCompact",
];

/** Claude Code's events runcode does not run: named in a runcode file they are skipped without a warning. */
const OTHERS = new Set(["Notification", "SubagentStop", "PermissionRequest", "PostToolUseFailure", "SubagentStart", "Setup"]);

export type HookCommand = { command: string; timeoutMs: number; file: string };
/** One matcher group: `matcher` undefined matches everything. */
export type HookGroup = { matcher?: string; test: (value: string) => boolean; hooks: HookCommand[] };
export type HookTable = Partial<Record<HookEventName, HookGroup[]>>;

export const DEFAULT_TIMEOUT_S = 60;

export type LoadOptions = {
  /** ~/.blockrun/settings.json */
  userFile: string;
  /** The project root (CLAUDE_PROJECT_DIR). */
  root: string;
  /** The project's own code may run (trusted-projects.json, --trust). */
  trusted: boolean;
};

export type Loaded = {
  table: HookTable;
  /** Problems the user should see (a file that is not JSON, a bad matcher); the rest of the file still counts. */
  warnings: string[];
  /** Project files with hooks that were not used because the project is not trusted (relative to the root). */
  untrusted: string[];
};

export function loadHooks(o: LoadOptions): Loaded {
  const out: Loaded = { table: {}, warnings: [], untrusted: [] };
  const runcode = [join(".runcode", "settings.json"), join(".runcode", "settings.local.json")];
  const project = runcode.map((f) => ({ rel: f, data: readSettings(join(o.root, f), out.warnings) }));
  const claude = project.some((p) => p.data?.claudeHooks === true)
    ? [join(".claude", "settings.json"), join(".claude", "settings.local.json")].map((f) => ({
        rel: f,
        data: readSettings(join(o.root, f), out.warnings),
      }))
    : [];
  add(out, o.userFile, readSettings(o.userFile, out.warnings), true);
  for (const p of [...project, ...claude]) {
    if (!p.data?.hooks) continue;
    if (!o.trusted) out.untrusted.push(p.rel);
    else add(out, join(o.root, p.rel), p.data, !p.rel.startsWith(".claude"));
  }
  return out;
}

type Settings = { hooks?: unknown; claudeHooks?: unknown };

function readSettings(file: string, warnings: string[]): Settings | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const v: unknown = JSON.parse(readFileSync(file, "utf8"));
    if (isObject(v)) return v;
    warnings.push(`${file} is not a JSON object; its hooks are not run`);
  } catch {
    warnings.push(`${file} is not valid JSON; its hooks are not run`);
  }
  return undefined;
}

/** The `hooks` key of one file into the table; `own`: a runcode file, whose unknown event names are worth a warning. */
function add(out: Loaded, file: string, data: Settings | undefined, own: boolean) {
  const hooks = data?.hooks;
  if (hooks === undefined) return;
  const bad = (what: string) => out.warnings.push(`${file}: ${what}`);
  if (!isObject(hooks)) return bad('"hooks" must be an object of event names');
  for (const [event, groups] of Object.entries(hooks)) {
    if (!(EVENTS as readonly string[]).includes(event)) {
      if (own && !OTHERS.has(event)) bad(`unknown hook event "${event}" (runcode runs ${EVENTS.join(", ")}); skipped`);
      continue;
    }
    if (!Array.isArray(groups)) {
      bad(`hooks.${event} must be a list of {matcher, hooks}; skipped`);
      continue;
    }
    for (const g of groups) {
      const group = groupOf(g, file, (w) => bad(`hooks.${event}: ${w}`));
      if (!group) continue;
      const list = out.table[event as HookEventName] ?? [];
      list.push(group);
      out.table[event as HookEventName] = list;
    }
  }
}

function groupOf(g: unknown, file: string, bad: (w: string) => void): HookGroup | undefined {
  if (!isObject(g) || !Array.isArray(g.hooks)) return void bad('each entry must be {"matcher": "…", "hooks": [ … ]}; skipped');
  const matcher = typeof g.matcher === "string" && g.matcher !== "" && g.matcher !== "*" ? g.matcher : undefined;
  const test = matcherTest(matcher);
  if (!test) return void bad(`matcher ${JSON.stringify(matcher)} is not a valid regular expression; skipped`);
  const hooks: HookCommand[] = [];
  for (const h of g.hooks) {
    if (!isObject(h) || typeof h.command !== "string" || !h.command.trim()) {
      bad('each hook must be {"type": "command", "command": "…"}; skipped');
      continue;
    }
    if (h.type !== "command") {
      bad(`hook type ${JSON.stringify(h.type)} is not supported (only "command"); skipped`);
      continue;
    }
    const t = typeof h.timeout === "number" && h.timeout > 0 ? h.timeout : DEFAULT_TIMEOUT_S;
    hooks.push({ command: h.command, timeoutMs: Math.round(t * 1000), file });
  }
  return { matcher, test, hooks };
}

/**
 * Claude Code's matcher: none, "" or "*" match everything; a plain name or a `|` list of names matches exactly; anything
 * else is a regular expression tested against the value (a tool name, a SessionStart source, a PreCompact trigger).
 */
export function matcherTest(matcher: string | undefined): ((value: string) => boolean) | undefined {
  if (matcher === undefined) return () => true;
  if (/^[\w|]+$/.test(matcher)) {
    const names = new Set(matcher.split("|"));
    return (v) => names.has(v);
  }
  try {
    const re = new RegExp(matcher);
    return (v) => re.test(v);
  } catch {
    return undefined;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);
