// `runcode sessions [--json] | show | export | rm | search | path`, and `--repair` for a damaged database.
// Stdout carries only the listing/transcript; confirmations and counts go to stderr.
import { out } from "../cli/io";
import { defineCommand } from "citty";
import { withStore } from "../cli/store";
import { ui } from "../cli/ui";
import { usageError } from "../core/errors";
import { homeDir, paths } from "../core/home";
import { checkAndRepair } from "../store/repair";
import { findSession, listSessions, loadMessages, searchSessions, type SessionInfo } from "../store/sessions";
import { parseDuration } from "../store/stats";
import { messageMarkdown, toJsonl, toMarkdown } from "../store/transcript";

const json = { json: { type: "boolean", description: "machine-readable JSON on stdout" } } as const;
const idArg = { id: { type: "positional", required: true, description: "session id (a unique prefix is enough)" } } as const;

const when = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace("T", " ");
const home = (dir: string) => (process.env.HOME && dir.startsWith(process.env.HOME) ? `~${dir.slice(process.env.HOME.length)}` : dir);
const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function table(rows: SessionInfo[]) {
  if (!rows.length) return ui.info("no sessions yet");
  const w = Math.max(...rows.map((r) => r.id.length));
  out(
    `${"ID".padEnd(w)}  ${"UPDATED".padEnd(16)}  TURNS  ${"COST".padStart(9)}  ${"MODEL".padEnd(28)}  ${"DIRECTORY".padEnd(24)}  FIRST PROMPT\n`,
  );
  for (const r of rows)
    out(
      `${r.id.padEnd(w)}  ${when(r.updated)}  ${String(r.turns).padStart(5)}  ${`$${r.usd.toFixed(4)}`.padStart(9)}  ${cut(r.model, 28).padEnd(28)}  ${cut(home(r.cwd), 24).padEnd(24)}  ${cut(r.title, 60)}\n`,
    );
}

export default defineCommand({
  meta: { name: "sessions", description: "List, show, export, search and remove saved sessions" },
  args: {
    ...json,
    limit: { type: "string", description: "show at most this many (newest first)" },
    repair: { type: "boolean", description: "back up a damaged database and rebuild what can be read" },
  },
  subCommands: {
    show: defineCommand({
      meta: { name: "show", description: "Print a session's transcript (--json: the raw messages)" },
      args: { ...idArg, ...json },
      run: ({ args }) =>
        withStore((store) => {
          const s = findSession(store, args.id);
          const messages = loadMessages(store, s.id);
          if (args.json) out(`${JSON.stringify({ ...s, messages }, null, 2)}\n`);
          else for (const m of messages) out(`── ${m.role}${m.partial ? " (interrupted)" : ""}\n${messageMarkdown(m)}\n\n`);
          return 0;
        }),
    }),
    export: defineCommand({
      meta: { name: "export", description: "Write a session as Markdown or JSONL to stdout" },
      args: { ...idArg, format: { type: "string", default: "md", description: "md or jsonl" } },
      run: ({ args }) =>
        withStore((store) => {
          if (args.format !== "md" && args.format !== "jsonl")
            throw usageError(`unknown export format "${args.format}"`, "use --format md or --format jsonl");
          const s = findSession(store, args.id);
          const messages = loadMessages(store, s.id);
          out(args.format === "md" ? toMarkdown(s, messages) : toJsonl(messages));
          return 0;
        }),
    }),
    rm: defineCommand({
      meta: { name: "rm", description: "Remove a session, or all not used for a while (--older-than 30d)" },
      args: {
        id: { type: "positional", required: false, description: "session id" },
        "older-than": { type: "string", description: "age like 30d, 12h, 2w" },
      },
      run: ({ args }) =>
        withStore((store) => {
          const age = args["older-than"];
          if (!args.id === !age)
            throw usageError("give a session id or --older-than, not both or neither", "e.g. `runcode sessions rm --older-than 30d`");
          let ids: string[];
          if (age) {
            const ms = parseDuration(age);
            if (ms === undefined) throw usageError(`--older-than needs an age like 30d, 12h or 2w, got "${age}"`);
            ids = listSessions(store)
              .filter((s) => s.updated < Date.now() - ms)
              .map((s) => s.id);
          } else ids = [findSession(store, args.id!).id];
          const n = store.removeSessions(ids);
          ui.info(`removed ${n} session${n === 1 ? "" : "s"}`);
          return 0;
        }),
    }),
    search: defineCommand({
      meta: { name: "search", description: "Find sessions whose messages contain TEXT" },
      args: { text: { type: "positional", required: true, description: "words to find" }, ...json },
      run: ({ args }) =>
        withStore((store) => {
          const hits = searchSessions(store, args.text);
          if (args.json) out(`${JSON.stringify(hits, null, 2)}\n`);
          else if (!hits.length) ui.info(`no message matches "${args.text}"`);
          else for (const h of hits) out(`${h.session}  ${when(h.at)}  ${h.role.padEnd(9)}  ${cut(h.snippet, 100)}\n`);
          return 0;
        }),
    }),
    path: defineCommand({
      meta: { name: "path", description: "Print where sessions are stored (the database file)" },
      run() {
        out(`${paths(homeDir()).db}\n`);
        return 0;
      },
    }),
  },
  run({ args }) {
    if (args.repair) return repair();
    const limit = args.limit === undefined ? undefined : Number(args.limit);
    if (limit !== undefined && !(Number.isSafeInteger(limit) && limit > 0))
      throw usageError(`--limit must be a positive whole number, got "${args.limit}"`);
    return withStore((store) => {
      const rows = listSessions(store, { limit });
      if (args.json) out(`${JSON.stringify(rows, null, 2)}\n`);
      else table(rows);
      return 0;
    });
  },
});

function repair(): number {
  const db = paths(homeDir()).db;
  const outcome = checkAndRepair(homeDir(), ui.warn);
  if (outcome.state === "absent") {
    ui.info("no database yet: nothing to repair");
    return 0;
  }
  if (outcome.state === "healthy") {
    ui.info(`${db} passed its integrity check: nothing to repair`);
    return 0;
  }
  const r = outcome.report;
  const found = outcome.problems.slice(0, 3).map((p) => p.replace(/\s+/g, " ").trim());
  ui.info(`found: ${found.join("; ")}${outcome.problems.length > 3 ? `; and ${outcome.problems.length - 3} more` : ""}`);
  const copied = Object.entries(r.copied)
    .filter(([, n]) => n > 0)
    .map(([t, n]) => `${n} ${t}`)
    .join(", ");
  ui.info(`damaged database kept at ${r.backup}`);
  ui.info(`rebuilt ${db}: recovered ${copied || "nothing"}${r.unreadable.length ? `; unreadable: ${r.unreadable.join(", ")}` : ""}`);
  return 0;
}
