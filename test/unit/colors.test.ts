// render/colors.ts loads picocolors with its stdout check short-circuited by setting FORCE_COLOR for the moment of
// the load: the variable must be exactly as it was afterwards (children inherit the environment), and colours are
// still what createColors is asked for.
import { expect, test } from "bun:test";
import { join } from "node:path";
import { ROOT } from "../helpers";

const probe = `
const { createColors } = await import(${JSON.stringify(join(ROOT, "src/render/colors.ts"))});
console.log(JSON.stringify({ has: Object.hasOwn(process.env, "FORCE_COLOR"), value: process.env.FORCE_COLOR ?? null, on: createColors(true).red("x"), off: createColors(false).red("x") }));
`;

for (const value of [undefined, "", "0", "1", "3"])
  test(`FORCE_COLOR ${value === undefined ? "unset" : JSON.stringify(value)} is left as it was`, () => {
    const env: Record<string, string> = { PATH: process.env.PATH ?? "" };
    if (value !== undefined) env.FORCE_COLOR = value;
    const r = Bun.spawnSync([process.execPath, "-e", probe], { env, stdout: "pipe", stderr: "pipe" });
    expect(r.stderr.toString()).toBe("");
    expect(JSON.parse(r.stdout.toString())).toEqual({ has: value !== undefined, value: value ?? null, on: "\x1b[31mx\x1b[39m", off: "x" });
  });
