// What one simple command runs besides itself, read from its words as the program receives them (quotes removed):
// the command a wrapper starts (`sudo rm f` runs `rm f`), the string `eval` or `sh -c` runs (read again as a
// command line), the commands `find -exec` runs. What cannot be told before the command runs is reported, never
// guessed: an option a wrapper's table does not know could take a value and hide the real command name.
import type { Shell } from "./shell";

/** One word: `value` is what the program gets, undefined when it is only known at run time (`$x`, `$(…)`). */
export type Word = { value?: string; src: string };

/** Where found commands go; `sub` reads a string that `eval`/`sh -c` will run. */
export type Reader = { out: Shell; sub: (command: string) => void };

/** A wrapper's options (`-x` a flag, `-x:` or `--name:` takes a value), operands before the command, VAR=x words. */
type Spec = { opts: string; operands?: number; assigns?: boolean };

const WRAPPERS: Record<string, Spec> = {
  env: { opts: "-i -0 -v -u: -C: --ignore-environment --null --debug --unset: --chdir:", assigns: true },
  sudo: {
    opts: "-A -b -E -H -i -k -n -P -S -s -B -N -C: -D: -g: -h: -p: -R: -r: -t: -T: -U: -u: --askpass --background --preserve-env --set-home --login --reset-timestamp --non-interactive --preserve-groups --stdin --shell --bell --no-update --close-from: --chdir: --group: --host: --prompt: --chroot: --role: --type: --command-timeout: --other-user: --user:",
    assigns: true,
  },
  doas: { opts: "-n -s -u: -C:" },
  nohup: { opts: "" },
  setsid: { opts: "-c -f -w --ctty --fork --wait" },
  timeout: { opts: "-v -s: -k: --foreground --preserve-status --verbose --signal: --kill-after:", operands: 1 },
  nice: { opts: "-0 -1 -2 -3 -4 -5 -6 -7 -8 -9 -n: --adjustment:" },
  ionice: { opts: "-t -c: -n: --ignore --class: --classdata:" },
  time: { opts: "-p -a -v -q -f: -o: --portability --append --verbose --quiet --format: --output:" },
  command: { opts: "-p -v -V" },
  builtin: { opts: "" },
  exec: { opts: "-c -l -a:" },
  coproc: { opts: "" },
  stdbuf: { opts: "-i: -o: -e: --input: --output: --error:" },
  xargs: {
    opts: "-0 -r -t -p -x -o -i -l -e -a: -d: -E: -I: -L: -n: -P: -s: --null --no-run-if-empty --verbose --interactive --exit --open-tty --replace --max-lines --eof --arg-file: --delimiter: --max-args: --max-procs: --max-chars: --process-slot-var:",
  },
};
const SHELLS = new Set(["sh", "bash", "dash", "zsh", "ksh", "mksh", "ash"]);
const FIND_EXEC = new Set(["-exec", "-execdir", "-ok", "-okdir"]);
const RENAMING = new Set(["alias", "hash", "enable"]);
export const ASSIGNMENT = /^[A-Za-z_]\w*\+?=/;

/** A wrapper's option table as flags and options taking a value. */
function optionsOf(spec: Spec) {
  const all = spec.opts.split(" ").filter(Boolean);
  return {
    flags: new Set(all.filter((x) => !x.endsWith(":"))),
    valued: new Set(all.filter((x) => x.endsWith(":")).map((x) => x.slice(0, -1))),
  };
}

export const quote = (s: string) => `\`${s.length > 80 ? `${s.slice(0, 77)}…` : s}\``;

