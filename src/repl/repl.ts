// The interactive loop: a node:readline prompt over injected streams. Lines are queued and run one at a time (a
// message typed while a turn runs waits its turn); `/…` lines are slash commands, anything else goes to the model.
// On a TTY: colours, a prompt, bracketed paste, single-key permission prompts, Ctrl-C interrupts the turn (twice at an
// empty prompt exits). In a pipe: no prompt, no colours, answers on stdout, notes on stderr, permissions per config.
// The workspace (agent, store, catalog) loads after the prompt is up, so typing never waits on it or on the network.
import { createInterface, type Interface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { describe } from "../core/errors";
import { VERSION } from "../version";
import { Questions } from "./approve";
import type { SlashCommand } from "./commands/types";
import { mcpCommands } from "./commands/mcp";
import type { Workspace } from "../agent/workspace";
import type { ReplStart } from "./open";
import { appendHistory, HISTORY_CAP, loadHistory } from "./history";
import { InputRouter, PASTE_OFF, PASTE_ON } from "./input";
import { paint, TurnRenderer, type Paint, type Screen } from "./render";
import { fetchBalance, statusLine, WARN_AT } from "./status";

export type ReplOptions = {
  input: Readable;
  output: Writable;
  errorOutput: Writable;
  isTTY: boolean;
  color: boolean;
  columns?: () => number;
  setRawMode?: (on: boolean) => void;
  /** Subscribe to the process's SIGINT (pipe mode, where Ctrl-C is a signal, not a key); returns the unsubscribe. */
  onSignal?: (fn: () => void) => () => void;
  raw?: boolean;
  historyFile?: string;
  workspace: ReplStart;
};

const PROMPT = "› ";
const MORE = "… ";

export class Repl {
  workspace?: Workspace;
  /** /ultrathink: the next message asks for deep reasoning. */
  private readonly next = { deep: false };
  readonly view: { thinking: boolean; markdown: boolean };
  private rl!: Interface;
  private readonly router: InputRouter;
  private readonly screen: Screen;
  private readonly p: Paint;
  private queue: string[] = [];
  private pending: string[] = [];
  private running = false;
  private closed = false;
  private armed = false;
  private abort?: AbortController;
  private renderer?: TurnRenderer;
  private readonly q: Questions;
  private balance?: string;
  private warned = false;
  private ended = false;
  private askedTrust = false;
  private table?: SlashCommand[];
  private ready?: Promise<Workspace | undefined>;
  /** The workspace did not open: the exit code its error calls for. */
  private failed?: number;
  private finish!: (code: number) => void;

  constructor(private readonly o: ReplOptions) {
    this.router = new InputRouter(o.input, o.isTTY);
    this.router.onInterrupt = () => this.interrupt();
    const w = (s: Writable) => (t: string) => void s.write(t);
    this.screen = { out: w(o.output), err: o.isTTY ? w(o.output) : w(o.errorOutput), color: o.color, width: o.columns ?? (() => 80) };
    this.p = paint(o.color);
    this.q = new Questions(this.router, this.screen, this.p, {
      renderer: () => this.renderer,
      interrupt: () => this.interrupt(),
      root: () => this.workspace?.project.root ?? process.cwd(),
    });
    this.view = { thinking: false, markdown: o.isTTY && !o.raw };
  }

  async run(): Promise<number> {
    const done = new Promise<number>((r) => (this.finish = r));
    const tty = this.o.isTTY;
    if (tty) {
      this.o.setRawMode?.(true);
      this.screen.out(`${this.p.bold("runcode")} ${this.p.dim(`${VERSION} · /help for commands · Ctrl-D exits`)}\n${PASTE_ON}`);
    }
    this.rl = createInterface({
      input: this.router.out,
      output: tty ? this.o.output : undefined,
      terminal: tty,
      prompt: tty ? PROMPT : "",
      history: this.o.historyFile ? loadHistory(this.o.historyFile) : [],
      historySize: HISTORY_CAP,
      removeHistoryDuplicates: true,
    });
    this.rl.on("line", (l) => this.line(l));
    this.rl.on("SIGINT", () => this.sigint());
    this.rl.on("close", () => {
      this.closed = true;
      if (!this.running) this.end(0);
    });
    const off = this.o.onSignal?.(() => (this.running ? this.interrupt() : this.end(130)));
    if (tty) this.rl.prompt();
    this.ready = this.load();
    const code = await done;
    off?.();
    return code;
  }

  private async load(): Promise<Workspace | undefined> {
    try {
      const { openReplWorkspace } = await import("./open");
      const e = await openReplWorkspace(this.o.workspace, {
        interactive: this.o.isTTY,
        confirm: (q) => this.confirm(q),
        warn: (l) => this.notice(this.p.yellow(`warning: ${l}`)),
      });
      this.workspace = e;
      if (this.ended) return e;
      const resumed = e.messages.length ? ` · resumed ${e.messages.length} messages` : "";
      this.notice(this.p.dim(`${e.model.id}${e.profile ? ` (${e.profile})` : ""} · session ${e.sessionId}${resumed}`));
      return e;
    } catch (err) {
      // The exit code `ask` would give: an unknown model is a usage error (2), a paid one without a wallet 3.
      const d = describe(err);
      this.failed = d.exit;
      this.notice(`${this.p.red("error:")} ${d.message}`);
      this.end(d.exit);
      return undefined;
    }
  }

  /**
   * A line that arrives on its own (a warning while the workspace loads, "Ctrl-C again to exit"), never on the line
   * the user is typing on: above the prompt, which is drawn again below it with what the user has typed (on as many
   * rows as that wraps to). While a command or turn runs (no prompt up) it is a line of its own.
   */
  private notice(line: string) {
    if (!this.o.isTTY || this.ended) return this.screen.err(`${line}\n`);
    if (this.running) {
      this.renderer?.flush();
      return this.screen.err(`${line}\n`);
    }
    const up = this.rl.getCursorPos().rows;
    this.screen.err(`${up > 0 ? `\x1b[${up}A` : ""}\r\x1b[J${line}\n`);
    // readline redraws from the row it last drew the prompt on; that row is gone now, the cursor is on a fresh one.
    (this.rl as unknown as { prevRows: number }).prevRows = 0;
    this.rl.prompt(true);
  }

  private line(raw: string) {
    this.armed = false;
    // A multi-line entry recalled from history comes back with its breaks as CR.
    const l = raw.replaceAll("\r", "\n");
    if (this.o.isTTY && this.router.pasteBreaks > 0) {
      this.router.pasteBreaks--;
      this.pending.push(l);
      return this.rl.setPrompt(MORE);
    }
    if (l.endsWith("\\")) {
      this.pending.push(l.slice(0, -1));
      this.rl.setPrompt(MORE);
      if (this.o.isTTY) this.rl.prompt();
      return;
    }
    const text = [...this.pending, l].join("\n").replace(/\n+$/, "");
    this.pending = [];
    if (this.o.isTTY) this.rl.setPrompt(PROMPT);
    if (!text.trim()) {
      if (this.o.isTTY && !this.running) this.rl.prompt();
      return;
    }
    if (this.o.historyFile) appendHistory(this.o.historyFile, text);
    this.queue.push(text);
    void this.pump();
  }

  private async pump() {
    if (this.running) return;
    this.running = true;
    while (this.queue.length) {
      const text = this.queue.shift()!;
      try {
        if (text.startsWith("/")) await this.command(text);
        else await this.turn(text);
      } catch (err) {
        this.screen.err(`${this.p.red("error:")} ${err instanceof Error ? err.message : String(err)}\n`);
      }
      if (this.closed && !this.queue.length) break;
      // Keys typed during the turn go back to readline now: complete lines join the queue, in order.
      if (this.o.isTTY && !this.queue.length) this.rl.prompt();
      this.router.release();
    }
    this.running = false;
    if (this.closed) this.end(0);
  }

  private async command(text: string) {
    const e = await this.ready;
    if (!e) return;
    const { commandTable, dispatch } = await import("./commands");
    this.table ??= commandTable({ root: e.project.root, home: e.run.paths.home });
    const say = (l: string) => this.screen.err(`${l}\n`);
    // MCP prompts appear as their servers connect, so they are looked up per command.
    await dispatch(text, [...this.table, ...mcpCommands(e)], {
      workspace: e,
      next: this.next,
      say,
      show: (events) => {
        const r = this.turnRenderer();
        for (const ev of events) r.handle(ev);
        r.flush();
      },
      out: this.screen.out,
      p: this.p,
      interactive: this.o.isTTY,
      view: this.view,
      confirm: (q) => this.confirm(q),
      choose: (m, opts) => this.choose(m, opts),
      send: (t) => this.turn(t),
      exit: () => this.end(0),
      commands: () => this.table ?? [],
    });
  }

  /** Runs one message through the model, rendering as it streams. */
  async turn(text: string) {
    const e = await this.ready;
    if (!e) return;
    if (e.mcp.untrusted && this.o.isTTY && !this.askedTrust) {
      this.askedTrust = true;
      if (await this.confirm(`this project has ${e.mcp.untrusted}: trust it and start its MCP servers?`)) await e.mcp.trustProject();
    }
    this.abort = new AbortController();
    this.router.hold();
    const r = (this.renderer = this.turnRenderer());
    try {
      const deep = this.next.deep;
      this.next.deep = false;
      const approve = this.o.isTTY ? (q: Parameters<Questions["approve"]>[0]) => this.q.approve(q) : undefined;
      // The REPL announced the session once, at start.
      for await (const ev of e.turn({ text, signal: this.abort.signal, approve, deep })) if (ev.type !== "session.started") r.handle(ev);
    } finally {
      r.flush();
      this.abort = undefined;
      this.renderer = undefined;
    }
    this.screen.err(`${statusLine(e, this.p, this.balance)}\n`);
    if (r.contextWarned) this.warned = true;
    if (e.totals.usd > 0) void fetchBalance(e).then((b) => (this.balance = b ?? this.balance));
    if (!this.warned && e.model.context && e.lastInput / e.model.context >= WARN_AT) {
      this.warned = true;
      this.screen.err(
        `${this.p.yellow("warning:")} the context is ${Math.round((e.lastInput / e.model.context) * 100)}% full; /compact summarises older messages, /clear starts over\n`,
      );
    }
  }

  private turnRenderer() {
    return new TurnRenderer(this.screen, { markdown: this.view.markdown, thinking: this.view.thinking, tty: this.o.isTTY });
  }

  private interrupt() {
    this.abort?.abort(new DOMException("interrupted", "AbortError"));
  }

  private sigint() {
    if (this.running) return this.interrupt();
    if (this.rl.line) {
      this.rl.write("", { ctrl: true, name: "e" });
      this.rl.write("", { ctrl: true, name: "u" });
      this.pending = [];
      this.rl.setPrompt(PROMPT);
      return;
    }
    if (this.armed) return this.end(0);
    this.armed = true;
    this.notice(this.p.dim("(Ctrl-C again to exit)"));
  }

  confirm(question: string): Promise<boolean> {
    return this.o.isTTY ? this.q.confirm(question) : Promise.resolve(false);
  }

  /** The /model picker (@clack/prompts) reads keys diverted from the prompt; readline waits meanwhile. */
  private async choose(message: string, options: Array<{ value: string; label: string; hint?: string }>): Promise<string | undefined> {
    this.rl.pause();
    try {
      return await this.q.choose(message, options, this.o.output);
    } finally {
      this.rl.resume();
    }
  }

  private end(code: number) {
    if (this.ended) return;
    this.ended = true;
    if (this.o.isTTY) {
      this.screen.out(PASTE_OFF);
      this.o.setRawMode?.(false);
    }
    this.interrupt();
    this.closed = true;
    this.rl.close();
    // The workspace may still be loading (Ctrl-D right at the start, or stdin already at its end): it is closed once
    // it has opened, since its store and MCP servers would keep the process alive; a failure to open it decides the
    // exit code. MCP servers get a moment (bounded by the manager) to shut down before the exit code is returned.
    void Promise.resolve(this.ready)
      .then((w) => w?.close("prompt_input_exit"))
      .catch(() => undefined)
      .finally(() => this.finish(this.failed ?? code));
  }
}
