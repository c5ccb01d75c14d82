// Shows one REPL turn's AgentEvents. The answer streams (light Markdown on a TTY, as-is with --raw or in a pipe);
// before any tool line, reasoning or prompt is printed the answer's current line is closed, so tool output never
// lands in the middle of a sentence. Everything but the answer goes to `err` (the same terminal on a TTY; stderr in a
// pipe, where stdout carries only answers). Reasoning is shown dimmed when /thinking is on.
import type { AgentEvent } from "../core/events";
import { MarkdownStream } from "./markdown";

export type Screen = {
  out: (s: string) => void;
  err: (s: string) => void;
  color: boolean;
  width: () => number;
};

export type Paint = { dim: (s: string) => string; red: (s: string) => string; yellow: (s: string) => string; green: (s: string) => string; bold: (s: string) => string; cyan: (s: string) => string };

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

export function paint(color: boolean): Paint {
  const w = (a: number, b: number) => (s: string) => (color ? `\x1b[${a}m${s}\x1b[${b}m` : s);
  return { dim: w(2, 22), red: w(31, 39), yellow: w(33, 39), green: w(32, 39), bold: w(1, 22), cyan: w(36, 39) };
}

export class TurnRenderer {
  private md?: MarkdownStream;
  private timer?: ReturnType<typeof setInterval>;
  private spun = false;
  /** Tool lines were printed since the last answer text: on a TTY the answer continues after a blank line. */
  private afterTool = false;
  /** Where the cursor is: false while a line of answer or reasoning is open. */
  private lineOpen = false;
  private reasoning = false;
  private readonly p: Paint;
  /** The context pipeline already warned about a full window this turn. */
  contextWarned = false;
  /** The model-call number within the turn (approvals' "allow all pending" is scoped to it). */
  call = 0;

  constructor(
    private readonly s: Screen,
    private readonly o: { markdown: boolean; thinking: boolean; tty?: boolean },
  ) {
    this.p = paint(s.color);
  }

  /** While waiting for a model call's first event (TTY only): a spinner on its own line, erased before any output. */
  private spin(label: string) {
    if (!this.o.tty || this.timer) return;
    let i = 0;
    this.timer = setInterval(() => {
      this.spun = true;
      this.s.err(`\r${this.p.dim(`${FRAMES[i++ % FRAMES.length]} ${label}`)}\x1b[K`);
    }, 80);
  }

  private unspin() {
    clearInterval(this.timer);
    this.timer = undefined;
    if (this.spun) this.s.err("\r\x1b[K");
    this.spun = false;
  }

  /** Close any open line (before a tool line, a prompt or the status line). */
  flush() {
    this.unspin();
    if (this.md) {
      const rest = this.md.end();
      if (rest) this.s.out(rest);
      this.lineOpen = false;
    }
    if (this.lineOpen) (this.reasoning ? this.s.err : this.s.out)("\n");
    this.lineOpen = false;
    this.reasoning = false;
  }

  private answer(text: string) {
    this.unspin();
    if (this.reasoning) this.flush();
    if (this.afterTool && this.o.tty) {
      this.afterTool = false;
      this.s.out("\n");
    }
    if (!this.o.markdown) {
      this.s.out(text);
      this.lineOpen = !text.endsWith("\n");
      return;
    }
    this.md ??= new MarkdownStream({ color: this.s.color, width: this.s.width });
    this.s.out(this.md.push(text));
  }

  private note(line: string) {
    this.flush();
    this.s.err(`${this.p.dim(line)}\n`);
  }

  handle(e: AgentEvent) {
    if (e.type !== "turn.started") this.unspin();
    switch (e.type) {
      case "turn.started":
        this.call = e.turn;
        this.spin(e.model);
        return;
      case "text.delta":
        this.answer(e.text);
        return;
      case "reasoning.delta":
        if (!this.o.thinking) return;
        if (!this.reasoning) this.flush();
        this.reasoning = true;
        this.lineOpen = !e.text.endsWith("\n");
        this.s.err(this.p.dim(e.text));
        return;
      case "tool.started":
        this.flush();
        this.md = undefined;
        this.s.err(`${this.p.cyan("●")} ${e.tool} ${this.p.dim(summary(e.tool, e.input))}\n`);
        this.afterTool = true;
        return;
      case "tool.output":
        this.flush();
        for (const l of e.text.replace(/\n$/, "").split("\n")) this.s.err(`${this.p.dim(`  │ ${l}`)}\n`);
        return;
      case "tool.completed":
        if (!e.ok) this.note(`  ✗ ${e.tool}: ${(e.error ?? e.output).split("\n").at(-1)}`);
        return;
      case "tool.denied":
        this.note(`  ✗ ${e.tool} denied: ${e.reason}`);
        return;
      case "file.changed":
        this.note(`  changed ${e.path}`);
        return;
      case "warning":
        this.flush();
        this.s.err(`${this.p.yellow("warning:")} ${e.message}${e.code === "context_70" ? " (/compact does it now)" : ""}\n`);
        if (e.code === "context_70") this.contextWarned = true;
        return;
      case "model.substituted":
        return this.note(`the gateway answered with ${e.model} instead of ${e.requested}`);
      case "route.decided":
        return this.note(`routed to ${e.model} (${e.profile}/${e.tier})`);
      case "model.fallback":
        return this.note(`${e.from} failed (${e.reason}); trying ${e.to}`);
      case "payment.settled":
        return this.note(`paid $${e.usd.toFixed(4)} on ${e.network}`);
      case "payment.failed":
        return this.note(e.signed ? `payment of $${e.usd.toFixed(4)} (signed) failed: ${e.reason}` : `payment failed before anything was signed: ${e.reason}`);
      case "compact.boundary":
        return this.note(`compacted history: ${e.before} → ${e.after} tokens`);
      case "result":
        this.flush();
        if (e.error?.code === "interrupted") this.s.err(`${this.p.yellow("interrupted")}\n`);
        else if (e.error) this.s.err(`${this.p.red("error:")} ${e.error.message}\n`);
        return;
      case "session.started":
      case "usage":
      case "turn.completed":
        return;
      default:
        e satisfies never;
    }
  }
}

/** The one argument that says what a tool call does. */
export function summary(tool: string, input: Record<string, unknown>): string {
  if (tool === "Bash" && typeof input.command === "string") return input.command.split("\n")[0]!.slice(0, 120);
  const pick = input.description ?? input.file_path ?? input.path ?? input.pattern ?? input.url ?? input.query ?? input.prompt ?? input.question;
  return typeof pick === "string" ? pick.split("\n")[0]!.slice(0, 120) : "";
}
