// `runcode init` / `uninit` in a temp HOME: other settings untouched, the previous state restored exactly.
import { afterEach, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { plistText, unitText } from "../../src/proxy/autostart";
import { cleanup, runCli, tempDir } from "../helpers";

let home = "";
afterEach(() => cleanup(home));

const settingsFile = () => join(home, ".claude", "settings.json");
const read = () => JSON.parse(readFileSync(settingsFile(), "utf8"));

describe("init / uninit", () => {
  test("round trip: our env keys set, other keys and env vars untouched, previous values restored, new keys removed", async () => {
    home = tempDir("runcode-init-");
    mkdirSync(join(home, ".claude"));
    const before = {
      model: "opus",
      permissions: { allow: ["Bash(git *)"] },
      env: { ANTHROPIC_MODEL: "claude-opus-4-1", KEEP_ME: "1" },
      hooks: {},
    };
    const text = `${JSON.stringify(before, null, 2)}\n`;
    writeFileSync(settingsFile(), text);
    const init = await runCli(["init", "--port", "9911"], { home });
    expect(init.code).toBe(0);
    const after = read();
    expect(after.env).toEqual({
      ANTHROPIC_MODEL: "blockrun/auto",
      KEEP_ME: "1",
      ANTHROPIC_BASE_URL: "http://localhost:9911/api",
      ANTHROPIC_AUTH_TOKEN: "x402-proxy-handles-auth",
      ANTHROPIC_DEFAULT_SONNET_MODEL: "anthropic/claude-sonnet-4.6",
      ANTHROPIC_DEFAULT_OPUS_MODEL: "anthropic/claude-opus-4.6",
      ANTHROPIC_DEFAULT_HAIKU_MODEL: "anthropic/claude-haiku-4.5",
    });
    expect({ ...after, env: undefined }).toEqual({ ...before, env: undefined });
    // a second init must not overwrite the backup with our own values
    expect((await runCli(["init", "--port", "9911"], { home })).code).toBe(0);
    const un = await runCli(["uninit"], { home });
    expect(un.code).toBe(0);
    expect(readFileSync(settingsFile(), "utf8")).toBe(text);
    expect((await runCli(["uninit"], { home })).stdout).toContain("nothing to restore");
  });

  test("without a settings file, uninit removes what init created", async () => {
    home = tempDir("runcode-init-");
    expect((await runCli(["init", "--no-autostart"], { home })).code).toBe(0);
    expect(read().env.ANTHROPIC_BASE_URL).toBe("http://localhost:8402/api");
    expect(existsSync(join(home, ".config", "systemd"))).toBe(false);
    await runCli(["uninit"], { home });
    expect(existsSync(join(home, ".claude"))).toBe(false);
  });

  test("a proxy token configured is what Claude Code sends; corrupt settings are never overwritten", async () => {
    home = tempDir("runcode-init-");
    await runCli(["config", "set", "proxy-token", "tok123"], { home });
    await runCli(["init", "--no-autostart"], { home });
    expect(read().env.ANTHROPIC_AUTH_TOKEN).toBe("tok123");
    writeFileSync(settingsFile(), "{ not json");
    const bad = await runCli(["init"], { home });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("not valid JSON");
    expect(readFileSync(settingsFile(), "utf8")).toBe("{ not json");
  });

  test("Linux: a systemd user unit is written; without a user bus the enable command is printed", async () => {
    home = tempDir("runcode-init-");
    const r = await runCli(["init"], { home, env: { XDG_RUNTIME_DIR: undefined, DBUS_SESSION_BUS_ADDRESS: undefined } });
    if (process.platform !== "linux") return;
    const unit = readFileSync(join(home, ".config", "systemd", "user", "runcode-proxy.service"), "utf8");
    expect(unit).toContain("proxy --port 8402");
    expect(unit).toContain("WantedBy=default.target");
    expect(unit).toContain(`Environment=RUNCODE_HOME=${home}`);
    expect(r.stderr).toContain("systemctl --user enable --now runcode-proxy.service");
    await runCli(["uninit"], { home });
    expect(existsSync(join(home, ".config", "systemd", "user", "runcode-proxy.service"))).toBe(false);
  });

  test("macOS LaunchAgent and systemd unit texts", () => {
    const o = {
      platform: "darwin",
      env: { RUNCODE_HOME: "/h & co" },
      cmd: ["/usr/local/bin/runcode"],
      port: 8402,
      log: "/h/logs/proxy.log",
    };
    const plist = plistText(o);
    expect(plist).toContain("<string>ai.blockrun.runcode</string>");
    expect(plist).toContain("<string>/usr/local/bin/runcode</string>\n    <string>proxy</string>");
    expect(plist).toContain("<key>RUNCODE_HOME</key><string>/h &amp; co</string>");
    expect(unitText({ ...o, cmd: ["/opt/my bun/bun", "/src/main.ts"] })).toContain(
      'ExecStart="/opt/my bun/bun" /src/main.ts proxy --port 8402',
    );
  });
});
