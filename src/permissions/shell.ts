// Reads a shell command line the way bash will run it, for the permission rules: every simple command in it (in
// pipelines, lists, subshells, groups, conditionals, loops, functions, command and process substitutions, strings
// run by `eval` or `sh -c`, behind wrappers such as `sudo` or `env`; see wrappers.ts), the files its redirections
// write, and what cannot be known before it runs. A line of plain words joined by && || ; | is split directly, since
// there splitting is parsing; anything else is parsed by tree-sitter-bash, loaded by `loadShell()` on first need.
import type { Node, Parser } from "web-tree-sitter";
import { ASSIGNMENT, expand, quote, type Reader, type Word } from "./wrappers";

export type SimpleCommand = {
  /** The program, unquoted and without its directory: `/bin/rm`, `\rm` and `'rm'` are all `rm`. */
  name: string;
  /** The name and the arguments as written (`git commit -m "a; b"`): what rule patterns match. */
  text: string;
  /** The command as written, with its VAR=x words and the name's directory. */
  raw: string;
  /** The name as written when it has a directory (`./git`, `/usr/bin/git`). */
  path?: string;
  /** VAR=x words come first (`GIT_DIR=x git log`): they change what the program does. */
  env: boolean;
};

/** A file opened for writing by a redirection; `path` is undefined when it is only known at run time (`> $f`, `> ~/x`). */
export type Write = { path?: string; src: string };

export type Shell = {
  commands: SimpleCommand[];
  /** Redirections that write files (`>`, `>>`, `&>`, `>|`, `2>`…): not fd duplications (`2>&1`), not /dev/null. */
  writes: Write[];
  /** Why parts cannot be known before the command runs (`$CMD f`, `eval "$x"`, a syntax error). */
  unresolved: string[];
};

const MAX_DEPTH = 8;
let parser: Parser | undefined;
let failure: string | undefined;
let loading: Promise<void> | undefined;

/** Load tree-sitter-bash once. Never rejects: why it failed is kept for `shellFailure()`. */
export function loadShell(): Promise<void> {
  loading ??= import("./grammar")
    .then((g) => g.bashParser())
    .then(
      (p) => void (parser = p),
      (err: unknown) => void (failure = `tree-sitter-bash did not load (${err instanceof Error ? err.message : String(err)})`),
    );
  return loading;
}

export const shellFailure = () => failure;

/** What `command` runs; undefined when it needs the grammar and `loadShell()` has not loaded it. */
export function parseShell(command: string): Shell | undefined {
  const out: Shell = { commands: [], writes: [], unresolved: [] };
  let missing = false;
  const read = (s: string, depth: number) => {
    if (depth > MAX_DEPTH) return void out.unresolved.push(`${quote(s)}: eval and sh -c strings nest deeper than ${MAX_DEPTH}`);
    const r: Reader = { out, sub: (inner) => read(inner, depth + 1) };
    const parts = plain(s);
    if (parts) for (const p of parts) p.words.length ? expand(p.words, p.raw, p.env, r) : out.commands.push(assignments(p.raw));
    else if (parser) walk(parser, s, r);
    else missing = true;
  };
  read(command, 0);
  return missing ? undefined : out;
}

