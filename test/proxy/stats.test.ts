// A real `runcode proxy` process records what it forwards, so `runcode stats` covers Claude Code's traffic too.
import { expect, test } from "bun:test";
import { startFakeGateway } from "../fake-gateway";
import { cliCommand, cliEnv, runCli, tempDir, waitFor } from "../helpers";

test("requests through the proxy show up in runcode stats", async () => {
  const gw = await startFakeGateway({
    script: [
      { text: "one", usage: { input: 40, output: 9 } },
      { text: "two", usage: { input: 60, output: 11 } },
    ],
  });
  const home = tempDir();
  const probe = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response() });
  const port = probe.port!;
  probe.stop(true);
  const proc = Bun.spawn([...cliCommand(), "proxy", "--port", String(port)], {
    cwd: home,
    env: cliEnv(home, { RUNCODE_API_URL: gw.url }),
    stdout: "ignore",
    stderr: "pipe",
    stdin: "ignore",
  });
  try {
    const url = `http://127.0.0.1:${port}`;
    await waitFor(
      async () =>
        proc.exitCode !== null ||
        (await fetch(`${url}/health`).then(
          (r) => r.ok,
          () => false,
        )),
      { timeoutMs: 15_000, what: `the proxy to answer ${url}/health` },
    );
    expect(proc.exitCode).toBeNull();
    for (const _ of [1, 2]) {
      const res = await fetch(`${url}/v1/messages`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: "nvidia/gpt-oss-120b", max_tokens: 50, messages: [{ role: "user", content: "hi" }] }),
      });
      expect(res.status).toBe(200);
      await res.json();
    }
  } finally {
    proc.kill("SIGTERM");
    await proc.exited;
    await gw.stop();
  }
  const stats = await runCli(["stats", "--json", "--by", "model"], { home });
  expect(stats.code).toBe(0);
  const s = JSON.parse(stats.stdout);
  expect(s.total).toMatchObject({ requests: 2, input: 100, output: 20, errors: 0 });
  expect(s.groups).toEqual([expect.objectContaining({ key: "nvidia/gpt-oss-120b", requests: 2 })]);
});
