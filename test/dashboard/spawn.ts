// `runcode dashboard --port 0` as a process (the compiled binary in CI), its URL read from its own stderr line.
import type { Subprocess } from "bun";
import { cliCommand, cliEnv, waitFor } from "../helpers";

export type Dashboard = {
  url: string;
  origin: string;
  proc: Subprocess<"ignore", "pipe", "pipe">;
  lines: string[];
  stop: () => Promise<number>;
};

export async function startDashboardCli(home: string, args: string[] = []): Promise<Dashboard> {
  const proc = Bun.spawn([...cliCommand(), "dashboard", "--port", "0", ...args], {
    cwd: home,
    env: cliEnv(home),
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
  })();
  const url = await waitFor(
    () => {
      if (proc.exitCode !== null) throw new Error(`runcode dashboard exited ${proc.exitCode}: ${lines.join("\n")}`);
      return lines.map((l) => /runcode dashboard on (\S+)/.exec(l)?.[1]).find(Boolean) ?? "";
    },
    { what: "runcode dashboard to listen", timeoutMs: 15_000 },
  );
  return {
    url,
    origin: new URL(url).origin,
    proc,
    lines,
    stop: async () => {
      if (proc.exitCode === null) proc.kill("SIGTERM");
      return proc.exited;
    },
  };
}
