// `runcode upgrade`: replace this binary with the latest release, verified (protocol in src/release/upgrade.ts).
// Refuses when running from source, and in CI unless --force: a pipeline should pin its version, not drift.
import { out } from "../cli/io";
import { defineCommand } from "citty";
import { ActionableError, EXIT } from "../core/errors";
import { hostTarget, isCompiled } from "../release/assets";
import { upgrade } from "../release/upgrade";
import { ui } from "../cli/ui";
import { VERSION } from "../version";
import { runEnv } from "../cli/secrets";

const truthy = (v: string | undefined) => !!v && v !== "0" && v.toLowerCase() !== "false";

export default defineCommand({
  meta: { name: "upgrade", description: "Replace runcode with the latest release (SHA-256 verified)" },
  args: {
    check: { type: "boolean", description: "only report whether a newer release exists" },
    force: { type: "boolean", description: "run in CI too, and reinstall even when up to date" },
  },
  async run({ args }) {
    const env = runEnv();
    const check = !!args.check;
    if (!check && !isCompiled())
      throw new ActionableError(
        "runcode upgrade replaces the installed binary, but this is running from source",
        "update the checkout with `git pull` instead, or install the binary with install.sh",
      );
    if (!check && truthy(env.CI) && !args.force)
      throw new ActionableError(
        "runcode upgrade does not run in CI (CI is set)",
        "pin a version with install.sh --version instead, or pass --force",
      );
    const target = hostTarget();
    if (!target)
      throw new ActionableError(`no release binary for ${process.platform}-${process.arch}`, "build from source (see docs/install.md)");
    await upgrade({
      current: VERSION,
      execPath: process.execPath,
      target,
      folder: env.RUNCODE_DOWNLOAD_URL || undefined,
      force: !!args.force,
      checkOnly: check,
      // Progress to stderr; stdout carries only the one-line outcome below.
      say: (line) => (line.startsWith("downloading") ? ui.info(line) : out(`${line}\n`)),
    });
    return EXIT.ok;
  },
});
