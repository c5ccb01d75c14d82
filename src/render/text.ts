// The text renderer for `ask`: the answer, and only the answer, streams to stdout; the model, usage, cost,
// warnings and a spinner (TTY only) go to stderr. `quiet` keeps stderr silent except for errors.
import type { AgentEvent } from "../core/events";

export type TextSink = {
  out: (s: string) => void;
  err: (s: string) => void;
  dim: (s: string) => string;
  red: (s: string) => string;
  yellow: (s: string) => string;
  spinner?: { start: (label: string) => void; stop: () => void };
};

export function textRenderer(sink: TextSink, opts: { quiet?: boolean; showReasoning?: boolean } = {}) {
  let answered = false;
  let endsWithNewline = true;
  let reasoning = false;
  const note = (s: string) => !opts.quiet && sink.err(`${sink.dim(s)}\n`);
  const stopSpin = () => sink.spinner?.stop();
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
        answered = true;
        sink.out(e.text);
        endsWithNewline = e.text.endsWith("\n");
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
        note(`payment of $${e.usd.toFixed(4)} failed: ${e.reason}`);
        return;
      case "compact.boundary":
        note(`compacted history: ${e.before} → ${e.after} tokens`);
        return;
      case "tool.started":
      case "tool.output":
      case "tool.completed":
      case "tool.denied":
      case "file.changed":
      case "usage":
      case "turn.completed":
        return;
      case "result":
        stopSpin();
        if (answered && !endsWithNewline) sink.out("\n");
        if (e.error) sink.err(`${sink.red("error:")} ${e.error.message}\n`);
        else note(`${e.model} · ${e.usage.input} in / ${e.usage.output} out · ${e.usd > 0 ? `$${e.usd.toFixed(4)}` : "free"} · ${(e.ms / 1000).toFixed(1)}s`);
        return;
      default:
        e satisfies never;
    }
  };
}
