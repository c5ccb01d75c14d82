// Who may run what. Decides allow / deny / ask for one tool call from, in order: deny rules, the permission mode,
// paths outside the project, allow rules (CLI, "always" answers, file), ask rules, then the command's defaults.
// Pure: the loop turns "ask" into a prompt through the injected approve function, or a denial when there is none.
// Shell commands (Bash, custom tools) are judged by the simple commands shell.ts reads from them; reading some needs
// the bash grammar, which `prepare` loads first (only when a rule must judge the command), so `decide` stays
// synchronous.
import { isAbsolute, relative, resolve } from "node:path";
import { inside, realish } from "../tools/paths";
import type { Subject } from "../tools/types";
import { covers, hits, matches, names, parseRule, type Rule, type Rules } from "./rules";
import { loadShell, parseShell, shellFailure, type Shell, type SimpleCommand } from "./shell";
import { quote } from "./wrappers";

export type Mode = "default" | "trust" | "plan" | "deny-all";
export const MODES: readonly Mode[] = ["default", "trust", "plan", "deny-all"];

/** Tools that only look: allowed by default everywhere except where deny-all narrows it. */
const LOCAL_READ = new Set(["Read", "Glob", "Grep", "Task", "AskUser"]);
const FILE_WRITE = new Set(["Write", "Edit", "MultiEdit"]);
const MOVES = new Set(["cd", "pushd", "popd"]);

export type PolicyInput = {
  mode: Mode;
  root: string;
  file?: Rules;
  allow?: string[];
  deny?: string[];
  /** `edit`: Write/Edit/MultiEdit inside the project need no approval. */
  editsInProject?: boolean;
  /**
   * Shell tools run in this OS sandbox (src/sandbox/): they need no approval (the kernel holds the boundary), and
   * the file tools keep the same boundary (read-only: no writes; workspace-write: none outside the project or into
   * its .git and .runcode).
   */
  sandbox?: "read-only" | "workspace-write" | "danger-full-access";
};

/** `fix`: what to do about an "ask" that no flag can turn into an allow (see `advice`). */
export type Decision = { action: "allow" | "deny" | "ask"; reason: string; fix?: string };
/** `cwd`: where a shell command starts, for its relative redirections (default: the project root). */
export type Call = { tool: string; mutating: boolean; shell: boolean; subject: Subject; cwd?: string };

type Read = (command: string) => Shell | undefined;
/** Allowed by `rule`, or not allowed for a reason the allow rules can name. */
type Verdict = { rule: string } | { why: string } | undefined;

export class Policy {
  readonly mode: Mode;
  private readonly deny: Rule[];
  private readonly allow: Rule[];
  private readonly ask: Rule[];
  /** Rules added by "always" answers, newest first. */
  private readonly remembered: string[] = [];
  constructor(private readonly o: PolicyInput) {
    this.mode = o.mode;
    this.deny = [...(o.deny ?? []), ...(o.file?.deny ?? [])].map(parseRule);
    this.allow = [...(o.allow ?? []), ...(o.file?.allow ?? [])].map(parseRule);
    this.ask = (o.file?.ask ?? []).map(parseRule);
  }

  /** Remember an "always" answer for the rest of the session. */
  remember(rule: string) {
    this.allow.unshift(parseRule(rule));
    this.remembered.unshift(rule);
  }

  /**
   * What a run that cannot ask tells the user to do about an "ask" decision: the flags that would let this very call
   * through, each checked by deciding the call again with it, so a hint is never one that would still be refused
   * (`--allow Write` does not allow a path outside the project: only `--trust` does).
   */
  async advice(c: Call, d: Decision): Promise<string> {
    const allows = async (p: Policy) => {
      await p.prepare(c);
      return p.decide(c).action === "allow";
    };
    const rules = await this.missing(c);
    const options: string[] = [];
    if (rules.length && (await allows(new Policy({ ...this.o, allow: [...this.remembered, ...(this.o.allow ?? []), ...rules] }))))
      options.push(rules.map((r) => `--allow ${/^[\w.-]+$/.test(r) ? r : shq(r)}`).join(" "));
    if (await allows(new Policy({ ...this.o, mode: "trust" }))) options.push("--trust");
    if (options.length) return `rerun with ${options.join(" or ")}`;
    return d.fix ?? "run it interactively (runcode) to approve it";
  }

