// Everything that is not the product goes to stderr. Colour is decided per stream: NO_COLOR wins, FORCE_COLOR
// forces it, otherwise only on a TTY whose TERM is not "dumb".
import { createColors } from "../render/colors";
import { redact } from "../core/secrets";
import { err, tty } from "./io";

const env = process.env;
const colorFor = (tty: boolean | undefined) =>
  !("NO_COLOR" in env && env.NO_COLOR !== "") && (!!env.FORCE_COLOR && env.FORCE_COLOR !== "0" ? true : !!tty && env.TERM !== "dumb");

export const colorErr = colorFor(tty.err);
export const c = createColors(colorErr);
export const colorOut = colorFor(tty.out);
export const outColor = createColors(colorOut);

export const ui = {
  error: (line: string) => err(`${c.red("error:")} ${redact(line)}\n`),
  warn: (line: string) => err(`${c.yellow("warning:")} ${redact(line)}\n`),
  info: (line: string) => err(`${c.dim(redact(line))}\n`),
};
