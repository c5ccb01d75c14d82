// Session commands: start over, look back, reopen or delete stored sessions, resend, quit.
import { listSessions } from "../../store/sessions";
import { messageText, isPrompt } from "../../store/store";
import type { CommandContext, SlashCommand } from "./types";

const ago = (ms: number) => {
  const s = Math.round((Date.now() - ms) / 1000);
  return s < 90
    ? `${s}s ago`
    : s < 5400
      ? `${Math.round(s / 60)}m ago`
      : s < 129600
        ? `${Math.round(s / 3600)}h ago`
        : `${Math.round(s / 86400)}d ago`;
};

const listed = (c: CommandContext) => (c.workspace.store ? listSessions(c.workspace.store, { cwd: c.workspace.run.cwd, limit: 20 }) : []);

/** "3" or "2-5" → 1-based positions in the /sessions list. */
export function parseRange(s: string): number[] | undefined {
  const m = /^(\d+)(?:-(\d+))?$/.exec(s.trim());
  if (!m) return undefined;
  const a = Number(m[1]);
  const b = Number(m[2] ?? m[1]);
  if (a < 1 || b < a) return undefined;
  return Array.from({ length: b - a + 1 }, (_, i) => a + i);
}

export const sessionCommands: SlashCommand[] = [
  {
    name: "clear",
    group: "Session",
    help: "start a new conversation (the current one stays in /sessions)",
    run: (c) => {
      c.workspace.conversation();
      c.say(`new session ${c.workspace.sessionId}`);
    },
  },
  {
    name: "compact",
    group: "Session",
    help: "summarise older history now to free context",
    args: "[focus]",
    run: async (c) => {
      if (c.workspace.messages.length < 2) return c.say("nothing to compact yet");
      c.say(c.p.dim("compacting…"));
      c.show(await c.workspace.compact(c.args.trim() || undefined));
    },
  },
  {
    name: "history",
    group: "Session",
    help: "list the messages you sent in this conversation",
    run: (c) => {
      const prompts = c.workspace.messages
        .filter(isPrompt)
        .map(messageText)
        .filter((t) => t.trim());
      if (!prompts.length) return c.say("nothing sent yet");
      prompts.forEach((t, i) => c.say(`${String(i + 1).padStart(3)}  ${t.replace(/\s+/g, " ").slice(0, 100)}`));
    },
  },
  {
    name: "sessions",
    group: "Session",
    help: "list recent sessions in this directory",
    run: (c) => {
      const list = listed(c);
      if (!list.length) return c.say(c.workspace.store ? "no sessions yet" : "sessions are not saved (session-save is off)");
      list.forEach((s, i) => {
        const here = s.id === c.workspace.sessionId ? c.p.green(" (current)") : "";
        c.say(
          `${String(i + 1).padStart(3)}  ${s.id}  ${ago(s.updated).padEnd(8)} ${String(s.turns).padStart(3)} msgs  ${s.title.slice(0, 60) || c.p.dim("(empty)")}${here}`,
        );
      });
    },
  },
  {
    name: "resume",
    group: "Session",
    help: "reopen a stored session",
    args: "<id|n>",
    run: (c) => {
      const arg = c.args.trim();
      if (!c.workspace.store) return c.say("sessions are not saved (session-save is off)");
      const n = /^\d+$/.test(arg) ? listed(c)[Number(arg) - 1]?.id : undefined;
      const resumed = c.workspace.conversation(arg ? { id: n ?? arg } : { latest: true });
      c.say(
        resumed
          ? `resumed ${c.workspace.sessionId} (${c.workspace.messages.length} messages)`
          : `no earlier session; new session ${c.workspace.sessionId}`,
      );
    },
  },
  {
    name: "delete",
    group: "Session",
    help: "delete sessions by their /sessions number",
    args: "<n|a-b>",
    run: async (c) => {
      const list = listed(c);
      const picks = parseRange(c.args);
      if (!picks) return c.say("usage: /delete 3 or /delete 2-5 (numbers from /sessions)");
      const ids = picks.map((i) => list[i - 1]?.id).filter((id): id is string => !!id && id !== c.workspace.sessionId);
      if (!ids.length) return c.say("nothing to delete (the current session cannot be deleted)");
      if (c.interactive && !(await c.confirm(`delete ${ids.length} session(s)?`))) return c.say("kept");
      c.say(`deleted ${c.workspace.store!.removeSessions(ids)} session(s)`);
    },
  },
  {
    name: "retry",
    group: "Session",
    help: "send your last message again",
    run: async (c) => {
      const last = c.workspace.popLastPrompt();
      if (last === undefined) return c.say("nothing to retry");
      await c.send(last);
    },
  },
  { name: "exit", group: "Session", help: "leave runcode (Ctrl-D works too)", run: (c) => c.exit() },
];