  /** The allow rules `c` lacks: the tool for a file or network tool; for a shell call, one per command not covered. */
  private async missing(c: Call): Promise<string[]> {
    if (!c.shell) return [c.tool];
    let s = merge(c.subject.texts.map(parseShell));
    if (!s) {
      await loadShell();
      s = merge(c.subject.texts.map(parseShell));
    }
    if (!s || s.unresolved.length || !s.commands.length) return [c.tool];
    const allows = this.allow.filter((r) => names(r, c.tool, c.shell) && r.pattern);
    const rules = s.commands
      .filter((x) => !allows.some((a) => covers(a.pattern!, x, this.byName(x))))
      .map((x) => ruleFor(c.tool, x, this.byName(x)));
    return [...new Set(rules)];
  }

  /** Whether an allow rule may match `x` by its name: not when something written could swap the program. */
  private byName(x: SimpleCommand): boolean {
    return !x.env && (!x.path || (isAbsolute(x.path) && !inside(this.o.root, x.path)));
  }

  decide(c: Call): Decision {
    return this.judge(c, parseShell);
  }

  /** Loads the bash grammar if deciding `c` needs it, so that `decide(c)` can read the command. */
  async prepare(c: Call): Promise<void> {
    let missing = false;
    this.judge(c, (s) => parseShell(s) ?? void (missing = true));
    if (missing) await loadShell();
  }

  private judge(c: Call, read: Read): Decision {
    const { root } = this.o;
    const t = {
      tool: c.tool,
      shell: c.shell,
      texts: [...c.subject.texts, ...(c.subject.paths ?? []).filter((p) => inside(root, p)).map((p) => relative(root, p) || ".")],
    };
    // Read only when a rule or the project boundary needs it: most calls never load the grammar.
    let once: { s?: Shell } | undefined;
    const shell = () => (once ??= { s: merge(c.subject.texts.map(read)) }).s;
    const unread = (): Decision => ({
      action: "ask",
      reason: `the command could not be checked: ${shellFailure() ?? "the shell parser is not loaded"}`,
    });

    let checked: Rule | undefined;
    for (const r of this.deny) {
      if (!names(r, c.tool, c.shell)) continue;
      if (!c.shell || !r.pattern) {
        if (matches(r, t, "any")) return { action: "deny", reason: `denied by the rule ${r.source}` };
        continue;
      }
      const s = shell();
      if (!s) return unread();
      if (s.commands.some((x) => hits(r.pattern!, x))) return { action: "deny", reason: `denied by the rule ${r.source}` };
      checked ??= r;
    }
    const unknown = checked && shell()?.unresolved[0];
    if (unknown)
      return {
        action: "ask",
        reason: `${unknown}, so it cannot be checked against the rule ${checked!.source}`,
        fix: "run it interactively (runcode) to approve it",
      };
    switch (this.mode) {
      case "deny-all":
        if (!LOCAL_READ.has(c.tool))
          return { action: "deny", reason: "permission mode deny-all allows only the local read-only tools (Read, Glob, Grep)" };
        break;
      case "plan":
        if (c.mutating) return { action: "deny", reason: "plan mode is read-only: describe the change instead of making it" };
        break;
      case "trust":
        return { action: "allow", reason: "trust mode" };
      case "default":
        break;
      default:
        this.mode satisfies never;
    }
    const box = this.o.sandbox;
    if (box && c.shell) return { action: "allow", reason: `runs in the ${box} sandbox` };
    if (box && box !== "danger-full-access" && FILE_WRITE.has(c.tool)) {
      if (box === "read-only") return { action: "deny", reason: "the read-only sandbox allows no writes" };
      const out = (c.subject.paths ?? []).find((p) => !inside(root, p));
      if (out) return { action: "deny", reason: `${out} is outside the project, and the workspace-write sandbox writes only inside it` };
      const own = (c.subject.paths ?? []).find((p) => [".git", ".runcode"].some((d) => inside(resolve(root, d), p)));
      if (own)
        return {
          action: "deny",
          reason: `${own} is in the project's ${relative(root, own).split("/")[0]}, which the sandbox keeps read-only`,
        };
    }
    const outside = (c.subject.paths ?? []).filter((p) => !inside(root, p));
    if (outside.length) return { action: "ask", reason: `${outside[0]} is outside the project` };
    // Without an allow rule a shell call asks anyway: its redirections only matter once something could allow it.
    const allows = this.allow.filter((r) => names(r, c.tool, c.shell));
    if (c.shell && allows.length) {
      const s = shell();
      if (!s) return unread();
      const escape = this.escape(s, c.cwd ?? root);
      if (escape) return { action: "ask", reason: escape };
    }
    const v = c.shell ? this.allowedCommands(c.tool, allows, shell) : this.allowedTexts(t);
    if (v && "rule" in v) return { action: "allow", reason: `allowed by ${v.rule}` };
    // `edit` exists to edit: an original-style `ask: ["Write", "Edit"]` in the rules file must not disable it.
    if (FILE_WRITE.has(c.tool) && this.o.editsInProject) return { action: "allow", reason: "edit inside the project" };
    const asked = this.ask.find((r) =>
      c.shell && r.pattern ? names(r, c.tool, true) && !!shell()?.commands.some((x) => hits(r.pattern!, x)) : matches(r, t, "any"),
    );
    if (asked) return { action: "ask", reason: `the rule ${asked.source} asks first` };
    if (!c.mutating) return { action: "allow", reason: "read-only tool" };
    return { action: "ask", reason: v ? v.why : `${c.tool} needs permission` };
  }

