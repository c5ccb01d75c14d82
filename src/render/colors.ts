// picocolors, loaded without its own colour detection. At load it reads `process.stdout.isTTY`, and the first touch
// of process.stdout builds Node's stream objects: ~5 ms, more than the rest of a short command's start-up. runcode
// decides colour per stream itself (cli/ui.ts: NO_COLOR, FORCE_COLOR, TTY, TERM) and only calls createColors, so
// the detection is short-circuited: picocolors skips the stdout check when FORCE_COLOR is set, and FORCE_COLOR is
// set for the moment of the load and put back as it was.
import type { Colors } from "picocolors/types";

type Picocolors = Colors & { createColors: (enabled?: boolean) => Colors };

const env = process.env;
const had = Object.hasOwn(env, "FORCE_COLOR");
const before = env.FORCE_COLOR;
if (!before) env.FORCE_COLOR = "1";
const pc: Picocolors = require("picocolors");
if (!had) delete env.FORCE_COLOR;
else env.FORCE_COLOR = before;

export const createColors = (enabled: boolean): Colors => pc.createColors(enabled);
export type { Colors };
