// The human renderer, for `ask`/`edit` and the REPL alike: how each AgentEvent looks to a person is decided here,
// once. The answer, and only the answer, goes to `out`; everything else (tool lines, live tool output dimmed,
// reasoning, notes, warnings, the changed files, errors, the run's cost line) goes to `err`: stderr for ask/edit, the
// terminal for the REPL on a TTY. Where it runs is said by options, not by the caller's own code:
// - `tty.err`: a spinner waits for each model call's first event, erased before anything else is written.
// - `tty.out` false (a pipe or a file): each model turn's text is held until the turn shows what it was; text before
//   a tool call is narration and goes to `err`, so stdout gets the answer alone (README: what reaches stdout when it
//   is a pipe). On a terminal the answer streams as it arrives.
// - both ttys: an answer that resumes after tool lines starts after a blank line.
// Before any line on `err` the answer's open line is closed, so tool output never lands mid-sentence.
import { createColors } from "./colors";
import type { AgentEvent, EventOf } from "../core/events";
import { MarkdownStream } from "./markdown";
import { spinner } from "./spinner";

export type TextSink = { out: (s: string) => void; err: (s: string) => void };

export type TextOptions = {
  /** Which streams are terminals. */
  tty: { out: boolean; err: boolean };
  /** Colour per stream (ui.ts decides: NO_COLOR, FORCE_COLOR, TTY). */
  color: { out: boolean; err: boolean };
  /** Render the answer as light Markdown (render/markdown.ts) wrapped at `width`; otherwise as the model wrote it. */
  markdown?: boolean;
  width?: () => number;
  /** Show the model's reasoning, dimmed, on `err`. */
  thinking?: boolean;
  /** Nothing on `err` but errors (and the diff when it is the product, `diff: "stdout"`). */
  quiet?: boolean;
  /** Where the changed files' unified diff goes after the run (default stderr; `edit --dry-run`: stdout). */
  diff?: "stdout" | "stderr" | "none";
  /** After the result, one line with the run's model, tokens, cost and time (default on; the REPL has its own). */
  costLine?: boolean;
  /** Text added in brackets to warnings with these codes (the REPL names its command for a full context). */
  hints?: Record<string, string>;
};

export type TextRenderer = ((e: AgentEvent) => void) & {
  /** Close any open line (before a prompt or a status line written by the caller). */
  flush: () => void;
};

