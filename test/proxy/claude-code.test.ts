// The real Claude Code CLI (`claude -p`, dev dependency) through the proxy against the fake gateway. Its HOME is a
// temp dir and every non-essential network feature is off, so it talks only to the proxy on loopback.
import { afterEach, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { cleanup, ROOT, tempDir } from "../helpers";
import { proxyRig, type ProxyRig } from "./setup";

const CLAUDE = join(ROOT, "node_modules", ".bin", "claude");
let r: ProxyRig | undefined;
let home = "";
afterEach(async () => {
  await r?.stop();
  cleanup(home);
});

async function claude(args: string[]) {
  home = tempDir("runcode-claude-");
  const proc = Bun.spawn([CLAUDE, "-p", ...args], {
    cwd: home,
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: home,
      ANTHROPIC_BASE_URL: `${r!.url}/api`,
      ANTHROPIC_AUTH_TOKEN: "x402-proxy-handles-auth",
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
      DISABLE_TELEMETRY: "1",
      DISABLE_AUTOUPDATER: "1",
      DISABLE_ERROR_REPORTING: "1",
      CLAUDE_CODE_USE_BEDROCK: "",
    },
    stdout: "pipe",
    stderr: "pipe",
  });
  const timer = setTimeout(() => proc.kill("SIGKILL"), 60_000);
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  clearTimeout(timer);
  return { out, err, code };
}

test("claude -p with its defaults (Opus, its own max_tokens) answers through a proxy with the default limits, for under $0.25", async () => {
  if (!existsSync(CLAUDE)) throw new Error("node_modules/.bin/claude is missing: run npm install");
  r = await proxyRig({ paid: true, script: Array.from({ length: 6 }, () => ({ text: "pong" })) });
  const { out, err, code } = await claude(["say pong"]);
  expect({ code, out: out.trim(), err: err.slice(0, 500) }).toMatchObject({ code: 0, out: "pong" });
  const main = r.gw.calls().find((c) => c.body.model === "anthropic/claude-opus-4.6" && c.headers["payment-signature"]);
  expect(main).toBeDefined();
  // Claude Code asked for far more; what was paid for is the budget that fits "say pong".
  expect(main!.body.max_tokens).toBeLessThanOrEqual(4096);
  const usd = r.pay!.x402.settled.reduce((n, p) => n + Number(p.amount), 0) / 1e6;
  expect(usd).toBeGreaterThan(0);
  expect(usd).toBeLessThanOrEqual(0.25);
}, 90_000);

test("a payment runcode refuses reaches Claude Code as runcode's one line, once: no login screen, no retry storm", async () => {
  if (!existsSync(CLAUDE)) throw new Error("node_modules/.bin/claude is missing: run npm install");
  r = await proxyRig({ paid: true, script: [{ text: "never" }], config: { "max-usd-per-request": 0.01 } });
  const { out, code } = await claude(["say pong"]);
  expect(code).toBe(1);
  expect(out.trim()).toMatch(
    /^API Error: 402 refused to pay \$0\.\d+ for anthropic\/claude-opus-4\.6: over max-usd-per-request \(\$0\.01\): raise it with `runcode config set max-usd-per-request \d+(\.\d+)?`, or use a cheaper model$/,
  );
  expect(out).not.toMatch(/login|\/login|API key/i);
  // Each attempt is one unpaid 402 from the gateway; nothing was signed.
  expect(r.pay!.x402.settled).toEqual([]);
  expect(r.gw.calls().length).toBeLessThanOrEqual(2);
}, 90_000);

test("a wallet with no USDC reaches Claude Code as runcode's one line with the fix, once: no login screen, no retry storm", async () => {
  if (!existsSync(CLAUDE)) throw new Error("node_modules/.bin/claude is missing: run npm install");
  // fake-x402 reads balances when it verifies, so the rig's wallet (made by the rig) can be emptied after.
  const balances: Record<string, bigint> = {};
  r = await proxyRig({ paid: true, script: [{ text: "never" }], x402: { balances } });
  const address = r.pay!.address;
  balances[address] = 0n;
  const { out, code } = await claude(["say pong"]);
  expect(code).toBe(1);
  // The price is the gateway's quote for Claude Code's request: only its digits vary.
  expect(out.trim().replace(/\$0\.\d+/, "$0.…")).toBe(
    `API Error: 402 the wallet ${address} has too little USDC on Base for this request of $0.… (Payment verification failed: Insufficient balance): ` +
      `fund ${address} on Base with USDC (check with \`runcode balance\`), or use a free model with -m free`,
  );
  expect(out).not.toMatch(/login|\/login|API key/i);
  // One attempt: the unpaid 402, then the signed request the gateway refused as unfunded; nothing was settled.
  expect(r.pay!.x402.rejected).toEqual(["Insufficient balance"]);
  expect(r.pay!.x402.settled).toEqual([]);
  expect(r.gw.calls().length).toBe(2);
}, 90_000);

test("claude -p answers through the proxy; native ids mapped, headers passed through", async () => {
  // A dev dependency: `npm install` brings it, so its absence is a broken install, not a reason to skip.
  if (!existsSync(CLAUDE)) throw new Error("node_modules/.bin/claude is missing: run npm install");
  r = await proxyRig({ script: Array.from({ length: 6 }, () => ({ text: "PROXY-OK from the fake gateway" })) });
  const { out, err, code } = await claude(["say hi", "--model", "claude-sonnet-4-6"]);
  expect({ code, out: out.trim(), err: err.slice(0, 500) }).toMatchObject({ code: 0, out: "PROXY-OK from the fake gateway" });
  const calls = r.gw.calls();
  expect(calls.length).toBeGreaterThan(0);
  const main = calls.find((c) => c.body.model === "anthropic/claude-sonnet-4.6")!;
  expect(main).toBeDefined();
  expect(main.headers["anthropic-version"]).toBe("2023-06-01");
  expect(main.body.stream).toBe(true);
}, 90_000);
