// Argument checking citty does not do: unknown flags are refused with the closest known one, a missing positional
// or one a command does not take is a usage error (exit 2) naming the usage, negative numbers are values, and
// repeatable flags (--image a --image b) are collected from the raw argv.
import type { ArgsDef } from "citty";
import { closest, usageError } from "../core/errors";

export function checkFlags(rawArgs: string[], def: ArgsDef, command: string): string[] {
  const known = new Set<string>(["help", "h"]);
  const takesValue = new Set<string>();
  for (const [name, a] of Object.entries(def)) {
    if (a.type === "positional") continue;
    const names = [name, kebab(name), ...["alias" in a ? (a.alias ?? []) : []].flat()];
    for (const n of names) known.add(n);
    if (a.type === "boolean") known.add(`no-${name}`);
    else for (const n of names) takesValue.add(n);
  }
  const positionals: string[] = [];
  let firstNegative = -1;
  for (let i = 0; i < rawArgs.length; i++) {
    const arg = rawArgs[i]!;
    if (arg === "--") {
      positionals.push(...rawArgs.slice(i + 1));
      break;
    }
    // A negative number is a value, never a flag: `config set max-usd-per-request -1`.
    if (arg === "-" || !arg.startsWith("-") || /^-\d/.test(arg)) {
      if (/^-\d/.test(arg) && firstNegative < 0) firstNegative = i;
      positionals.push(arg);
      continue;
    }
    const names = arg.startsWith("--") ? [arg.slice(2).split("=")[0]!] : [...arg.slice(1).split("=")[0]!];
    for (const n of names) {
      if (known.has(n)) continue;
      const near = closest(
        n,
        [...known].filter((k) => k.length > 1),
      );
      throw usageError(
        `unknown flag ${arg.startsWith("--") ? "--" : "-"}${n} for \`runcode ${command}\``,
        near.length ? `did you mean --${near[0]}? (see \`runcode ${command} --help\`)` : `see \`runcode ${command} --help\``,
      );
    }
    if (!arg.includes("=") && takesValue.has(names.at(-1)!)) i++; // its value is the next argument
  }
  const wanted = Object.entries(def).filter(([, a]) => a.type === "positional");
  const usage = `runcode ${command}${wanted.map(([n, a]) => (a.required === false ? ` [${n.toUpperCase()}]` : ` <${n.toUpperCase()}>`)).join("")}`;
  if (!wanted.length && positionals.length)
    throw usageError(`unexpected argument "${positionals[0]}" for \`runcode ${command}\``, `see \`runcode ${command} --help\``);
  for (const [i, [name, a]] of wanted.entries())
    if (a.required !== false && positionals.length <= i)
      throw usageError(`\`runcode ${command}\` needs ${name.toUpperCase()}`, `usage: ${usage}`);
  // citty would read `-1` as a flag: hand it over after `--` when only values follow it.
  const rest = firstNegative < 0 ? [] : rawArgs.slice(firstNegative);
  if (firstNegative >= 0 && !rawArgs.includes("--") && rest.every((x) => !x.startsWith("-") || /^-\d/.test(x)))
    return [...rawArgs.slice(0, firstNegative), "--", ...rest];
  return rawArgs;
}

const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Every value of a repeatable string flag, in order: `--image a --image=b -i c`. */
export function repeated(rawArgs: string[], names: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < rawArgs.length; i++) {
    const a = rawArgs[i]!;
    if (a === "--") break;
    for (const n of names) {
      const flag = n.length === 1 ? `-${n}` : `--${n}`;
      if (a === flag && i + 1 < rawArgs.length) out.push(rawArgs[++i]!);
      else if (a.startsWith(`${flag}=`)) out.push(a.slice(flag.length + 1));
    }
  }
  return out;
}
