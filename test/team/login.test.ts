// The developer's side of a team: `runcode login` on a machine with no wallet, then ask, balance, wallet and doctor
// through the real team server (`runcode team serve`, spawned) in front of the fake gateway with the x402 server
// side. The team's wallet pays; the developer's token reaches the team server only, and no file but the login.
import { afterEach, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { cleanup, cliCommand, cliEnv, runCli, tempDir, waitFor, type RunResult } from "../helpers";
import { serve, teamMachine, type Served, type Team } from "./setup";

const SONNET = "anthropic/claude-sonnet-4.6";
const PRICE = 10_000n; // $0.01 a request
let t: Team | undefined;
let s: Served | undefined;
const homes: string[] = [];
afterEach(async () => {
  await s?.stop();
  await t?.gw.stop();
  cleanup(...homes.splice(0), ...(t ? [t.home] : []));
  t = s = undefined;
});

/** Every regular file under `dir`. */
const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));

/** A developer's machine: its own home, no wallet; every run's output is kept to be searched for the token. */
function developer() {
  const home = tempDir("runcode-dev-");
  homes.push(home);
  const seen: RunResult[] = [];
  const run = async (args: string[], env?: Record<string, string>) => {
    const r = await runCli(args, { home, env });
    seen.push(r);
    return r;
  };
  return { home, login: join(home, "team-login.json"), run, seen };
}

/** The error line a failed command printed (and that there is exactly one). */
const errorLine = (r: RunResult) => {
  const lines = r.stderr.split("\n").filter((l) => l.startsWith("error:"));
  expect(lines).toHaveLength(1);
  return lines[0]!;
};

