// Starting the proxy at login: a systemd --user unit on Linux, a LaunchAgent (`ai.blockrun.runcode`, the original's
// label) on macOS. The file is always written; activating it needs the service manager, which is only called when it
// exists (and, for systemd, when a user bus is reachable: containers and SSH sessions often have none).
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";

export type AutostartInput = { platform: string; env: Record<string, string | undefined>; cmd: string[]; port: number; log: string };
export type AutostartResult = { file?: string; activated: boolean; hint?: string };

const UNIT = "runcode-proxy.service";
const LABEL = "ai.blockrun.runcode";

export function autostartFile(platform: string, env: Record<string, string | undefined>): string | undefined {
  const home = env.HOME || homedir();
  if (platform === "linux") return join(env.XDG_CONFIG_HOME || join(home, ".config"), "systemd", "user", UNIT);
  if (platform === "darwin") return join(home, "Library", "LaunchAgents", `${LABEL}.plist`);
  return undefined;
}

const quote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `"${s.replace(/(["\\])/g, "\\$1")}"`);
const xml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export function unitText(o: AutostartInput): string {
  const envLines = ["RUNCODE_HOME", "RUNCODE_API_URL", "RUNCODE_CHAIN"]
    .filter((k) => o.env[k])
    .map((k) => `Environment=${quote(`${k}=${o.env[k]}`)}\n`);
  return `[Unit]\nDescription=runcode proxy: pay-per-request gateway for Claude Code\nAfter=network-online.target\n\n[Service]\nExecStart=${[...o.cmd, "proxy", "--port", String(o.port)].map(quote).join(" ")}\n${envLines.join("")}Restart=on-failure\nRestartSec=5\n\n[Install]\nWantedBy=default.target\n`;
}

export function plistText(o: AutostartInput): string {
  const args = [...o.cmd, "proxy", "--port", String(o.port), "--log-file", o.log].map((a) => `    <string>${xml(a)}</string>`).join("\n");
  const envs = ["RUNCODE_HOME", "RUNCODE_API_URL", "RUNCODE_CHAIN"]
    .filter((k) => o.env[k])
    .map((k) => `    <key>${k}</key><string>${xml(o.env[k]!)}</string>`)
    .join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>Label</key><string>${LABEL}</string>
  <key>ProgramArguments</key>
  <array>
${args}
  </array>
  <key>EnvironmentVariables</key>
  <dict>
${envs}
  </dict>
  <key>RunAtLoad</key><true/>
  <key>KeepAlive</key><true/>
</dict>
</plist>
`;
}

function userBus(env: Record<string, string | undefined>): boolean {
  return !!env.DBUS_SESSION_BUS_ADDRESS || (!!env.XDG_RUNTIME_DIR && existsSync(join(env.XDG_RUNTIME_DIR, "bus")));
}

const run = (cmd: string[]) => Bun.spawnSync(cmd, { stdout: "ignore", stderr: "pipe" }).exitCode === 0;

export function installAutostart(o: AutostartInput): AutostartResult {
  const file = autostartFile(o.platform, o.env);
  if (!file) return { activated: false, hint: "auto-start is not supported on this platform: run `runcode daemon start` after login" };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, o.platform === "linux" ? unitText(o) : plistText(o));
  if (o.platform === "linux") {
    const cmd = `systemctl --user daemon-reload && systemctl --user enable --now ${UNIT}`;
    if (!Bun.which("systemctl", { PATH: o.env.PATH ?? "" }) || !userBus(o.env))
      return { file, activated: false, hint: `no systemd user session here: run \`${cmd}\`` };
    const ok = run(["systemctl", "--user", "daemon-reload"]) && run(["systemctl", "--user", "enable", "--now", UNIT]);
    return ok ? { file, activated: true } : { file, activated: false, hint: `systemctl failed: run \`${cmd}\`` };
  }
  if (process.platform !== "darwin") return { file, activated: false, hint: `run \`launchctl load -w ${file}\` on the Mac` };
  return run(["launchctl", "load", "-w", file])
    ? { file, activated: true }
    : { file, activated: false, hint: `run \`launchctl load -w ${file}\`` };
}

export function removeAutostart(o: { platform: string; env: Record<string, string | undefined> }): string | undefined {
  const file = autostartFile(o.platform, o.env);
  if (!file || !existsSync(file)) return undefined;
  if (o.platform === "linux" && Bun.which("systemctl", { PATH: o.env.PATH ?? "" }) && userBus(o.env))
    run(["systemctl", "--user", "disable", "--now", UNIT]);
  if (o.platform === "darwin" && process.platform === "darwin") run(["launchctl", "unload", "-w", file]);
  rmSync(file, { force: true });
  return file;
}