export function textRenderer(sink: TextSink, o: TextOptions): TextRenderer {
  const c = createColors(o.color.err);
  const spin = o.tty.err && !o.quiet ? spinner(sink.err, c.dim) : undefined;
  const hold = !o.tty.out;
  /** The stream whose last line is not ended yet (answer text or reasoning). */
  let open: "out" | "err" | undefined;
  let md: MarkdownStream | undefined;
  /** Tool lines were printed since the last answer text. */
  let afterTool = false;
  let held = "";
  const changes: Array<EventOf<"file.changed">> = [];

  const flush = () => {
    spin?.stop();
    const rest = md?.end();
    if (rest) sink.out(rest);
    if (open && !rest) (open === "out" ? sink.out : sink.err)("\n");
    open = undefined;
  };
  const answer = (text: string) => {
    if (!text) return;
    if (open === "err") flush();
    if (afterTool && o.tty.out && o.tty.err) sink.out("\n");
    afterTool = false;
    if (!o.markdown) {
      sink.out(text);
      open = text.endsWith("\n") ? undefined : "out";
      return;
    }
    md ??= new MarkdownStream({ color: o.color.out, width: o.width ?? (() => 80) });
    sink.out(md.push(text));
    open = md.open ? "out" : undefined;
  };
  /** A line on `err`, after the open line is closed; none when quiet. */
  const line = (s: string) => {
    if (o.quiet) return;
    flush();
    sink.err(`${s}\n`);
  };
  const note = (s: string) => line(c.dim(s));
  const narration = () => {
    if (held.trim()) line(c.dim(held.trimEnd()));
    held = "";
  };

  const render = (e: AgentEvent) => {
    if (e.type !== "turn.started") spin?.stop();
    switch (e.type) {
      case "session.started":
        if (e.context?.length) note(`context: ${e.context.join(", ")}`);
        return;
      case "turn.started":
        // Not over an open line: the spinner redraws its line from the start.
        if (!open) spin?.start(e.model);
        return;
      case "text.delta":
        if (hold) held += e.text;
        else answer(e.text);
        return;
      case "reasoning.delta":
        if (!o.thinking || o.quiet || !e.text) return;
        if (open !== "err") flush();
        sink.err(c.dim(e.text));
        open = e.text.endsWith("\n") ? undefined : "err";
        return;
      case "usage":
        return;
      case "turn.completed":
        if (!hold) return;
        if (e.stop === "tool_use") narration();
        else answer(held);
        held = "";
        return;
      case "tool.started": {
        flush();
        narration();
        md = undefined;
        const what = summary(e.tool, e.input);
        line(`${c.cyan("●")} ${e.tool}${what ? ` ${c.dim(what)}` : ""}`);
        afterTool = true;
        return;
      }
      case "tool.output":
        if (o.quiet) return;
        flush();
        for (const l of e.text.replace(/\n$/, "").split("\n")) sink.err(`${c.dim(`  │ ${l}`)}\n`);
        return;
      case "tool.completed":
        if (!e.ok) line(`  ${c.yellow("✗")} ${e.tool}: ${e.error ?? "failed"}`);
        return;
      case "tool.denied":
        // A denied call never started, so its line stands on its own, not under a tool line.
        line(`${c.yellow("✗")} ${e.tool} denied: ${e.reason}`);
        return;
      case "file.changed":
        changes.push(e);
        return;
      case "warning": {
        const hint = o.hints?.[e.code];
        line(`${c.yellow("warning:")} ${e.message}${hint ? ` (${hint})` : ""}`);
        return;
      }
      case "model.substituted":
        return note(`the gateway answered with ${e.model} instead of ${e.requested}`);
      case "route.decided":
        return note(`routed to ${e.model} (${e.profile}/${e.tier}, confidence ${e.confidence.toFixed(2)})`);
      case "model.fallback":
        return note(`${e.from} failed (${e.reason}); trying ${e.to}`);
      case "payment.settled":
        return note(`paid $${e.usd.toFixed(4)} on ${e.network}${e.tx ? ` (tx ${e.tx})` : ""}`);
      case "payment.failed":
        return note(
          e.signed
            ? `payment of $${e.usd.toFixed(4)} (signed) failed: ${e.reason}`
            : `payment failed before anything was signed: ${e.reason}`,
        );
      case "compact.boundary":
        return note(`compacted history: ${e.before} → ${e.after} tokens`);
      case "hook.finished": {
        // On a terminal every hook gets its line; in a pipe only one that blocked or failed (a CI log shows why).
        const failed = e.exit !== 0 && !e.blocked;
        if (!o.tty.err && !e.blocked && !failed) return;
        const status = e.timedOut ? "timed out" : e.blocked ? "blocked" : e.exit === 0 ? "ok" : `exit ${e.exit ?? "signal"}`;
        const said = (e.message ?? e.output ?? "").trim().split("\n")[0]!.slice(0, 160);
        return note(`hook ${e.event} ${e.command.split("\n")[0]!.slice(0, 60)}: ${status} (${e.ms} ms)${said ? ` · ${said}` : ""}`);
      }
      case "result":
        // A turn cut short (error, Ctrl-C) still shows what it said: the partial answer is kept.
        answer(held);
        held = "";
        flush();
        if (changes.length) {
          line(
            `changed ${changes.length} file(s):\n${changes.map((f) => `  ${f.path} ${c.green(`+${f.added}`)} ${c.red(`-${f.removed}`)}`).join("\n")}`,
          );
          const diff = changes.map((f) => f.diff).join("");
          if (o.diff === "stdout") sink.out(diff);
          else if (o.diff !== "none" && !o.quiet) sink.err(diff);
          changes.length = 0;
        }
        // Ctrl-C is the user's own doing, not an error; both are shown even when quiet.
        if (e.error?.code === "interrupted") sink.err(`${c.yellow("interrupted")}\n`);
        else if (e.error) sink.err(`${c.red("error:")} ${e.error.message}\n`);
        else if (o.costLine !== false)
          note(
            `${e.model} · ${e.usage.input} in / ${e.usage.output} out · ${e.usd > 0 ? `$${e.usd.toFixed(4)}` : "free"} · ${(e.ms / 1000).toFixed(1)}s`,
          );
        return;
      default:
        e satisfies never;
    }
  };
  return Object.assign(render, { flush });
}

/** The one argument that says what a tool call does, for its activity line. */
export function summary(tool: string, input: Record<string, unknown>): string {
  const first = (s: string) => s.split("\n")[0]!.slice(0, 120);
  if (tool === "Bash" && typeof input.command === "string") return first(input.command);
  if (tool === "MultiEdit" && Array.isArray(input.edits))
    return [...new Set(input.edits.map((e) => (e as { file_path?: unknown }).file_path).filter((p) => typeof p === "string"))].join(", ");
  // `path` last: for Grep and Glob it is only where to look; the pattern says what the call does.
  const pick =
    input.description ??
    input.command ??
    input.file_path ??
    input.pattern ??
    input.url ??
    input.query ??
    input.prompt ??
    input.question ??
    input.path;
  return typeof pick === "string" ? first(pick) : "";
}
