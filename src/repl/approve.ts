// The permission prompt: shows what the call would do (the command for Bash, a diff for file writes) and takes one
// key: y (yes, once), n (no), a (yes to every call pending in this model response), ! (always allow this rule for
// the session). Ctrl-C answers no and interrupts the turn.
import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import type { Writable } from "node:stream";
import type { Approval, ApprovalRequest } from "../permissions/approve";
import type { InputRouter } from "./input";
import type { Paint, Screen, TurnRenderer } from "./render";

export type Answer = Approval | "interrupt";

export function answerOf(key: string): Answer | undefined {
  switch (key.toLowerCase()) {
    case "y":
    case "\r":
    case "\n":
      return "yes";
    case "n":
      return "no";
    case "a":
      return "yes";
    case "!":
      return "always";
    case "\x03":
      return "interrupt";
    default:
      return undefined;
  }
}

/** What the user needs to see to decide. `diff` loads here, on the first question, not at startup. */
export async function preview(r: ApprovalRequest, root: string, p: Paint): Promise<string> {
  const i = r.input;
  if (typeof i.command === "string") return `  ${p.bold("$")} ${i.command}`;
  const file = typeof i.file_path === "string" ? (isAbsolute(i.file_path) ? i.file_path : resolve(root, i.file_path)) : undefined;
  const before = file && existsSync(file) ? readFileSync(file, "utf8") : "";
  let after: string | undefined;
  if (typeof i.content === "string") after = i.content;
  else if (typeof i.old_string === "string" && typeof i.new_string === "string")
    after = before.replace(i.old_string, () => String(i.new_string));
  else if (Array.isArray(i.edits)) {
    after = before;
    for (const e of i.edits as Array<{ old_string?: unknown; new_string?: unknown }>)
      if (typeof e.old_string === "string" && typeof e.new_string === "string")
        after = after.replace(e.old_string, () => String(e.new_string));
  }
  if (file && after !== undefined) {
    const { createTwoFilesPatch } = await import("diff");
    const diff = createTwoFilesPatch(file, file, before, after, "", "", { context: 2 }).split("\n").slice(2);
    const shown = diff.slice(0, 60).map((l) => (l.startsWith("+") ? p.green(l) : l.startsWith("-") ? p.red(l) : p.dim(l)));
    return `  ${file}\n${shown.map((l) => `  ${l}`).join("\n")}${diff.length > 60 ? `\n  ${p.dim(`… ${diff.length - 60} more lines`)}` : ""}`;
  }
  return `  ${JSON.stringify(i).slice(0, 400)}`;
}

export const QUESTION = "allow? [y]es [n]o [a]ll pending [!] always ";

/** Questions asked mid-turn on a TTY: each takes one key from the input router (never earlier typeahead). */
export class Questions {
  /** The model response whose pending calls `a` allowed (ApprovalRequest.response): that one only. */
  private allowAll?: number;
  constructor(
    private readonly router: InputRouter,
    private readonly screen: Screen,
    private readonly p: Paint,
    private readonly at: { renderer: () => TurnRenderer | undefined; interrupt: () => void; root: () => string },
  ) {}

  private async key(question: string): Promise<string> {
    const r = this.at.renderer();
    r?.flush();
    this.screen.err(question);
    r?.hold();
    const k = await this.router.nextKey();
    this.screen.err(`${k === "\x03" ? "^C" : k.replace(/[\r\n]/, "y")}\n`);
    r?.release();
    return k;
  }

  async approve(r: ApprovalRequest): Promise<Approval> {
    if (this.allowAll === r.response) return "yes";
    let q = `${this.p.yellow("?")} ${r.tool}: ${r.reason}\n${await preview(r, this.at.root(), this.p)}\n${QUESTION}`;
    for (;;) {
      const k = await this.key(q);
      const a = answerOf(k);
      if (!a) {
        q = `press y, n, a or ! ${this.p.dim("(Ctrl-C interrupts)")} `;
        continue;
      }
      if (a === "interrupt") {
        this.at.interrupt();
        return "no";
      }
      if (k.toLowerCase() === "a") this.allowAll = r.response;
      return a;
    }
  }

  async confirm(question: string): Promise<boolean> {
    const k = await this.key(`${this.p.yellow("?")} ${question} [y/N] `);
    return k.toLowerCase() === "y";
  }

  async choose(
    message: string,
    options: Array<{ value: string; label: string; hint?: string }>,
    output: Writable,
  ): Promise<string | undefined> {
    const [{ select, isCancel }, { PassThrough }] = await Promise.all([import("@clack/prompts"), import("node:stream")]);
    const input = new PassThrough();
    const restore = this.router.divert(input);
    try {
      const v = await select({ message, options, input, output, maxItems: 12 });
      return isCancel(v) ? undefined : String(v);
    } finally {
      restore();
    }
  }
}
