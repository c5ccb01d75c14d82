// Info commands: help, version, where to report a bug, what the session used and cost, the wallet, MCP, doctor.
import { computeStats } from "../../store/stats";
import { VERSION } from "../../version";
import { mcp } from "./mcp";
import { GROUPS, type CommandContext, type SlashCommand } from "./types";

const k = (n: number) => (n >= 10_000 ? `${(n / 1000).toFixed(1)}k` : String(n));
const usd = (n: number) => (n > 0 ? `$${n < 0.01 ? n.toFixed(4) : n.toFixed(2)}` : "$0 (free)");

/** /help: every command with its one line, by group. */
export function helpText(cmds: SlashCommand[], bold: (s: string) => string = (s) => s): string {
  const width = Math.max(...cmds.map((c) => c.name.length + (c.args ? c.args.length + 1 : 0))) + 3;
  const lines: string[] = [];
  for (const g of GROUPS) {
    const inGroup = cmds.filter((c) => c.group === g);
    if (!inGroup.length) continue;
    lines.push(bold(g));
    for (const c of inGroup) lines.push(`  ${`/${c.name}${c.args ? ` ${c.args}` : ""}`.padEnd(width)} ${c.help}`);
  }
  lines.push("", "Enter sends · a trailing \\ continues the line · Ctrl-C interrupts · Ctrl-D exits · ↑/↓ history");
  return `${lines.join("\n")}\n`;
}

/** /doctor: the same checks and table as `runcode doctor`. */
const doctor = async (c: CommandContext) => {
  const [{ runChecks }, { machine, table }] = await Promise.all([import("../../doctor/run"), import("../../doctor/report")]);
  c.out(table(await runChecks(machine(c.workspace.run.env)), c.p));
};

/** /wallet: what `runcode balance` prints, the balances as output and the rest as notes. */
const wallet = async (c: CommandContext) => {
  const { team } = c.workspace.run;
  if (team) {
    const { teamMe, teamReport } = await import("../../gateway/team");
    const { out, notes } = teamReport(team.url, await teamMe(team, `runcode/${VERSION}`));
    c.out(out);
    for (const line of notes) c.say(line);
    return;
  }
  const [{ balanceReport, reportText }, { Ledger }, { withStore }] = await Promise.all([
    import("../../money/wallet/report"),
    import("../../money/ledger"),
    import("../../cli/store"),
  ]);
  const { out, notes } = reportText(
    await balanceReport(c.workspace.run, (since) => withStore((store) => new Ledger(store.db).spent({ since }))),
  );
  c.out(out);
  for (const line of notes) c.say(line);
};

const context = async (c: CommandContext) => {
  const e = c.workspace;
  const b = await e.breakdown(true);
  const pct = (n: number) => `${Math.round((n / b.window) * 100)}%`;
  c.say(`context ${e.model.id}: ${k(b.total)} of ${k(b.window)} tokens (${pct(b.total)})`);
  c.say(
    `  system prompt ${k(b.system)} · instruction files ${k(b.files)} · tools ${k(b.tools)} · history ${k(b.history)} (${b.messages} messages${b.compacted ? `, ${b.compacted} compacted` : ""})`,
  );
  if (e.project.files.length) c.say(`  instructions: ${e.project.files.join(", ")}`);
  if (b.used >= 0.7) c.say(c.p.yellow("  over 70% full: /compact summarises older messages"));
};

export const infoCommands: SlashCommand[] = [
  { name: "help", group: "Info", help: "this list", run: (c) => c.out(helpText(c.commands(), c.p.bold)) },
  {
    name: "version",
    group: "Info",
    help: "runcode's version",
    run: (c) => c.say(`runcode ${VERSION} (bun ${Bun.version}, ${process.platform}-${process.arch})`),
  },
  {
    name: "bug",
    group: "Info",
    help: "how to report a bug (with the details to include)",
    run: (c) => {
      c.say("report it at https://github.com/BlockRunAI/runcode/issues/new with:");
      c.say(
        `  runcode ${VERSION} · ${process.platform}-${process.arch} · model ${c.workspace.model.id} · session ${c.workspace.sessionId}`,
      );
      c.say(`  the debug log: ${c.workspace.run.paths.log}`);
    },
  },
  {
    name: "tokens",
    group: "Info",
    help: "tokens used in this session",
    run: (c) => {
      const t = c.workspace.totals;
      c.say(
        `${k(t.input)} input + ${k(t.output)} output tokens over ${t.requests} request(s); last request ${k(c.workspace.lastInput)} tokens`,
      );
    },
  },
  { name: "context", group: "Info", help: "how full the context window is, and with what", run: context },
  {
    name: "cost",
    group: "Info",
    help: "what this session cost (and today's total)",
    run: (c) => {
      const t = c.workspace.totals;
      c.say(`session: ${usd(t.usd)} for ${t.requests} request(s), ${k(t.input)} in / ${k(t.output)} out`);
      if (!c.workspace.store) return;
      const day = new Date();
      day.setHours(0, 0, 0, 0);
      const s = computeStats(c.workspace.store, { since: day.getTime() }).total;
      c.say(`today: ${usd(s.usd)} for ${s.requests} request(s) (runcode stats for more)`);
    },
  },
  { name: "wallet", group: "Info", help: "wallet address and USDC balance", run: wallet },
  {
    name: "mcp",
    group: "Info",
    help: "MCP servers and their tools; /mcp reconnect [name], /mcp trust",
    args: "[reconnect|trust]",
    run: mcp,
  },
  { name: "doctor", group: "Info", help: "check the installation, wallet and gateway", run: doctor },
];
