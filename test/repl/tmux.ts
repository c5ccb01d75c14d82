// The real CLI in a real pseudo-terminal (tmux): the compiled binary when RUNCODE_TEST_BIN is set, else the source.
// One tmux server per `Pty`, its session `s`; the command runs under `sh`, which writes the CLI's exit code to a file
// when it ends, so a test can assert both that the REPL exited and with which code. The pane stays (its shell then
// sleeps until `stop()`), so what the CLI left on the screen can still be read after it exited.
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type FakeGateway, type FakeOptions, type Script, startFakeGateway } from "../fake-gateway";
import { cleanup, cliCommand, cliEnv, tempDir } from "../helpers";
import { walletEnv } from "../wallet";

let n = 0;

export class Pty {
  readonly sock = `runcode-pty-${process.pid}-${n++}`;
  gw?: FakeGateway;
  home = "";
  cwd = "";
  private codeFile = "";
  private readonly dirs: string[] = [];

  tmux(...args: string[]) {
    return Bun.spawnSync(["tmux", "-L", this.sock, ...args], { stdout: "pipe", stderr: "pipe" });
  }

  /** What the pane shows, with its scrollback (wrapped lines joined). */
  screen(): string {
    return this.tmux("capture-pane", "-p", "-J", "-t", "s", "-S", "-300").stdout.toString();
  }

  keys(...k: string[]) {
    return this.tmux("send-keys", "-t", "s", ...k);
  }

  alive(): boolean {
    return this.tmux("has-session", "-t", "s").exitCode === 0;
  }

  async until(what: string | RegExp, ms = 15_000): Promise<string> {
    const t0 = Date.now();
    for (;;) {
      const s = this.screen();
      if (typeof what === "string" ? s.includes(what) : what.test(s)) return s;
      if (Date.now() - t0 > ms) throw new Error(`pty: timed out waiting for ${what}\n${s}`);
      await Bun.sleep(25);
    }
  }

  /** Starts `runcode …flags` against a fake gateway serving `script`, in a temp home and git project. */
  async start(
    script: Script[],
    flags: string[] = [],
    o: { env?: Record<string, string | undefined>; home?: string; gateway?: FakeOptions; width?: number } = {},
  ) {
    this.gw = await startFakeGateway({ ...o.gateway, script });
    this.home = o.home ?? tempDir("runcode-pty-home-");
    this.cwd = tempDir("runcode-pty-proj-");
    this.dirs.push(this.home, this.cwd);
    mkdirSync(join(this.cwd, ".git"), { recursive: true });
    this.codeFile = join(tempDir("runcode-pty-code-"), "code");
    const env = cliEnv(this.home, {
      RUNCODE_API_URL: this.gw.url,
      TERM: "xterm-256color",
      NO_COLOR: undefined,
      RUNCODE_NO_RIPGREP: "1",
      ...walletEnv(),
      ...o.env,
    });
    const q = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;
    const cmd = `cd ${q(this.cwd)} && env -i ${Object.entries(env)
      .map(([k, v]) => q(`${k}=${v}`))
      .join(" ")} ${[...cliCommand(), ...flags].map(q).join(" ")}; echo $? > ${q(this.codeFile)}; exec sleep 3600`;
    const r = this.tmux("new-session", "-d", "-s", "s", "-x", String(o.width ?? 110), "-y", "50", cmd);
    if (r.exitCode !== 0) throw new Error(`tmux new-session failed: ${r.stderr.toString()}`);
  }

  /** The CLI's exit code, once it has exited; throws after `timeoutMs` naming what did not happen. */
  async exitCode(timeoutMs = 5000): Promise<number> {
    const code = () => (existsSync(this.codeFile) ? readFileSync(this.codeFile, "utf8").trim() : "");
    const deadline = performance.now() + timeoutMs;
    while (!code()) {
      if (performance.now() > deadline) throw new Error(`pty: the REPL did not exit within ${timeoutMs} ms; the screen:\n${this.screen()}`);
      await Bun.sleep(20);
    }
    return Number(code());
  }

  async stop() {
    this.tmux("kill-server");
    await this.gw?.stop();
    this.gw = undefined;
    cleanup(...this.dirs.splice(0));
  }
}