/** Shell operators as the old splitter saw them; still the word-level split of plain commands. */
export function commandParts(cmd: string): string[] {
  return cmd
    .split(/&&|\|\||[;|&\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

// Words of these characters mean only themselves to bash; a lone `&`, newlines and everything else go to the parser.
const PLAIN = /^(?:[\w \t./:=@%+,-]|&&|\|\||[;|])*$/;
const RESERVED = new Set([
  "if",
  "then",
  "elif",
  "else",
  "fi",
  "case",
  "esac",
  "for",
  "select",
  "while",
  "until",
  "do",
  "done",
  "in",
  "function",
  "coproc",
]);

/** The simple commands of a line of plain words joined by && || ; |, or undefined when it needs the parser. */
function plain(s: string): Array<{ words: Word[]; raw: string; env: boolean }> | undefined {
  const line = s.trim().replace(/;$/, "");
  if (!PLAIN.test(line)) return undefined;
  const parts = commandParts(line);
  // An empty part (`a && && b`, `| b`) is a syntax error: the parser says so.
  if (parts.length !== (line.match(/&&|\|\||[;|]/g)?.length ?? 0) + 1) return line ? undefined : [];
  const out = [];
  for (const raw of parts) {
    const all = raw.split(/[ \t]+/);
    const n = all.findIndex((w) => !ASSIGNMENT.test(w));
    const words = n < 0 ? [] : all.slice(n);
    if (words[0] && RESERVED.has(words[0])) return undefined;
    out.push({ words: words.map((w) => ({ value: w, src: w })), raw, env: n > 0 });
  }
  return out;
}

/** A statement of VAR=x words only: it changes what later commands do (PATH=…), so it counts as a command. */
const assignments = (raw: string) => ({ name: "", text: raw, raw, env: false });

function walk(parser: Parser, source: string, r: Reader) {
  const tree = parser.parse(source);
  if (!tree) return void r.out.unresolved.push(`${quote(source)} could not be parsed`);
  try {
    // Walked anyway: a deny rule still finds `rm` in a line bash would reject.
    if (tree.rootNode.hasError) r.out.unresolved.push(`${quote(source)} is not valid bash`);
    visit(tree.rootNode, r);
  } finally {
    tree.delete();
  }
}

const PART_OF = new Set(["command", "declaration_command", "variable_assignments"]);
const WRITING = new Set([">", ">>", "&>", "&>>", ">|", ">&"]);
const DEVICES = new Set(["/dev/null", "/dev/stdout", "/dev/stderr"]);

function visit(n: Node, r: Reader) {
  switch (n.type) {
    case "command": {
      const name = n.childForFieldName("name");
      const env = n.namedChildren.some((c) => c.type === "variable_assignment");
      if (name) expand([name, ...n.childrenForFieldName("argument")].map(word), n.text, env, r);
      break;
    }
    case "declaration_command": // export, declare, local, readonly, typeset
    case "unset_command":
      r.out.commands.push({ name: n.firstChild?.text ?? "", text: n.text, raw: n.text, env: false });
      break;
    case "variable_assignment":
    case "variable_assignments":
      if (!PART_OF.has(n.parent?.type ?? "")) r.out.commands.push(assignments(n.text));
      break;
    case "file_redirect": {
      const op = n.children.find((c) => !c.isNamed)?.type ?? "";
      // The grammar hangs the command's later words on the redirection too: the target is the first.
      const dest = n.childrenForFieldName("destination")[0];
      if (!WRITING.has(op) || !dest) break;
      const path = literal(dest);
      if (op === ">&" && (dest.type === "number" || path === "-")) break;
      if (path !== undefined && DEVICES.has(path)) break;
      r.out.writes.push({ ...(path === undefined || path.startsWith("~") ? {} : { path }), src: n.text });
      break;
    }
  }
  for (const c of n.namedChildren) visit(c, r);
}

const word = (n: Node): Word => {
  const value = literal(n.type === "command_name" ? (n.firstNamedChild ?? n) : n);
  return { ...(value === undefined ? {} : { value }), src: n.text };
};

/** What a word is after quote removal, or undefined when an expansion decides it at run time. */
function literal(n: Node): string | undefined {
  switch (n.type) {
    case "word":
    case "number":
      return n.text.replace(/\\(\n|.)/g, (_, c: string) => (c === "\n" ? "" : c));
    case "raw_string":
      return n.text.slice(1, -1);
    case "string":
      if (!n.namedChildren.every((c) => c.type === "string_content")) return undefined;
      return n.text.slice(1, -1).replace(/\\([$`"\\\n])/g, (_, c: string) => (c === "\n" ? "" : c));
    case "concatenation": {
      const parts = n.namedChildren.map(literal);
      const whole = n.namedChildren.map((c) => c.text).join("") === n.text;
      return whole && parts.every((p) => p !== undefined) ? parts.join("") : undefined;
    }
    default:
      return undefined;
  }
}
