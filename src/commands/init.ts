// `runcode init` / `runcode uninit`: point Claude Code at the proxy (and start the proxy at login), and undo it.
import { out } from "../cli/io";
import { defineCommand } from "citty";
import { join } from "node:path";
import { context } from "../cli/context";
import { ui } from "../cli/ui";
import { EXIT } from "../core/errors";
import { installAutostart, removeAutostart } from "../proxy/autostart";
import { applyInit, applyUninit, claudeSettingsPath, proxyEnv } from "../proxy/claude-settings";
import { daemonFiles, selfCommand } from "../proxy/daemon";

const line = (s: string) => out(`${s}\n`);
const backupFile = (home: string) => join(home, "claude-settings-backup.json");

export default defineCommand({
  meta: { name: "init", description: "Configure Claude Code to use the proxy (~/.claude/settings.json) and start it at login" },
  args: {
    port: { type: "string", alias: "p", description: "proxy port (default 8402, config proxy-port)" },
    model: { type: "string", alias: "m", description: "ANTHROPIC_MODEL for Claude Code (default blockrun/auto)" },
    autostart: { type: "boolean", default: true, description: "--no-autostart: only write the settings" },
  },
  run({ args }) {
    const ctx = context();
    const port = args.port ? Number(args.port) : (ctx.get("proxy-port") as number);
    const settings = claudeSettingsPath(ctx.env);
    const values = proxyEnv({
      port,
      token: ctx.get("proxy-token") as string | undefined,
      model: args.model ?? "blockrun/auto",
      get: ctx.get,
    });
    const changed = applyInit(settings, backupFile(ctx.paths.home), values);
    line(`Claude Code settings: ${settings} (${changed.length ? `set ${changed.join(", ")}` : "already configured"})`);
    if (args.autostart !== false) {
      const r = installAutostart({ platform: process.platform, env: ctx.env, cmd: selfCommand(), port, log: daemonFiles(ctx.paths).log });
      if (r.file) line(`auto-start: ${r.file}${r.activated ? " (enabled and started)" : ""}`);
      if (r.hint) ui.info(r.hint);
    }
    line(`start the proxy now with \`runcode daemon start\` (if it is not running), then run \`claude\`; \`runcode uninit\` undoes this`);
    return EXIT.ok;
  },
});

export const uninit = defineCommand({
  meta: { name: "uninit", description: "Restore Claude Code's settings as they were before `runcode init`, remove auto-start" },
  run() {
    const ctx = context();
    const r = applyUninit(backupFile(ctx.paths.home));
    line(
      r
        ? `Claude Code settings restored: ${r.settings} (${r.restored.join(", ")})`
        : "nothing to restore: `runcode init` has not been run for this home",
    );
    const removed = removeAutostart({ platform: process.platform, env: ctx.env });
    if (removed) line(`auto-start removed: ${removed}`);
    return EXIT.ok;
  },
});
