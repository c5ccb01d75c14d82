// A team machine for tests: a temp home with a wallet, the fake gateway with the x402 server side, `runcode team
// init`, developers added through the real CLI, and `runcode team serve` spawned as a process (the compiled binary
// in CI), its port read from its own "listening on" line. Loopback only.
import type { Subprocess } from "bun";
import { cliCommand, cliEnv, runCli, tempDir, waitFor } from "../helpers";
import { startFakeGateway, type FakeGateway, type Script } from "../fake-gateway";
import { fakeX402, type X402Options } from "../fake-x402";
import { walletEnv } from "../wallet";

export type Team = {
  home: string;
  gw: FakeGateway;
  x402: ReturnType<typeof fakeX402>;
  admin: string;
  env: Record<string, string>;
  /** Runs `runcode team …` on the team machine. */
  team: (args: string[], env?: Record<string, string>) => ReturnType<typeof runCli>;
  /** Adds a developer and returns their token. */
  add: (email: string, ...flags: string[]) => Promise<string>;
};

/**
 * `db`: the team store (`team-db`): a postgres:// URL of an empty database (see `freshDatabase`), or undefined for
 * team.db in the home. `home`: another machine's home on the same team database (a second server).
 */
export async function teamMachine(
  o: {
    script?: Script[];
    x402?: X402Options;
    config?: Record<string, string>;
    db?: string;
    init?: boolean;
    gw?: { gw: FakeGateway; x402: ReturnType<typeof fakeX402> };
  } = {},
): Promise<Team> {
  const x402 = o.gw?.x402 ?? fakeX402(o.x402);
  const gw = o.gw?.gw ?? (await startFakeGateway({ intercept: x402.intercept, script: o.script ?? [] }));
  const home = tempDir("runcode-team-");
  const env = { RUNCODE_API_URL: gw.url, ...walletEnv() };
  const team = (args: string[], extra: Record<string, string> = {}) => runCli(["team", ...args], { home, env: { ...env, ...extra } });
  for (const [k, v] of Object.entries({ ...o.config, ...(o.db ? { "team-db": o.db } : {}) })) {
    const r = await runCli(["config", "set", k, v], { home });
    if (r.code !== 0) throw new Error(r.stderr);
  }
  const init = o.init === false ? { stdout: "" } : await team(["init"]);
  if ("code" in init && init.code !== 0) throw new Error(`team init failed: ${init.stderr}`);
  const add = async (email: string, ...flags: string[]) => {
    const r = await team(["add", email, ...flags]);
    if (r.code !== 0) throw new Error(`team add failed: ${r.stderr}`);
    return r.stdout.trim();
  };
  return { home, gw, x402, admin: init.stdout.trim(), env, team, add };
}

export type Served = {
  url: string;
  port: number;
  proc: Subprocess<"ignore", "pipe", "pipe">;
  lines: string[];
  stop: () => Promise<number>;
};

/** `runcode team serve` on the team machine; resolves once it listens. */
export async function serve(t: Team, args: string[] = [], extra: Record<string, string> = {}): Promise<Served> {
  const proc = Bun.spawn([...cliCommand(), "team", "serve", "--port", "0", ...args], {
    cwd: t.home,
    env: cliEnv(t.home, { ...t.env, ...extra }),
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  const lines: string[] = [];
  void (async () => {
    const decoder = new TextDecoder();
    let buf = "";
    for await (const chunk of proc.stderr) {
      buf += decoder.decode(chunk, { stream: true });
      const parts = buf.split("\n");
      buf = parts.pop() ?? "";
      lines.push(...parts);
    }
    if (buf) lines.push(buf);
  })();
  const listening: string = await waitFor(
    () => {
      if (proc.exitCode !== null) throw new Error(`team serve exited ${proc.exitCode}: ${lines.join("\n")}`);
      return lines.map((l) => /listening on (\S+)/.exec(l)?.[1]).find(Boolean) ?? "";
    },
    { what: "team serve to listen", timeoutMs: 15_000 },
  );
  const port = Number(new URL(listening).port);
  const scheme = new URL(listening).protocol;
  return {
    url: `${scheme}//127.0.0.1:${port}`,
    port,
    proc,
    lines,
    stop: async () => {
      if (proc.exitCode === null) proc.kill("SIGTERM");
      return proc.exited;
    },
  };
}

/** A request to the team server as a client sends it. */
export function call(url: string, token: string | undefined, body: unknown, o: { path?: string; headers?: Record<string, string> } = {}) {
  return fetch(`${url}${o.path ?? "/v1/messages"}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}), ...o.headers },
    body: JSON.stringify(body),
  });
}

export const message = (model: string, text = "hi", max_tokens = 256) => ({
  model,
  max_tokens,
  messages: [{ role: "user", content: text }],
});

/** An empty database on a test PostgreSQL server, as a URL (each team machine gets its own). */
export async function freshDatabase(serverUrl: string): Promise<string> {
  const { SQL } = await import("bun");
  const name = `team_${crypto.randomUUID().replace(/-/g, "").slice(0, 12)}`;
  const sql = new SQL(serverUrl, { max: 1 });
  await sql.unsafe(`CREATE DATABASE ${name}`);
  await sql.close();
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return u.toString();
}
