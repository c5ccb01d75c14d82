import { afterEach, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { PassThrough } from "node:stream";
import { join } from "node:path";
import { paths } from "../../src/core/home";
import { runSetup } from "../../src/wallet/setup";
import { startFakeGateway } from "../fake-gateway";
import { cleanup, runCli, tempDir } from "../helpers";

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
  const keys = async () => {
    const press = async (k: string) => {
      await Bun.sleep(60);
      input.write(k);
    };
    await press("\x1b[B"); // chain: down to Solana
    await press("\r");
    await press("\r"); // wallet: create
    await press("y"); // paid models? yes
    await press("\r");
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
