// Sits between the terminal and node:readline and decides where each keystroke goes. At the prompt everything
// flows to readline (line editing, history, Ctrl-C/Ctrl-D). While a turn runs on a TTY, keystrokes are held back
// silently (so nothing echoes into the streaming answer) except Ctrl-C, which interrupts; when the turn ends the held
// input is replayed into readline, so a message typed during a turn is queued, not lost. A permission prompt takes
// the next single key. Bracketed paste (ESC[200~ … ESC[201~) is kept whole: line breaks inside a paste are counted
// so the REPL joins those lines into one message instead of sending each.
import { PassThrough, type Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";

export const PASTE_ON = "\x1b[?2004h";
export const PASTE_OFF = "\x1b[?2004l";
const START = "\x1b[200~";
const END = "\x1b[201~";

type Mode = "line" | "busy" | "key" | "forward";

export class InputRouter {
  /** What readline reads. */
  readonly out = new PassThrough();
  /** Line breaks that were inside a paste and not yet seen by the line handler. */
  pasteBreaks = 0;
  onInterrupt?: () => void;
  private mode: Mode = "line";
  private held = "";
  private inPaste = false;
  private key?: (k: string) => void;
  private forward?: PassThrough;
  private decoder = new StringDecoder("utf8");

  constructor(
    src: Readable,
    private readonly tty: boolean,
  ) {
    src.on("data", (d: Buffer | string) => this.feed(typeof d === "string" ? d : this.decoder.write(d)));
    src.on("end", () => {
      // The input is gone: a question waiting for a key is answered as Ctrl-C would (no, and interrupt the turn).
      this.key?.("\x03");
      this.out.end();
    });
  }

  /** A turn starts: hold keystrokes (TTY only; in a pipe, lines are queued by the REPL as they come). */
  hold() {
    if (this.tty) this.mode = "busy";
  }

  /** The turn ended: give readline back the keyboard and replay what was typed meanwhile. */
  release() {
    if (this.mode !== "busy") return;
    this.mode = "line";
    const t = this.held;
    this.held = "";
    if (t) this.feed(t);
  }

  /** Resolves with the next key pressed (Ctrl-C is "\x03"); earlier typeahead never answers a question. */
  nextKey(): Promise<string> {
    const prev = this.mode;
    this.mode = "key";
    return new Promise((resolve) => {
      this.key = (k) => {
        this.mode = prev;
        this.key = undefined;
        resolve(k);
      };
    });
  }

  /** Sends raw input to another reader (the /model picker) until the returned function is called. */
  divert(to: PassThrough): () => void {
    const prev = this.mode;
    this.mode = "forward";
    this.forward = to;
    return () => {
      this.mode = prev;
      this.forward = undefined;
    };
  }

  private feed(s: string) {
    switch (this.mode) {
      case "forward":
        this.forward?.write(s);
        return;
      case "key": {
        const k = [...s][0] ?? "";
        this.key?.(k);
        const rest = s.slice(k.length);
        if (rest) this.feed(rest);
        return;
      }
      case "busy":
        if (s.includes("\x03")) this.onInterrupt?.();
        this.held += s.replaceAll("\x03", "");
        return;
      case "line":
        this.out.write(this.tty ? this.paste(s) : s);
        return;
      default:
        this.mode satisfies never;
    }
  }

  /** Strips paste markers and counts the line breaks inside a paste (sent as CR, the key readline submits on). */
  private paste(s: string): string {
    let out = "";
    let i = 0;
    while (i < s.length) {
      if (s.startsWith(START, i)) {
        this.inPaste = true;
        i += START.length;
      } else if (s.startsWith(END, i)) {
        this.inPaste = false;
        i += END.length;
      } else if (this.inPaste && (s[i] === "\r" || s[i] === "\n")) {
        i += s[i] === "\r" && s[i + 1] === "\n" ? 2 : 1;
        this.pasteBreaks++;
        out += "\r";
      } else out += s[i++];
    }
    return out;
  }
}