/** Adds the simple command `words` (`raw` is its source, `env` says VAR=x words came first) and what it runs. */
export function expand(words: Word[], raw: string, env: boolean, r: Reader): void {
  const head = words[0];
  if (!head) return;
  const name = head.value;
  // A glob or brace in the name is expanded by the shell into any program.
  if (name === undefined || /[*?{]|\[.*\]/.test(name))
    return void r.out.unresolved.push(`${quote(raw)} runs a command whose name is only known when it runs`);
  const base = name.slice(name.lastIndexOf("/") + 1);
  const args = words.slice(1);
  r.out.commands.push({
    name: base,
    text: [base, ...args.map((w) => w.src)].join(" "),
    raw,
    env,
    ...(name.includes("/") ? { path: name } : {}),
  });
  const unknown = (why: string) => void r.out.unresolved.push(`${quote(raw)}: ${why}`);

  if (base === "eval") {
    if (args.some((w) => w.value === undefined)) return unknown("eval runs a string only known when it runs");
    return r.sub(args.map((w) => w.value).join(" "));
  }
  if (SHELLS.has(base)) {
    const s = shellInput(args);
    if (s === "stdin") return unknown(`${base} runs commands from its input, which are not known before it runs`);
    if (s === null) return unknown(`${base} runs a command line only known when it runs`);
    if (s !== undefined) r.sub(s);
    return;
  }
  if (base === "trap") {
    const action = args.find((w) => !/^-[pl]*$|^--$/.test(w.value ?? ""));
    if (!action || action.value === "-" || args.length < 2) return;
    if (action.value === undefined) return unknown("trap runs a string only known when it runs");
    return r.sub(action.value);
  }
  // They make a name run something else later in the same line (`alias ls=rm`, `hash -p /bin/rm ls`).
  if (RENAMING.has(base) && args.length) return unknown(`${base} changes what later command names run`);
  if (base === "find") {
    for (let i = 0; i < args.length; i++) {
      if (!FIND_EXEC.has(args[i]!.value ?? "")) continue;
      let end = i + 1;
      while (end < args.length && args[end]!.value !== ";" && args[end]!.value !== "+") end++;
      const run = args.slice(i + 1, end);
      expand(run, run.map((w) => w.src).join(" "), false, r);
      i = end;
    }
    return;
  }
  const spec = WRAPPERS[base];
  if (!spec) return;
  const rest = afterOptions(spec, args);
  if (typeof rest === "string") return unknown(`cannot tell which command ${base} runs (${rest})`);
  let n = 0;
  while (spec.assigns && n < rest.length && ASSIGNMENT.test(rest[n]!.value ?? "")) n++;
  expand(rest.slice(n), rest.map((w) => w.src).join(" "), n > 0, r);
}

/** The words after a wrapper's options and operands, or why they cannot be told apart. */
function afterOptions(spec: Spec, args: Word[]): Word[] | string {
  const o = optionsOf(spec);
  let i = 0;
  while (i < args.length) {
    const v = args[i]!.value;
    if (v === undefined) return `${args[i]!.src} is only known when it runs`;
    if (v === "--") {
      i++;
      break;
    }
    if (!v.startsWith("-") || v === "-") break;
    i++;
    if (v.startsWith("--")) {
      const name = v.split("=")[0]!;
      if (o.valued.has(name) && !v.includes("=")) i++;
      else if (!o.valued.has(name) && !o.flags.has(name)) return `unknown option ${v}`;
      continue;
    }
    for (let k = 1; k < v.length; k++) {
      const letter = `-${v[k]}`;
      if (o.valued.has(letter)) {
        if (k === v.length - 1) i++;
        break;
      }
      if (!o.flags.has(letter)) return `unknown option ${letter}`;
    }
  }
  const at = i + (spec.operands ?? 0);
  return args.slice(Math.min(at, args.length));
}

/**
 * What a shell given `args` runs: the `-c` string; "stdin" when it reads commands from its input (`echo rm f | sh`);
 * undefined for a script file (like any program, its contents are not read here); null when not literal.
 */
function shellInput(args: Word[]): string | "stdin" | undefined | null {
  let c = false;
  let operands = false;
  for (let i = 0; i < args.length; i++) {
    const v = args[i]!.value;
    if (v === undefined) return null;
    if (!operands && v === "--") operands = true;
    else if (!operands && /^[-+][oO]$|^--(rcfile|init-file)$/.test(v)) i++;
    else if (!operands && /^-[^-]*s/.test(v) && !c) return "stdin";
    else if (!operands && /^[-+]./.test(v)) c ||= /^-[^-]*c/.test(v);
    else return c ? v : v === "-" ? "stdin" : undefined;
  }
  return c ? undefined : "stdin";
}