test("a developer with no wallet logs in: ask pays from the team wallet, balance shows the budget, revoke and logout end it", async () => {
  t = await teamMachine({ script: Array.from({ length: 3 }, () => ({ text: "team answer" })), x402: { price: PRICE } });
  const token = await t.add("a@example.com", "--budget", "1");
  s = await serve(t);
  const d = developer();
  const teamWallet = JSON.parse((await runCli(["wallet", "--json"], { home: t.home, env: t.env })).stdout).address as string;

  // A token the server does not know: refused in one line with the fix, nothing stored.
  const wrong = await d.run(["login", s.url, "--token", `rct_${"A".repeat(43)}`]);
  expect(wrong.code).not.toBe(0);
  expect(errorLine(wrong)).toMatch(/refused your token: .*ask your team admin for a new one/);
  expect(existsSync(d.login)).toBe(false);

  const login = await d.run(["login", s.url, "--token", token]);
  expect({ code: login.code, stderr: login.stderr }).toMatchObject({ code: 0, stderr: expect.stringContaining("as a@example.com") });
  expect(statSync(d.login).mode & 0o777).toBe(0o600);
  // Only what the login needs: no wallet key, no admin token.
  expect(JSON.parse(readFileSync(d.login, "utf8"))).toEqual({ url: s.url, email: "a@example.com", token });

  const ask = await d.run(["ask", "-m", SONNET, "hi"]);
  expect({ code: ask.code, out: ask.stdout.trim(), err: ask.stderr }).toMatchObject({
    code: 0,
    out: "team answer",
    err: expect.stringContaining("$0.0100"),
  });
  expect(t.x402.settled.map((p) => [p.payer.toLowerCase(), p.amount])).toEqual([[teamWallet.toLowerCase(), PRICE]]);
  for (const r of t.gw.requests) expect(JSON.stringify(r)).not.toContain(token);

  const balance = await d.run(["balance"]);
  expect({ code: balance.code, out: balance.stdout }).toEqual({ code: 0, out: "$0.99 of $1.00 left this week\n" });
  const json = JSON.parse((await d.run(["balance", "--json"])).stdout);
  expect(json).toMatchObject({ team: s.url, email: "a@example.com", budget: "$1.00", spent: "$0.01", left: "$0.99" });

  const wallet = await d.run(["wallet"]);
  expect({ code: wallet.code, out: wallet.stdout }).toEqual({ code: 0, out: `team ${s.url} (a@example.com)\n` });
  const doctor = JSON.parse((await d.run(["doctor", "--json"])).stdout) as {
    checks: Array<{ id: string; status: string; detail: string }>;
  };
  expect(doctor.checks.find((c) => c.id === "wallet")).toMatchObject({
    status: "ok",
    detail: expect.stringContaining(`team ${s.url} as a@example.com`),
  });
  expect(doctor.checks.find((c) => c.id === "gateway")).toMatchObject({ status: "ok", detail: expect.stringContaining(`${s.url}/api`) });
  // An explicit RUNCODE_API_URL wins over the login, and is never sent the token.
  const explicit = await d.run(["wallet"], { RUNCODE_API_URL: t.gw.url });
  expect({ out: explicit.stdout, err: explicit.stderr }).toEqual({
    out: "no base wallet; run `runcode setup` or `runcode wallet create`\n",
    err: "note: the team login is not used while RUNCODE_API_URL is set (unset it to use the team)\n",
  });

  // The token is in the login file and nowhere else the developer's runcode wrote.
  for (const f of filesUnder(d.home).filter((f) => f !== d.login))
    expect({ f, has: readFileSync(f, "latin1").includes(token) }).toEqual({ f, has: false });

  // Over budget: the team's refusal in its own words, exit 3, nothing paid.
  expect((await t.team(["budget", "a@example.com", "0.005"])).code).toBe(0);
  const over = await d.run(["ask", "-m", SONNET, "more"]);
  expect({ code: over.code, line: errorLine(over) }).toEqual({
    code: 3,
    line: "error: a@example.com has $0.00 of $0.005 left this week, and this request needs $0.01: ask your team admin to raise it (`runcode team budget a@example.com <usd>`), or use a free model with -m free",
  });

  // Revoked: the next request is refused in one line that names the way back.
  expect((await t.team(["revoke", "a@example.com"])).code).toBe(0);
  const revoked = await d.run(["ask", "-m", SONNET, "again"]);
  expect(revoked.code).not.toBe(0);
  expect(errorLine(revoked)).toMatch(
    /refused your token: this team token is not valid .*`runcode team rotate a@example\.com`.*`runcode login http:\/\/127\.0\.0\.1:\d+ --token <new token>`/,
  );
  expect(t.x402.settled).toHaveLength(1);

  // Logged out: back to no wallet, so a paid model is refused before anything is sent (exit 3).
  const logout = await d.run(["logout"]);
  expect({ code: logout.code, gone: existsSync(d.login) }).toEqual({ code: 0, gone: false });
  const calls = t.gw.calls().length;
  const paid = await d.run(["ask", "-m", SONNET, "hi"], { RUNCODE_API_URL: t.gw.url });
  expect({ code: paid.code, line: errorLine(paid) }).toMatchObject({ code: 3, line: expect.stringContaining("no wallet is set up") });
  expect(t.gw.calls().length).toBe(calls);

  for (const r of d.seen) expect(r.stdout + r.stderr).not.toContain(token);
  for (const f of filesUnder(d.home)) expect({ f, has: readFileSync(f, "latin1").includes(token) }).toEqual({ f, has: false });
}, 90_000);

test("login refuses a token in clear to a remote host, a server that does not answer, and an admin token; nothing is stored", async () => {
  const d = developer();
  const token = `rct_${"B".repeat(43)}`;
  const clear = await d.run(["login", "http://team.example:8403", "--token", token]);
  expect({ code: clear.code, line: errorLine(clear) }).toMatchObject({
    code: 2,
    line: expect.stringContaining("use https://team.example:8403"),
  });
  const down = await d.run(["login", "http://127.0.0.1:1", "--token", token]);
  expect({ code: down.code, line: errorLine(down) }).toMatchObject({
    code: 1,
    line: expect.stringContaining("cannot reach the team server at http://127.0.0.1:1"),
  });
  const admin = await d.run(["login", "https://team.example:8403", "--token", `rca_${"C".repeat(43)}`]);
  expect({ code: admin.code, line: errorLine(admin) }).toMatchObject({ code: 2, line: expect.stringContaining("admin token") });
  expect(existsSync(d.login)).toBe(false);
  for (const r of d.seen) expect(r.stdout + r.stderr).not.toContain(token);
});

