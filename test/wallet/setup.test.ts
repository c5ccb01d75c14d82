import { afterEach, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { PassThrough } from "node:stream";
import { join } from "node:path";
import { paths } from "../../src/core/home";
import { runSetup } from "../../src/money/wallet/setup";
import { startFakeGateway } from "../fake-gateway";
import { cleanup, runCli, tempDir, waitFor } from "../helpers";

const dirs: string[] = [];
afterEach(() => cleanup(...dirs.splice(0)));
const home = () => {
  const h = tempDir();
  dirs.push(h);
  return h;
};

test("scripted: --chain base --import-key-file F --yes, with a test call on a free model through the gateway", async () => {
  const h = home();
  const gw = await startFakeGateway({ script: [{ text: "OK" }] });
  const f = join(h, "key.txt");
  writeFileSync(f, "0x" + "ab".repeat(32));
  const r = await runCli(["setup", "--chain", "base", "--import-key-file", f, "--yes"], { home: h, env: { RUNCODE_API_URL: gw.url } });
  await gw.stop();
  expect(r.code).toBe(0);
  expect(r.stderr).toContain("test call on a free model: ok (nvidia/");
  expect(gw.calls()[0]!.body.model).toMatch(/^nvidia\//);
  expect(readFileSync(paths(h).chain, "utf8")).toBe("base\n");
  expect(r.stdout + r.stderr).not.toContain("ab".repeat(32));
  expect(r.stderr).not.toContain("Send USDC"); // no funding help unless they want paid models
});

test("scripted: --chain solana --create --yes --fund prints the address, a QR code and card steps", async () => {
  const h = home();
  const r = await runCli(["setup", "--chain", "solana", "--create", "--yes", "--fund", "--no-test"], { home: h });
  expect(r.code).toBe(0);
  const secret = readFileSync(paths(h).solanaKey, "utf8").trim();
  expect(r.stderr).toContain("Send USDC on Solana to:");
  expect(r.stderr).toContain("▄"); // the QR code
  expect(r.stderr).toContain("buy USDC");
  expect(r.stdout + r.stderr).not.toContain(secret);
});

test("a non-TTY run without flags never blocks: it prints what to pass and exits 2", async () => {
  const r = await runCli(["setup"], { home: home(), timeoutMs: 5000 });
  expect(r.code).toBe(2);
  expect(r.stderr).toContain("--import-key-file FILE --yes");
});

test("interactive through injected streams: Solana → create → wants paid models", async () => {
  const h = home();
  const input = new PassThrough() as PassThrough & { isTTY?: boolean; setRawMode?: (b: boolean) => void };
  input.isTTY = true;
  input.setRawMode = () => {};
  const output = new PassThrough();
  let screen = "";
  output.on("data", (d) => (screen += d.toString()));
  // Each answer is typed once its question is on the screen (clack listens for keys before it draws the prompt).
  let read = 0;
  const asked = async (question: string) => {
    const at = await waitFor(() => screen.indexOf(question, read) + 1, { timeoutMs: 10_000, what: `the prompt "${question}"` });
    read = at - 1 + question.length;
  };
  const keys = async () => {
    await asked("Which chain pays for paid models?");
    input.write("\x1b[B"); // down to Solana
    input.write("\r");
    await asked("Create a new wallet");
    input.write("\r"); // create
    await asked("Do you want to use paid models");
    input.write("y"); // yes
    input.write("\r");
  };
  const [code] = await Promise.all([
    runSetup({}, { paths: paths(h), env: {}, activeChain: "base", interactive: true, input, output, testCall: async () => "nvidia/test" }),
    keys(),
  ]);
  expect(code).toBe(0);
  expect(readFileSync(paths(h).chain, "utf8")).toBe("solana\n");
  expect(screen).toContain("test call on a free model: ok (nvidia/test)");
  expect(screen).toContain("Send USDC on Solana to:");
  expect(screen).not.toContain(readFileSync(paths(h).solanaKey, "utf8").trim());
});
