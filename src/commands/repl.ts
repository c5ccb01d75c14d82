// `runcode` with no command: the interactive REPL (docs/repl.md). Hidden from the command list: it is what a bare
// `runcode` runs, and its flags are the ones `runcode -m sonnet` takes.
import { defineCommand } from "citty";
import { homeDir, paths } from "../core/home";
import { repeated } from "../cli/args";
import { runEnv } from "../cli/secrets";
import { err, out } from "../cli/io";
import { colorOut } from "../cli/ui";
import { Writable } from "node:stream";
import { replArgs } from "./index";

export default defineCommand({
  meta: { name: "repl", description: "interactive session (what `runcode` with no command runs)", hidden: true },
  args: replArgs,
  async run({ args, rawArgs }) {
    const { Repl } = await import("../repl/repl");
    const list = (name: string) =>
      repeated(rawArgs, [name])
        .flatMap((v) => v.split(/,(?![^(]*\))/))
        .map((s) => s.trim())
        .filter(Boolean);
    const tty = !!process.stdin.isTTY && !!process.stdout.isTTY;
    const env = runEnv();
    // In a pipe, answers and notes go through cli/io's writes: a reader that went away ends the REPL quietly
    // (exit 0) instead of a broken-pipe trace. A terminal keeps the real streams (readline draws on them).
    const sink = (write: (s: string) => void) =>
      new Writable({
        write(chunk, _encoding, done) {
          write(String(chunk));
          done();
        },
      });
    const repl = new Repl({
      input: process.stdin,
      output: tty ? process.stdout : sink(out),
      errorOutput: tty ? process.stderr : sink(err),
      isTTY: tty,
      color: tty && colorOut,
      columns: () => process.stdout.columns || 80,
      setRawMode: (on) => process.stdin.isTTY && process.stdin.setRawMode(on),
      onSignal: (fn) => {
        process.on("SIGINT", fn);
        return () => process.off("SIGINT", fn);
      },
      raw: !!args.raw,
      historyFile: paths(homeDir(env)).history,
      workspace: {
        env,
        cwd: process.cwd(),
        model: args.model ? String(args.model) : undefined,
        trust: !!args.trust,
        allow: list("allow"),
        deny: list("deny"),
        resume: args.session ? { id: String(args.session) } : args.continue ? { latest: true } : undefined,
      },
    });
    const code = await repl.run();
    process.stdin.pause();
    return code;
  },
});
