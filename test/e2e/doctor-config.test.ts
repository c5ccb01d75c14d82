// doctor reports a broken config file once, on its own row, and still checks the network with the defaults.
import { afterEach, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { type FakeGateway, startFakeGateway } from "../fake-gateway";
import { runCli, tempDir } from "../helpers";

let gw: FakeGateway | undefined;
afterEach(async () => {
  await gw?.stop();
  gw = undefined;
});

type Row = { id: string; status: string; detail: string; fix?: string };

for (const [what, text, detail, fix] of [
  ["not JSON", "{bad", "is not valid JSON", "fix it by hand or move it away; runcode will not reset it"],
  ["a bad value", '{"max-tokens": "lots"}', 'bad value "lots" for "max-tokens"', "`runcode config unset max-tokens`"],
] as const)
  test(`a config file with ${what}: the config row fails with the fix, the gateway row is about the gateway`, async () => {
    gw = await startFakeGateway();
    const home = tempDir();
    writeFileSync(join(home, "runcode-config.json"), text);
    const r = await runCli(["doctor", "--json"], { home, env: { RUNCODE_API_URL: gw.url, RUNCODE_BASE_RPC_URL: gw.url } });
    expect(r.code).toBe(1);
    const rows = JSON.parse(r.stdout).checks as Row[];
    const config = rows.find((c) => c.id === "config")!;
    expect(config.status).toBe("fail");
    expect(config.detail).toContain(detail);
    expect(config.detail).not.toContain(config.fix!);
    expect(config.fix).toContain(fix);
    expect(rows.find((c) => c.id === "gateway")).toMatchObject({ status: "ok" });
    expect(rows.filter((c) => c.detail.includes("runcode-config.json")).map((c) => c.id)).toEqual(["config"]);
  });

test("the config row's fix works: after `config unset`, doctor's config row is ok", async () => {
  const home = tempDir();
  writeFileSync(join(home, "runcode-config.json"), '{"max-tokens": "lots"}');
  expect((await runCli(["config", "unset", "max-tokens"], { home })).code).toBe(0);
  const r = await runCli(["doctor", "--json"], { home, env: { RUNCODE_API_URL: "http://127.0.0.1:1" } });
  expect((JSON.parse(r.stdout).checks as Row[]).find((c) => c.id === "config")).toMatchObject({ status: "ok" });
});
