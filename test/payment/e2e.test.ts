// End to end: the real CLI pays the fake gateway on each chain, and the key never appears in anything runcode wrote.
import { afterEach, expect, test } from "bun:test";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { paths } from "../../src/core/home";
import { setLogFile } from "../../src/core/log";
import { cleanup, runCli, tempDir } from "../helpers";
import { startFakeGateway } from "../fake-gateway";
import { fakeX402 } from "../fake-x402";
import { ask, ledgerRows, rig, type Rig } from "./setup";

const dirs: string[] = [];
let r: Rig | undefined;
afterEach(async () => {
  await r?.gw.stop();
  r = undefined;
  cleanup(...dirs.splice(0));
});

/** Every file under the home dir except the key files themselves. */
function written(home: string): string {
  const p = paths(home);
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const f = join(d, name);
      if (statSync(f).isDirectory()) walk(f);
      else if (f !== p.evmKey && f !== p.solanaKey) out.push(readFileSync(f).toString("latin1"));
    }
  };
  walk(home);
  return out.join("\n");
}
const secretForms = (secret: string) => [secret, secret.replace(/^0x/, ""), secret.replace(/^0x/, "").toUpperCase()];

test("the key never appears in the log, ledger or events of paid and failed payments", async () => {
  for (const chain of ["base", "solana"] as const) {
    r = await rig({ chain, script: [{ text: "a" }] });
    dirs.push(r.home);
    setLogFile(paths(r.home).log);
    await ask(r.gateway);
    await ask(r.gateway, "anthropic/claude-opus-4.6").catch(() => {}); // no script left: still logged
    setLogFile("");
    const all = written(r.home) + JSON.stringify(r.events, (_, v) => (typeof v === "bigint" ? String(v) : v));
    expect(all).toContain(r.address);
    for (const s of secretForms(r.secret)) expect(all).not.toContain(s);
    await r.gw.stop();
    r = undefined;
  }
});

test("runcode ask pays on Base and Solana; ledger matches the gateway; key in no output", async () => {
  for (const chain of ["base", "solana"] as const) {
    const home = tempDir();
    dirs.push(home);
    const created = await runCli(["wallet", "create", "--chain", chain], { home });
    await runCli(["wallet", "chain", chain], { home });
    const secret = readFileSync(chain === "base" ? paths(home).evmKey : paths(home).solanaKey, "utf8").trim();
    const x402 = fakeX402();
    const gw = await startFakeGateway({ intercept: x402.intercept, script: [{ text: "paid hello" }] });
    const res = await runCli(["ask", "--jsonl", "-m", "anthropic/claude-sonnet-4.6", "hi"], { home, env: { RUNCODE_API_URL: gw.url } });
    await gw.stop();
    expect(res.code).toBe(0);
    const events = res.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const settled = events.find((e) => e.type === "payment.settled");
    expect(x402.settled).toHaveLength(1);
    expect(settled).toMatchObject({ amount: x402.settled[0]!.amount.toString(), tx: x402.settled[0]!.tx });
    expect(events.at(-1)).toMatchObject({ type: "result", ok: true, usd: Number(x402.settled[0]!.amount) / 1e6 });
    expect(ledgerRows(home).map((x) => [x.status, x.amount, x.tx])).toEqual([["settled", x402.settled[0]!.amount, x402.settled[0]!.tx]]);
    const everything = created.stdout + created.stderr + res.stdout + res.stderr + written(home);
    for (const s of secretForms(secret)) expect(everything).not.toContain(s);
    // Nothing on the user's terminal but runcode's own lines (bigint-buffer's "Failed to load bindings" among others).
    expect(res.stderr).not.toContain("bigint:");
  }
}, 30_000);

test("runcode ask refused by a guard exits 3 with the limit in one line", async () => {
  const home = tempDir();
  dirs.push(home);
  await runCli(["wallet", "create"], { home });
  await runCli(["config", "set", "max-usd-per-request", "0.001"], { home });
  const x402 = fakeX402();
  const gw = await startFakeGateway({ intercept: x402.intercept });
  const res = await runCli(["ask", "-m", "anthropic/claude-sonnet-4.6", "hi"], { home, env: { RUNCODE_API_URL: gw.url } });
  await gw.stop();
  expect(res.code).toBe(3);
  expect(res.stderr).toContain("max-usd-per-request");
  expect(x402.settled).toEqual([]);
}, 20_000);
