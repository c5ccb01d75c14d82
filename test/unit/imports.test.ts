// The layering rules of docs/architecture.md, checked on the import statements of src/ (static, dynamic and
// type-only imports alike: a type is a dependency too). core/ is the ground and imports nothing above it; the
// top-level folders (and root files such as settings.ts) form no cycle.
import { describe, expect, test } from "bun:test";
import { readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import * as ts from "typescript";
import { ROOT } from "../helpers";

const SRC = join(ROOT, "src");

type Import = { file: string; spec: string; unit: string; target: string };

/** A top-level folder as `cli/`, a root file as `main.ts`. */
const unitOf = (path: string) => {
  const [head, ...rest] = relative(SRC, path).split("/");
  if (rest.length || statSync(path, { throwIfNoEntry: false })?.isDirectory()) return `${head}/`;
  return head!.replace(/(\.ts)?$/, ".ts");
};

const imports: Import[] = [...new Bun.Glob("**/*.ts").scanSync(SRC)].flatMap((f) => {
  const file = join(SRC, f);
  return ts.preProcessFile(readFileSync(file, "utf8"), true, true).importedFiles.map(({ fileName: spec }) => {
    const local = spec.startsWith(".");
    const path = local ? resolve(dirname(file), spec) : spec;
    return { file: relative(ROOT, file), spec, unit: unitOf(file), target: local ? unitOf(path) : `package ${spec}` };
  });
});

describe("import rules", () => {
  test("the scan sees the tree", () => {
    expect(imports.filter((i) => i.unit === "core/").length).toBeGreaterThan(5);
    expect(imports.some((i) => i.file === "src/dispatch.ts" && i.target === "commands/")).toBe(true);
  });

  test("core/ imports only core/ and packages", () => {
    const out = imports.filter((i) => i.unit === "core/" && i.target !== "core/" && !i.target.startsWith("package "));
    expect(out.map((i) => `${i.file} imports ${i.spec}`)).toEqual([]);
  });

  test("no import cycle between the top-level folders of src/", () => {
    const edges = new Map<string, Map<string, Import>>(); // unit → imported unit → one import that makes the edge
    for (const i of imports) {
      if (i.target === i.unit || i.target.startsWith("package ")) continue;
      const out = edges.get(i.unit) ?? new Map<string, Import>();
      edges.set(i.unit, out);
      if (!out.has(i.target)) out.set(i.target, i);
    }
    const shortest = (from: string, to: string): string[] | undefined => {
      const prev = new Map<string, string>([[from, ""]]);
      for (const queue = [from]; queue.length; ) {
        const at = queue.shift()!;
        if (at === to) {
          const path = [to];
          while (path[0] !== from) path.unshift(prev.get(path[0]!)!);
          return path;
        }
        for (const next of [...(edges.get(at)?.keys() ?? [])].sort()) {
          if (prev.has(next)) continue;
          prev.set(next, at);
          queue.push(next);
        }
      }
    };
    // Every edge that closes a cycle, with the shortest way back; each cycle once, whichever edge found it.
    const cycles = new Map<string, string>();
    for (const [a, out] of [...edges].sort()) {
      for (const b of [...out.keys()].sort()) {
        const back = shortest(b, a);
        if (!back) continue;
        const ring = [a, ...back.slice(0, -1)];
        const first = ring.indexOf([...ring].sort()[0]!);
        const cycle = [...ring.slice(first), ...ring.slice(0, first)];
        const key = cycle.join(" ");
        if (cycles.has(key)) continue;
        const via = cycle.map((u, n) => edges.get(u)!.get(cycle[(n + 1) % cycle.length]!)!);
        cycles.set(key, `${[...cycle, cycle[0]].join(" → ")}: ${via.map((i) => `${i.file} imports ${i.spec}`).join("; ")}`);
      }
    }
    expect([...cycles.values()]).toEqual([]);
  });
});
