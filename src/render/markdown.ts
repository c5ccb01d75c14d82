// Light, streaming Markdown for the terminal. Text is shown word by word as it arrives (wrapped to the terminal
// width), so a long paragraph streams instead of appearing at its end; a line's start is held back only until its
// kind is known (heading, list item, quote, code fence). Code blocks are set off with a gutter and lightly
// highlighted, whole lines at a time. **bold** and `code` are styled inline; the markers are dropped. Styles are
// picocolors', applied to each run of text between markers, so a style never stays open across a line break.
import { createColors } from "./colors";
import type { Colors } from "picocolors/types";

const FENCE = /^\s*(```|~~~)/;
const UNDECIDED = /^\s*(`{0,2}|~{0,2}|#{1,6}|[-*+>]|\d{1,3}[.)]?)$/;

export type MdStyle = { color: boolean; width: () => number };

const KEYWORDS =
  /\b(const|let|var|function|return|if|else|for|while|import|export|from|class|new|async|await|def|fn|pub|type|interface|struct|impl|package|func)\b/g;

export class MarkdownStream {
  private cur = "";
  private done = 0;
  private kind?: "text" | "fence" | "code";
  private inCode = false;
  private indent = 0;
  private col = 0;
  private heading = false;
  private bold = false;
  private code = false;
  private readonly c: Colors;

  constructor(private readonly s: MdStyle) {
    this.c = createColors(s.color);
  }

  /** Part of the current line is held or printed: end() would close it. */
  get open(): boolean {
    return this.cur !== "";
  }

  /** Feed streamed text; returns what to print now. */
  push(text: string): string {
    let out = "";
    const parts = text.split("\n");
    for (let i = 0; i < parts.length; i++) {
      this.cur += parts[i];
      if (i < parts.length - 1) out += this.line(true);
    }
    return out + this.line(false);
  }

  /** The answer ended: print what is held back. */
  end(): string {
    return this.cur ? this.line(true) : "";
  }

  private line(final: boolean): string {
    let out = "";
    if (!this.kind) {
      if (!final && UNDECIDED.test(this.cur)) return "";
      out += this.start();
    }
    if (this.kind === "text") out += this.words(final);
    if (!final) return out;
    if (this.kind === "fence") {
      this.inCode = !this.inCode;
      out += `${this.c.dim(this.cur.trim())}\n`;
    } else if (this.kind === "code") out += `${this.c.dim("│ ")}${this.highlight(this.cur)}\n`;
    else out += "\n";
    this.cur = "";
    this.done = 0;
    this.kind = undefined;
    this.heading = this.bold = this.code = false;
    this.col = this.indent = 0;
    return out;
  }

  /** Decide the line's kind and print its prefix. */
  private start(): string {
    this.kind = FENCE.test(this.cur) ? "fence" : this.inCode ? "code" : "text";
    if (this.kind !== "text") return "";
    const m = /^(\s*)(#{1,6}\s+|[-*+]\s+|\d{1,3}[.)]\s+|>\s?)/.exec(this.cur);
    if (!m) return "";
    this.done = m[0].length;
    const pad = m[1]!;
    const mark = m[2]!.trim();
    let prefix = pad;
    if (mark.startsWith("#")) this.heading = true;
    else if (mark === ">") prefix += this.c.dim("│ ");
    else if (/^\d/.test(mark)) prefix += `${mark} `;
    else prefix += "• ";
    this.indent = pad.length + (mark.startsWith("#") ? 0 : /^\d/.test(mark) ? mark.length + 1 : 2);
    this.col = this.indent;
    return prefix;
  }

  /** Complete words since the last call (all of them when the line is final), wrapped at the width. */
  private words(final: boolean): string {
    let seg = this.cur.slice(this.done);
    if (!final) {
      const cut = seg.search(/\s\S*$/);
      if (cut < 0) return "";
      seg = seg.slice(0, cut + 1);
    }
    this.done += seg.length;
    const width = Math.max(20, this.s.width() - 1);
    let out = "";
    for (const w of seg.split(/\s+/).filter(Boolean)) {
      const visible = w.replace(/\*\*|`/g, "").length;
      if (this.col > this.indent && this.col + 1 + visible > width) {
        out += `\n${" ".repeat(this.indent)}`;
        this.col = this.indent;
      } else if (this.col > this.indent) {
        out += " ";
        this.col++;
      }
      out += this.inline(w);
      this.col += visible;
    }
    return out;
  }

  /** One word: `**` toggles bold and a backtick toggles code; each run of text between them gets its style. */
  private inline(w: string): string {
    let out = "";
    let run = "";
    const emit = () => {
      const code = this.code ? this.c.cyan(run) : run;
      if (run) out += this.bold || this.heading ? this.c.bold(code) : code;
      run = "";
    };
    for (let i = 0; i < w.length; i++) {
      if (w.startsWith("**", i) && !this.code) {
        emit();
        this.bold = !this.bold;
        i++;
      } else if (w[i] === "`") {
        emit();
        this.code = !this.code;
      } else run += w[i];
    }
    emit();
    return out;
  }

  private highlight(line: string): string {
    if (/^\s*(\/\/|#)/.test(line)) return this.c.dim(line);
    return line.replace(/("[^"]*"|'[^']*')/g, (m) => this.c.green(m)).replace(KEYWORDS, (m) => this.c.magenta(m));
  }
}
