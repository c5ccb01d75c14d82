// The REPL's view of one turn: the shared human renderer (render/text.ts) with the REPL's options, plus one fact the
// REPL keeps about the turn: whether the context pipeline already warned about a full window. On a TTY both streams
// are the terminal; in a pipe `err` is stderr and stdout carries only answers.
import { createColors } from "../render/colors";
import type { Colors } from "picocolors/types";
import type { AgentEvent } from "../core/events";
import { textRenderer, type TextRenderer } from "../render/text";

export type Screen = {
  out: (s: string) => void;
  err: (s: string) => void;
  color: boolean;
  width: () => number;
};

export type Paint = Colors;

export const paint = (color: boolean): Paint => createColors(color);

export class TurnRenderer {
  private readonly render: TextRenderer;
  /** The context pipeline already warned about a full window this turn. */
  contextWarned = false;
  private held?: AgentEvent[];

  constructor(s: Screen, o: { markdown: boolean; thinking: boolean; tty?: boolean }) {
    const tty = !!o.tty;
    // No cost line and no diff after the turn: the REPL prints its own status line, an edit's diff is shown when
    // its approval is asked, and /diff shows the working tree's.
    this.render = textRenderer(s, {
      tty: { out: tty, err: tty },
      color: { out: s.color, err: s.color },
      markdown: o.markdown,
      width: s.width,
      thinking: o.thinking,
      diff: "none",
      costLine: false,
      hints: { context_70: "/compact does it now" },
    });
  }

  handle(e: AgentEvent) {
    if (e.type === "warning" && e.code === "context_70") this.contextWarned = true;
    if (this.held) this.held.push(e);
    else this.render(e);
  }

  /**
   * A question is up: events of calls running meanwhile (read-only calls run concurrently) are kept until it is
   * answered, so nothing is drawn on the line the question waits on.
   */
  hold() {
    this.held ??= [];
  }

  /** The question was answered: show what arrived meanwhile. */
  release() {
    const held = this.held ?? [];
    this.held = undefined;
    for (const e of held) this.render(e);
  }

  /** Close any open line (before a prompt or the status line). */
  flush() {
    this.render.flush();
  }
}
