// Flag checking citty does not do: unknown flags are refused with the closest known one, and repeatable flags
// (--image a --image b) are collected from the raw argv.
import type { ArgsDef } from "citty";
import { closest, usageError } from "../core/errors";

export function checkFlags(rawArgs: string[], def: ArgsDef, command: string) {
  const known = new Set<string>(["help", "h"]);
  for (const [name, a] of Object.entries(def)) {
    if (a.type === "positional") continue;
    known.add(name);
    known.add(kebab(name));
    if (a.type === "boolean") known.add(`no-${name}`);
    for (const al of ["alias" in a ? a.alias ?? [] : []].flat()) known.add(al);
  }
  for (const arg of rawArgs) {
    if (arg === "--") return;
    if (arg === "-" || !arg.startsWith("-") || /^-\d/.test(arg)) continue;
    const names = arg.startsWith("--") ? [arg.slice(2).split("=")[0]!] : [...arg.slice(1).split("=")[0]!];
    for (const n of names) {
      if (known.has(n)) continue;
      const near = closest(n, [...known].filter((k) => k.length > 1));
      throw usageError(
        `unknown flag ${arg.startsWith("--") ? "--" : "-"}${n} for \`runcode ${command}\``,
        near.length ? `did you mean --${near[0]}? (see \`runcode ${command} --help\`)` : `see \`runcode ${command} --help\``,
      );
    }
  }
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
