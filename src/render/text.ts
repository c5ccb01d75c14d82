// The text renderer for `ask` and `edit`: the answer, and only the answer, streams to stdout; the model, usage,
// cost, warnings, tool activity (one line per call, live Bash output dimmed) and a spinner (TTY only) go to stderr.
// `edit` ends with a summary of changed files and their unified diff (on stdout for --dry-run, where the diff is
// the product). `quiet` keeps stderr silent except for errors.
import type { AgentEvent } from "../core/events";

export type TextSink = {
  out: (s: string) => void;
  err: (s: string) => void;
  dim: (s: string) => string;
  red: (s: string) => string;
  yellow: (s: string) => string;
  green?: (s: string) => string;
  spinner?: { start: (label: string) => void; stop: () => void };
};

export type TextOptions = {
  quiet?: boolean;
  showReasoning?: boolean;
  diffTo?: "stdout" | "stderr";
  /**
   * Hold each model turn's text until the turn shows what it was: text before a tool call is narration and goes to
   * stderr; the rest is the answer and goes to stdout. Used when stdout is not a terminal, so a pipe or a file gets
   * only the answer (on a terminal everything streams as it arrives).
   */
  holdNarration?: boolean;
};

export function textRenderer(sink: TextSink, opts: TextOptions = {}) {
  let answered = false;
  let endsWithNewline = true;
  let held = "";
  const answer = (text: string) => {
    if (!text) return;
    answered = true;
    sink.out(text);
    endsWithNewline = text.endsWith("\n");
  };
  const narration = () => {
    if (held && !opts.quiet) sink.err(`${sink.dim(held.trimEnd())}\n`);
    held = "";
  };
  const changes: Array<{ path: string; diff: string }> = [];
  let reasoning = false;
  const note = (s: string) => !opts.quiet && sink.err(`${sink.dim(s)}\n`);
  const stopSpin = () => sink.spinner?.stop();
  const toolLine = (s: string) => !opts.quiet && sink.err(`${s}\n`);
  return (e: AgentEvent) => {
    switch (e.type) {
      case "session.started":
        if (e.context?.length) note(`context: ${e.context.join(", ")}`);
        return;
      case "turn.started":
        if (!opts.quiet) sink.spinner?.start(e.model);
        return;
      case "text.delta":
        stopSpin();
        if (reasoning) {
          sink.err("\n");
          reasoning = false;
        }
        if (opts.holdNarration) held += e.text;
        else answer(e.text);
        return;
      case "reasoning.delta":
        if (!opts.showReasoning || opts.quiet) return;
        stopSpin();
        reasoning = true;
        sink.err(sink.dim(e.text));
        return;
      case "model.substituted":
        note(`the gateway answered with ${e.model} instead of ${e.requested}`);
        return;
      case "warning":
        if (!opts.quiet) sink.err(`${sink.yellow("warning:")} ${e.message}\n`);
        return;
      case "route.decided":
        note(`routed to ${e.model} (${e.profile}/${e.tier}, confidence ${e.confidence.toFixed(2)})`);
        return;
      case "model.fallback":
        note(`${e.from} failed (${e.reason}); trying ${e.to}`);
        return;
      case "payment.settled":
        note(`paid $${e.usd.toFixed(4)} on ${e.network}${e.tx ? ` (tx ${e.tx})` : ""}`);
        return;
      case "payment.failed":
        note(e.signed ? `payment of $${e.usd.toFixed(4)} (signed) failed: ${e.reason}` : `payment failed before anything was signed: ${e.reason}`);
        return;
      case "compact.boundary":
        note(`compacted history: ${e.before} → ${e.after} tokens`);
        return;
      case "tool.started":
        stopSpin();
        narration();
        // Narration before a tool call stays on its own line, apart from the next turn's text.
        if (answered && !endsWithNewline) {
          sink.out("\n");
          endsWithNewline = true;
        }
        toolLine(`${sink.dim("●")} ${e.tool} ${sink.dim(summary(e.tool, e.input))}`);
        return;
      case "tool.output":
        if (opts.quiet) return;
        stopSpin();
        sink.err(`${e.text.split("\n").map((l) => sink.dim(`  │ ${l}`)).join("\n")}\n`);
        return;
      case "tool.completed":
        if (!e.ok) toolLine(`  ${sink.yellow("✗")} ${e.tool}: ${e.error ?? "failed"}`);
        return;
      case "tool.denied":
        stopSpin();
        toolLine(`${sink.yellow("✗")} ${e.tool} denied: ${e.reason}`);
        return;
      case "file.changed":
        changes.push(e);
        return;
      case "turn.completed":
        if (e.stop === "tool_use") narration();
        else {
          answer(held);
          held = "";
        }
        return;
      case "usage":
        return;
      case "result":
        stopSpin();
        // A turn cut short (error, Ctrl-C) still shows what it said: the partial answer is kept.
        answer(held);
        held = "";
        if (answered && !endsWithNewline) sink.out("\n");
        if (changes.length) {
          const count = (d: string, c: string) => d.split("\n").filter((l) => l.startsWith(c) && !l.startsWith(c.repeat(3))).length;
          if (!opts.quiet) sink.err(`changed ${changes.length} file(s):\n${changes.map((f) => `  ${f.path} ${sink.green?.(`+${count(f.diff, "+")}`) ?? `+${count(f.diff, "+")}`} ${sink.red(`-${count(f.diff, "-")}`)}`).join("\n")}\n`);
          const diff = changes.map((f) => f.diff).join("");
          if (opts.diffTo === "stdout") sink.out(diff);
          else if (!opts.quiet) sink.err(diff);
        }
        if (e.error) sink.err(`${sink.red("error:")} ${e.error.message}\n`);
        else note(`${e.model} · ${e.usage.input} in / ${e.usage.output} out · ${e.usd > 0 ? `$${e.usd.toFixed(4)}` : "free"} · ${(e.ms / 1000).toFixed(1)}s`);
        return;
      default:
        e satisfies never;
    }
  };
}

/** The one argument that says what a tool call does, for the activity line. */
function summary(tool: string, input: Record<string, unknown>): string {
  const pick = input.description ?? input.command ?? input.file_path ?? input.pattern ?? input.url ?? input.query ?? input.prompt ?? input.question;
  if (tool === "Bash" && typeof input.command === "string") return input.command.split("\n")[0]!.slice(0, 120);
  if (tool === "MultiEdit" && Array.isArray(input.edits)) return [...new Set(input.edits.map((e) => (e as { file_path?: unknown }).file_path))].join(", ");
  return typeof pick === "string" ? pick.split("\n")[0]!.slice(0, 120) : "";
}