  /** The allow rule(s) covering every text; each text of a multi-file call may be allowed by a different rule. */
  private allowedTexts(t: { tool: string; shell: boolean; texts: string[] }): Verdict {
    const whole = this.allow.find((r) => matches(r, t, "every"));
    if (whole) return { rule: whole.source };
    if (t.texts.length < 2) return undefined;
    const used = t.texts.map((x) => this.allow.find((r) => matches(r, { ...t, texts: [x] }, "every")));
    return used.every(Boolean) ? { rule: [...new Set(used.map((r) => r!.source))].join(", ") } : undefined;
  }

  /** A shell call is allowed when every simple command in it is, each by some rule, and nothing is left unknown. */
  private allowedCommands(tool: string, allows: Rule[], shell: () => Shell | undefined): Verdict {
    const all = allows.find((r) => !r.pattern);
    if (all) return { rule: all.source };
    const s = allows.length ? shell() : undefined;
    if (s?.unresolved.length) return { why: s.unresolved[0]! };
    if (!s?.commands.length) return undefined;
    const used: string[] = [];
    for (const x of s.commands) {
      const r = allows.find((a) => covers(a.pattern!, x, this.byName(x)));
      if (!r) return { why: `${tool} needs permission to run ${quote(x.raw)} (no allow rule covers it)` };
      used.push(r.source);
    }
    return { rule: [...new Set(used)].join(", ") };
  }

  /** Why a redirection may write outside the project, if it may. */
  private escape(s: Shell, cwd: string): string | undefined {
    const moves = s.commands.some((x) => MOVES.has(x.name));
    for (const w of s.writes) {
      if (w.path === undefined) return `cannot tell where ${quote(w.src)} writes before it runs`;
      if (!isAbsolute(w.path) && moves) return `cannot tell where ${quote(w.src)} writes: the command changes directory first`;
      const real = realish(resolve(cwd, w.path));
      if (!inside(this.o.root, real)) return `${real} is outside the project (${quote(w.src)})`;
    }
    return undefined;
  }

  /**
   * Whether to offer a tool to the model at all: not when every call would be denied (denied, or needing approval
   * in a run that cannot ask and no allow rule names it).
   */
  offers(t: { name: string; mutating: boolean; shell?: boolean }, interactive: boolean): boolean {
    const shell = t.shell === true;
    const d = this.decide({ tool: t.name, mutating: t.mutating, shell, subject: { texts: [] } });
    if (d.action === "deny") return false;
    if (d.action === "allow" || interactive) return true;
    return this.allow.some((r) => r.tool.test(t.name) || (shell && r.tool.test("Bash")));
  }
}

/** All the commands of a call's texts; undefined when one needs the grammar first. */
function merge(parts: Array<Shell | undefined>): Shell | undefined {
  if (parts.some((p) => !p)) return undefined;
  return {
    commands: parts.flatMap((p) => p!.commands),
    writes: parts.flatMap((p) => p!.writes),
    unresolved: parts.flatMap((p) => p!.unresolved),
  };
}

const shq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The allow rule for one simple command: by its name with any arguments where the name counts, else as written. */
const ruleFor = (tool: string, x: SimpleCommand, byName: boolean) => `${tool}(${x.name && byName ? `${x.name} *` : x.raw})`;

/** The rule an "always" answer adds: the exact command for shell tools, the tool name otherwise. */
export const alwaysRule = (c: Call) => (c.shell && c.subject.texts[0] ? `${c.tool}(${c.subject.texts[0]})` : c.tool);
