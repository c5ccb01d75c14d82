// `runcode daemon start|stop|status|restart|logs`: the proxy in the background.
import { out } from "../cli/io";
import { defineCommand } from "citty";
import { closeSync, existsSync, openSync, readFileSync } from "node:fs";
import { context } from "../cli/context";
import { runEnv } from "../cli/secrets";
import { ui } from "../cli/ui";
import { ActionableError, EXIT } from "../core/errors";
import { privateFile, writePrivate } from "../core/private";
import { alive, clearDaemon, daemonFiles, health, readDaemon, selfCommand, waitFor, type DaemonFiles } from "../proxy/daemon";
import { rotateIfLarge } from "../proxy/logfile";

const startArgs = {
  port: { type: "string", alias: "p", description: "port (default 8402, config proxy-port)" },
  model: { type: "string", alias: "m", description: "use this model for every request" },
  fallback: { type: "boolean", default: true, description: "--no-fallback: never try another model" },
} as const;

const line = (s: string) => out(`${s}\n`);

function proxyFlags(a: { port?: string; model?: string; fallback?: boolean }, port: number): string[] {
  return ["--port", String(port), ...(a.model ? ["--model", a.model] : []), ...(a.fallback === false ? ["--no-fallback"] : [])];
}

async function start(f: DaemonFiles, flags: string[], port: number): Promise<number> {
  const cur = readDaemon(f);
  if (cur.state) {
    line(`runcode proxy is already running (pid ${cur.state.pid}, port ${cur.state.port})`);
    return EXIT.ok;
  }
  if (cur.stale) ui.info("removed a stale pid file");
  privateFile(f.log); // logs/ 0700 and the log 0600 before it is rotated (the pid file's write sets the home's mode)
  rotateIfLarge(f.log);
  // stderr goes to the log too, so a crash at startup leaves its message there.
  const fd = openSync(f.log, "a", 0o600);
  const proc = Bun.spawn([...selfCommand(), "proxy", ...flags, "--log-file", f.log], {
    detached: true,
    stdio: ["ignore", fd, fd],
    env: runEnv(),
  }); // the proxy child needs the wallet key variables
  closeSync(fd);
  proc.unref();
  writePrivate(f.pid, `${proc.pid}\n`);
  writePrivate(f.state, JSON.stringify({ pid: proc.pid, port, args: flags, started: Date.now() }));
  const up = await waitFor(async () => proc.exitCode !== null || (await health(port, 500))?.pid === proc.pid, 15_000);
  if (!up || proc.exitCode !== null) {
    clearDaemon(f);
    if (alive(proc.pid)) process.kill(proc.pid, "SIGKILL");
    const tail = existsSync(f.log) ? readFileSync(f.log, "utf8").trim().split("\n").slice(-3).join(" | ") : "";
    throw new ActionableError(
      `the proxy did not start${tail ? ` (${tail})` : ""}`,
      `see ${f.log}, or run \`runcode proxy\` in the foreground`,
      "internal",
    );
  }
  line(`runcode proxy started (pid ${proc.pid}) on http://localhost:${port}`);
  return EXIT.ok;
}

async function stop(f: DaemonFiles, quiet = false): Promise<number> {
  const cur = readDaemon(f);
  if (!cur.state) {
    if (!quiet) line(cur.stale ? "runcode proxy is not running (removed a stale pid file)" : "runcode proxy is not running");
    return EXIT.ok;
  }
  const { pid } = cur.state;
  process.kill(pid, "SIGTERM"); // the proxy drains in-flight answers (10 s), then exits
  if (!(await waitFor(() => !alive(pid), 15_000))) process.kill(pid, "SIGKILL");
  clearDaemon(f);
  if (!quiet) line(`runcode proxy stopped (pid ${pid})`);
  return EXIT.ok;
}

export default defineCommand({
  meta: { name: "daemon", description: "Run the proxy in the background: start, stop, status, restart, logs" },
  subCommands: {
    start: defineCommand({
      meta: { name: "start", description: "Start the proxy in the background" },
      args: startArgs,
      run: ({ args }) => {
        const ctx = context();
        const port = args.port ? Number(args.port) : (ctx.get("proxy-port") as number);
        return start(daemonFiles(ctx.paths), proxyFlags(args, port), port);
      },
    }),
    stop: defineCommand({
      meta: { name: "stop", description: "Stop the background proxy (in-flight answers finish first)" },
      run: () => stop(daemonFiles(context().paths)),
    }),
    restart: defineCommand({
      meta: { name: "restart", description: "Stop and start again with the same flags (or new ones)" },
      args: startArgs,
      run: async ({ args, rawArgs }) => {
        const ctx = context();
        const f = daemonFiles(ctx.paths);
        const prev = readDaemon(f).state;
        const port = args.port ? Number(args.port) : (prev?.port ?? (ctx.get("proxy-port") as number));
        const flags = rawArgs.length || !prev ? proxyFlags(args, port) : prev.args;
        await stop(f, true);
        return start(f, flags, port);
      },
    }),
    status: defineCommand({
      meta: { name: "status", description: "Whether the proxy runs, from its health endpoint (exit 1 when not)" },
      args: { json: { type: "boolean", description: "print the health answer as JSON" } },
      run: async ({ args }) => {
        const f = daemonFiles(context().paths);
        const cur = readDaemon(f);
        const h = cur.state ? await health(cur.state.port) : undefined;
        if (args.json) line(JSON.stringify({ running: !!h, pid: cur.state?.pid ?? null, ...(h ? { health: h } : {}) }));
        else if (!cur.state) line("runcode proxy is not running");
        else if (!h) line(`runcode proxy (pid ${cur.state.pid}) is not answering on port ${cur.state.port}`);
        else
          line(
            `runcode proxy ${h.version} running (pid ${h.pid}) on http://localhost:${h.port}, ${h.chain}, wallet ${h.wallet ?? "none"}, up ${h.uptime}s`,
          );
        return h ? EXIT.ok : EXIT.failure;
      },
    }),
    logs: defineCommand({
      meta: { name: "logs", description: "Show the background proxy's request log" },
      args: {
        lines: { type: "string", alias: "n", description: "how many lines (default 50)" },
        follow: { type: "boolean", alias: "f", description: "keep printing new lines" },
      },
      run: async ({ args }) => {
        const { log } = daemonFiles(context().paths);
        if (!existsSync(log)) {
          line(`no log yet (${log})`);
          return EXIT.ok;
        }
        let text = readFileSync(log, "utf8");
        line(
          `${text
            .trimEnd()
            .split("\n")
            .slice(-(Number(args.lines) || 50))
            .join("\n")}\n`,
        );
        while (args.follow) {
          await Bun.sleep(500);
          const next = existsSync(log) ? readFileSync(log, "utf8") : "";
          line(next.length >= text.length ? next.slice(text.length) : next); // rotated: start over
          text = next;
        }
        return EXIT.ok;
      },
    }),
  },
});
