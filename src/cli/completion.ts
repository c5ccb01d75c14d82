// Shell completion scripts for `runcode completion bash|zsh|fish`, written from a tree of commands: each node's
// subcommands and flags, as the command modules declare them (src/commands/completion.ts builds the tree). One walk
// decides which node the words typed so far name; each shell's script only encodes that walk and the word lists.

export type Flag = { name: string; alias: string[]; description: string };
export type Node = { description: string; flags: Flag[]; subs: Record<string, Node> };
export const SHELLS = ["bash", "zsh", "fish"] as const;
export type Shell = (typeof SHELLS)[number];

/** Every node with its path of command words ("" for runcode itself, then "config", "config set", …). */
function nodes(root: Node, path = ""): Array<[string, Node]> {
  return [[path, root], ...Object.entries(root.subs).flatMap(([name, n]) => nodes(n, path ? `${path} ${name}` : name))];
}

const flagWords = (n: Node) => n.flags.flatMap((f) => [`--${f.name}`, ...f.alias.map((a) => (a.length === 1 ? `-${a}` : `--${a}`))]);
const words = (n: Node) => [...Object.keys(n.subs), ...flagWords(n)];

// The walk shared by bash and zsh: a word extends the path when the path plus it names a node; anything else (flags,
// their values, positionals) is skipped.
function bash(root: Node): string {
  const all = nodes(root);
  return `# runcode completion for bash: source <(runcode completion bash)
_runcode() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" cmd="" next i
  for ((i = 1; i < COMP_CWORD; i++)); do
    next="\${cmd:+$cmd }\${COMP_WORDS[i]}"
    case "$next" in
      ${all
        .slice(1)
        .map(([p]) => `"${p}"`)
        .join("|")}) cmd="$next" ;;
    esac
  done
  local words
  case "$cmd" in
${all.map(([p, n]) => `    "${p}") words="${words(n).join(" ")}" ;;`).join("\n")}
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -o default -F _runcode runcode
`;
}

const zq = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;

function zsh(root: Node): string {
  const all = nodes(root);
  const entries = (n: Node) => [
    ...Object.entries(n.subs).map(([name, s]) => `${name}:${s.description}`),
    ...n.flags.flatMap((f) =>
      [`--${f.name}`, ...f.alias.map((a) => (a.length === 1 ? `-${a}` : `--${a}`))].map((w) => `${w}:${f.description}`),
    ),
  ];
  return `#compdef runcode
# runcode completion for zsh: source <(runcode completion zsh) after compinit, or save it as _runcode in $fpath
_runcode() {
  local cmd="" next i
  local -a items
  for ((i = 2; i < CURRENT; i++)); do
    next="\${cmd:+$cmd }\${words[i]}"
    case "$next" in
      ${all
        .slice(1)
        .map(([p]) => `"${p}"`)
        .join("|")}) cmd="$next" ;;
    esac
  done
  case "$cmd" in
${all.map(([p, n]) => `    "${p}") items=(${entries(n).map(zq).join(" ")}) ;;`).join("\n")}
  esac
  _describe -t commands runcode items
}
if (( $+functions[compdef] )); then compdef _runcode runcode; fi
`;
}

const fq = (s: string) => `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;

function fish(root: Node): string {
  const lines = ["# runcode completion for fish: runcode completion fish | source", "complete -c runcode -f"];
  for (const [path, n] of nodes(root)) {
    // fish has no notion of a node: a condition says "these command words, and none of this node's subcommands yet".
    const seen = path ? path.split(" ").map((w) => `__fish_seen_subcommand_from ${w}`) : [];
    const here = Object.keys(n.subs);
    const cond = path
      ? [...seen, ...(here.length ? [`not __fish_seen_subcommand_from ${here.join(" ")}`] : [])].join("; and ")
      : "__fish_use_subcommand";
    for (const [name, s] of Object.entries(n.subs)) lines.push(`complete -c runcode -n ${fq(cond)} -a ${name} -d ${fq(s.description)}`);
    for (const f of n.flags) {
      const alias = f.alias.map((a) => (a.length === 1 ? ` -s ${a}` : ` -l ${a}`)).join("");
      lines.push(`complete -c runcode -n ${fq(cond)} -l ${f.name}${alias} -d ${fq(f.description)}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

export function completionScript(shell: Shell, root: Node): string {
  switch (shell) {
    case "bash":
      return bash(root);
    case "zsh":
      return zsh(root);
    case "fish":
      return fish(root);
    default:
      return shell satisfies never;
  }
}
