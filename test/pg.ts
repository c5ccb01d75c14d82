// A real PostgreSQL server for tests: Debian's `postgresql` package (installed by `npm test`'s pretest), run as an
// unprivileged user on a temporary data directory and a random loopback port, with a password (so the tests can show
// it never reaches a log). Stopped and restarted on demand; removed when the test process exits.
import { chownSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { postgresBin, requireDeps } from "../scripts/test-deps";

export type Postgres = {
  url: string;
  password: string;
  port: number;
  stop: () => Promise<void>;
  start: () => Promise<void>;
  remove: () => Promise<void>;
};

const freePort = () => {
  const s = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = s.port;
  s.stop(true);
  return port;
};

export async function startPostgres(): Promise<Postgres> {
  requireDeps("postgresql");
  const bin = postgresBin() ?? "";
  const exe = (name: string) => (bin ? join(bin, name) : name);
  const dir = mkdtempSync(join(tmpdir(), "runcode-pg-"));
  const data = join(dir, "data");
  const password = `pw-${crypto.randomUUID()}`;
  // PostgreSQL refuses to run as root: as root, the server runs as the package's own `postgres` user.
  const asRoot = process.getuid?.() === 0;
  const as = (cmd: string[]) => (asRoot ? ["runuser", "-u", "postgres", "--", ...cmd] : cmd);
  if (asRoot) {
    const pw = Bun.spawnSync(["id", "-u", "postgres"]).stdout.toString().trim();
    chownSync(dir, Number(pw), Number(pw));
  }
  await Bun.write(join(dir, "pw"), password);
  if (asRoot) Bun.spawnSync(["chown", "postgres", join(dir, "pw")]);
  const init = Bun.spawnSync(
    as([exe("initdb"), "-D", data, "-U", "runcode", "--pwfile", join(dir, "pw"), "--auth=scram-sha-256", "-E", "UTF8"]),
    {
      stdout: "pipe",
      stderr: "pipe",
    },
  );
  if (init.exitCode !== 0) throw new Error(`initdb failed: ${init.stderr}`);
  const port = freePort();
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  const ctl = (args: string[]) => {
    const r = Bun.spawnSync(as([exe("pg_ctl"), "-D", data, ...args]), { stdout: "pipe", stderr: "pipe" });
    if (r.exitCode !== 0) throw new Error(`pg_ctl ${args[0]} failed: ${r.stderr}${r.stdout}`);
  };
  let running = false;
  // pg_ctl waits (-w) until the server accepts connections, or has shut down.
  const start = async () => {
    ctl(["start", "-w", "-l", join(dir, "log"), "-o", opts]);
    running = true;
  };
  const stop = async () => {
    if (!running) return;
    ctl(["stop", "-w", "-m", "fast"]); // in-flight transactions rolled back, connections dropped
    running = false;
  };
  await start();
  process.once("exit", () => {
    if (running) Bun.spawnSync(as([exe("pg_ctl"), "-D", data, "stop", "-m", "immediate"]));
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    url: `postgres://runcode:${password}@127.0.0.1:${port}/postgres`,
    password,
    port,
    stop,
    start,
    remove: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
