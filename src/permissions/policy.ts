// Who may run what. Decides allow / deny / ask for one tool call from, in order: deny rules, the permission mode,
// paths outside the project, allow rules (CLI, "always" answers, file), ask rules, then the command's defaults.
// Pure: the loop turns "ask" into a prompt through the injected approve function, or a denial when there is none.
import { relative } from "node:path";
import { inside } from "../tools/paths";
import type { Subject } from "../tools/types";
import { commandParts, matches, parseRule, type Rule, type Rules, type Target } from "./rules";

export type Mode = "default" | "trust" | "plan" | "deny-all";
export const MODES: readonly Mode[] = ["default", "trust", "plan", "deny-all"];

/** Tools that only look: allowed by default everywhere except where deny-all narrows it. */
const LOCAL_READ = new Set(["Read", "Glob", "Grep", "Task", "AskUser"]);
const FILE_WRITE = new Set(["Write", "Edit", "MultiEdit"]);

export type PolicyInput = {
  mode: Mode;
  root: string;
  file?: Rules;
  allow?: string[];
  deny?: string[];
  /** `edit`: Write/Edit/MultiEdit inside the project need no approval. */
  editsInProject?: boolean;
};

export type Decision = { action: "allow" | "deny" | "ask"; reason: string };
export type Call = { tool: string; mutating: boolean; shell: boolean; subject: Subject };

export class Policy {
  readonly mode: Mode;
  private readonly deny: Rule[];
  private readonly allow: Rule[];
  private readonly ask: Rule[];
  constructor(private readonly o: PolicyInput) {
    this.mode = o.mode;
    this.deny = [...(o.deny ?? []), ...(o.file?.deny ?? [])].map(parseRule);
    this.allow = [...(o.allow ?? []), ...(o.file?.allow ?? [])].map(parseRule);
    this.ask = (o.file?.ask ?? []).map(parseRule);
  }

  /** The allow rule(s) covering the call: each part of a compound command may be allowed by a different rule. */
  private allowedBy(t: Target): string | undefined {
    const whole = this.allow.find((r) => matches(r, t, "every"));
    if (whole) return whole.source;
    const parts = t.shell ? t.texts.flatMap(commandParts) : t.texts;
    if (parts.length < 2 || (t.shell && t.texts.some((x) => /\$\(|`/.test(x)))) return undefined;
    const used = parts.map((p) => this.allow.find((r) => matches(r, { ...t, texts: [p] }, "every")));
    return used.every(Boolean) ? [...new Set(used.map((r) => r!.source))].join(", ") : undefined;
  }

  /** Remember an "always" answer for the rest of the session. */
  remember(rule: string) {
    this.allow.unshift(parseRule(rule));
  }

  decide(c: Call): Decision {
    const texts = [...c.subject.texts, ...(c.subject.paths ?? []).filter((p) => inside(this.o.root, p)).map((p) => relative(this.o.root, p) || ".")];
    const t = { tool: c.tool, shell: c.shell, texts };
    const denied = this.deny.find((r) => matches(r, t, "any"));
    if (denied) return { action: "deny", reason: `denied by the rule ${denied.source}` };
    switch (this.mode) {
      case "deny-all":
        if (!LOCAL_READ.has(c.tool)) return { action: "deny", reason: "permission mode deny-all allows only the local read-only tools (Read, Glob, Grep)" };
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
    const outside = (c.subject.paths ?? []).filter((p) => !inside(this.o.root, p));
    if (outside.length) return { action: "ask", reason: `${outside[0]} is outside the project` };
    const allowed = this.allowedBy(t);
    if (allowed) return { action: "allow", reason: `allowed by ${allowed}` };
    // `edit` exists to edit: an original-style `ask: ["Write", "Edit"]` in the rules file must not disable it.
    if (FILE_WRITE.has(c.tool) && this.o.editsInProject) return { action: "allow", reason: "edit inside the project" };
    const asked = this.ask.find((r) => matches(r, t, "any"));
    if (asked) return { action: "ask", reason: `the rule ${asked.source} asks first` };
    if (!c.mutating) return { action: "allow", reason: "read-only tool" };
    return { action: "ask", reason: `${c.tool} needs permission` };
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

/** The rule an "always" answer adds: the exact command for shell tools, the tool name otherwise. */
export const alwaysRule = (c: Call) => (c.shell && c.subject.texts[0] ? `${c.tool}(${c.subject.texts[0]})` : c.tool);
