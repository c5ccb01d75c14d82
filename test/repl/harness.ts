// Drives a Repl in-process through injected streams, against the fake gateway, in a temp home and project.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { PassThrough, Writable } from "node:stream";
import { Repl } from "../../src/repl/repl";
import { type FakeGateway, type Script, startFakeGateway } from "../fake-gateway";
import { tempDir } from "../helpers";

export type Harness = {
  gw: FakeGateway;
  repl: Repl;
  home: string;
  cwd: string;
  /** Everything written to the output (and errorOutput in pipe mode, separately). */
  out: () => string;
  err: () => string;
  type: (s: string) => void;
  waitFor: (re: RegExp | string, from?: number, timeoutMs?: number) => Promise<void>;
  end: () => void;
  done: Promise<number>;
};

class Sink extends Writable {
  text = "";
  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: () => void) {
    this.text += chunk.toString();
    cb();
  }
}

export async function harness(
  o: {
    script?: Script[];
    tty?: boolean;
    model?: string;
    trust?: boolean;
    deny?: string[];
    home?: string;
    cwd?: string;
    resume?: { latest?: boolean; id?: string };
    env?: Record<string, string>;
  } = {},
): Promise<Harness> {
  const gw = await startFakeGateway({ script: o.script ?? [] });
  const home = o.home ?? tempDir("runcode-repl-home-");
  const cwd = o.cwd ?? tempDir("runcode-repl-proj-");
  mkdirSync(join(cwd, ".git"), { recursive: true });
  const input = new PassThrough();
  const output = new Sink();
  const errorOutput = new Sink();
  const tty = o.tty ?? true;
  const env = { HOME: home, RUNCODE_HOME: home, RUNCODE_API_URL: gw.url, PATH: process.env.PATH, RUNCODE_NO_RIPGREP: "1", ...o.env };
  const repl = new Repl({
    input,
    output,
    errorOutput,
    isTTY: tty,
    color: false,
    columns: () => 80,
    historyFile: join(home, "repl-history"),
    workspace: { env, cwd, model: o.model ?? "free", trust: o.trust, deny: o.deny, resume: o.resume },
  });
  const done = repl.run();
  // Tests read what a user sees: cursor and style escapes removed.
  const all = () => output.text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "").replace(/\r(?!\n)/g, "");
  const h: Harness = {
    gw,
    repl,
    home,
    cwd,
    done,
    out: all,
    err: () => errorOutput.text,
    type: (s) => void input.write(s),
    waitFor: async (re, from = 0, timeoutMs = 10_000) => {
      const t0 = Date.now();
      const hit = () => {
        const t = (tty ? all() : all() + errorOutput.text).slice(from);
        return typeof re === "string" ? t.includes(re) : re.test(t);
      };
      while (!hit()) {
        if (Date.now() - t0 > timeoutMs)
          throw new Error(`timed out waiting for ${re}\n--- output ---\n${all()}\n--- err ---\n${errorOutput.text}`);
        await Bun.sleep(10);
      }
    },
    end: () => void input.end(),
  };
  // The workspace loads after the prompt; wait for its session line so tests start from a ready REPL.
  await h.waitFor("session ses_");
  return h;
}

export const lastUser = (body: { messages: Array<{ role: string; content: unknown }> }): string => {
  const m = body.messages.filter((x) => x.role === "user").at(-1)!;
  if (typeof m.content === "string") return m.content;
  const b = (m.content as Array<{ type: string; text?: string }>).find((x) => x.type === "text");
  return b?.text ?? "";
};