test("runcode proxy on a developer's machine forwards to the team server with the token; the team pays", async () => {
  t = await teamMachine({ script: [{ text: "via proxy" }], x402: { price: PRICE } });
  const token = await t.add("p@example.com");
  s = await serve(t);
  const d = developer();
  expect((await d.run(["login", s.url, "--token", token])).code).toBe(0);
  const proc = Bun.spawn([...cliCommand(), "proxy", "--port", "0"], { cwd: d.home, env: cliEnv(d.home), stdout: "ignore", stderr: "pipe" });
  let stderr = "";
  void (async () => {
    for await (const chunk of proc.stderr) stderr += new TextDecoder().decode(chunk);
  })();
  try {
    const port = await waitFor(() => /listening on http:\/\/localhost:(\d+)/.exec(stderr)?.[1], { what: "the proxy to listen" });
    expect(stderr).toContain(`→ ${s.url}/api (team, as p@example.com)`);
    const res = await fetch(`http://127.0.0.1:${port}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: SONNET, max_tokens: 100, messages: [{ role: "user", content: "hi" }] }),
    });
    expect({
      status: res.status,
      usd: res.headers.get("x-runcode-usd"),
      text: ((await res.json()) as { content: Array<{ text: string }> }).content[0]!.text,
    }).toEqual({
      status: 200,
      usd: "0.010000",
      text: "via proxy",
    });
    expect(t.x402.settled.map((p) => p.amount)).toEqual([PRICE]);
    for (const r of t.gw.requests) expect(JSON.stringify(r)).not.toContain(token);
  } finally {
    proc.kill("SIGTERM");
    await proc.exited;
  }
  expect(stderr).not.toContain(token);
}, 60_000);

test("a self-signed team server: login without its certificate is refused with the fix; with RUNCODE_TEAM_CA it is kept for every run", async () => {
  t = await teamMachine({ script: [{ text: "over tls" }], x402: { price: PRICE } });
  const dir = tempDir("runcode-tls-");
  homes.push(dir);
  const [cert, key] = [join(dir, "cert.pem"), join(dir, "key.pem")];
  const made = Bun.spawnSync(
    ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1"].concat([
      "-subj",
      "/CN=localhost",
      "-addext",
      "subjectAltName=IP:127.0.0.1,DNS:localhost",
      "-keyout",
      key,
      "-out",
      cert,
    ]),
    { stderr: "pipe" },
  );
  expect(made.exitCode).toBe(0);
  const token = await t.add("tls@example.com");
  s = await serve(t, ["--host", "127.0.0.1", "--tls-cert", cert, "--tls-key", key]);
  expect(s.url).toStartWith("https://");
  const d = developer();

  const untrusted = await d.run(["login", s.url, "--token", token]);
  expect({ code: untrusted.code, line: errorLine(untrusted) }).toMatchObject({
    code: 1,
    line: expect.stringContaining("TLS certificate problem): for a self-signed certificate, set RUNCODE_TEAM_CA=<its PEM file>"),
  });
  expect(existsSync(d.login)).toBe(false);

  expect((await d.run(["login", s.url, "--token", token], { RUNCODE_TEAM_CA: cert })).code).toBe(0);
  expect(JSON.parse(readFileSync(d.login, "utf8"))).toMatchObject({ caFile: cert });
  const ask = await d.run(["ask", "-m", SONNET, "hi"]);
  expect({ code: ask.code, out: ask.stdout.trim(), err: ask.stderr }).toMatchObject({ code: 0, out: "over tls" });
  expect(t.x402.settled.map((p) => p.amount)).toEqual([PRICE]);
}, 60_000);

test("the agent's tools may not read the login file: Read and Bash are denied, the token is never sent", async () => {
  const d = developer();
  t = await teamMachine({
    script: [
      { tools: [{ name: "Read", input: { file_path: "team-login.json" } }] },
      { tools: [{ name: "Bash", input: { command: `cat ${d.login}` } }] },
      { text: "could not read it" },
    ],
  });
  const token = await t.add("r@example.com");
  s = await serve(t);
  expect((await d.run(["login", s.url, "--token", token])).code).toBe(0);
  const ask = await d.run(["ask", "--trust", "-m", SONNET, "read team-login.json"]);
  expect({ code: ask.code, out: ask.stdout.trim() }).toEqual({ code: 0, out: "could not read it" });
  // The tool results the model got back (each paid call is recorded twice: its 402, then the paid request).
  const results = [
    ...new Set(
      t.gw
        .calls()
        .map((c) => c.body.messages.at(-1).content[0])
        .filter((b) => b.type === "tool_result")
        .map((b) => String(b.content)),
    ),
  ];
  expect(results).toHaveLength(2);
  for (const r of results) expect(r).toMatch(/^Permission denied: .*(holds|names) .*no tool may/);
  for (const r of t.gw.requests) expect(JSON.stringify(r)).not.toContain(token);
}, 60_000);
