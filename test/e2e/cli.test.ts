// The CLI shell: --version, --help, models, config, unknown commands.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type FakeGateway, FAKE_MODELS, startFakeGateway } from "../fake-gateway";
import { runCli, tempDir } from "../helpers";

let gw: FakeGateway;
beforeAll(async () => {
  gw = await startFakeGateway();
});
afterAll(() => gw.stop());

describe("cli", () => {
  test("--version prints the version only", async () => {
    const r = await runCli(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^runcode \d+\.\d+\.\d+\S*\n$/);
    expect(r.stderr).toBe("");
  });

  test("--help lists the commands, without colour on a pipe", async () => {
    const r = await runCli(["--help"], { env: { NO_COLOR: undefined } });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain("\x1b[");
    for (const cmd of ["ask", "models", "config"]) expect(r.stdout).toContain(cmd);
  });

  test("--help snapshot (printed from the command table, test/unit/commands.test.ts)", async () => {
    const r = await runCli(["--help"]);
    expect(r.stdout.replace(/\bv?\d+\.\d+\.\d+\S*/, "vX")).toMatchSnapshot();
  });

  test("--help tells about the REPL and its flags; flags before --help ask for that help, they do not start a REPL", async () => {
    for (const args of [["--help"], ["-h"], ["--raw", "--help"], ["-m", "sonnet", "-h"]]) {
      const r = await runCli(args, { timeoutMs: 10_000 });
      expect({ args, code: r.code, stderr: r.stderr }).toEqual({ args, code: 0, stderr: "" });
      expect(r.stdout).toContain("the interactive session (REPL)");
      for (const flag of ["-m, --model <value>", "--raw", "--trust", "-c, --continue", "--session <value>"])
        expect(r.stdout).toContain(flag);
    }
  });

  test("ask --help snapshot", async () => {
    const r = await runCli(["ask", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout.replace(/\bv?\d+\.\d+\.\d+\S*/, "vX")).toMatchSnapshot();
  });

  test("unknown commands suggest the closest", async () => {
    const r = await runCli(["modles"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("did you mean `runcode models`?");
  });

  test("models prints a table with the free default marked", async () => {
    const r = await runCli(["models"], { env: { RUNCODE_API_URL: gw.url } });
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^MODEL\s+IN\/1M\s+OUT\/1M\s+CONTEXT/);
    expect(lines.length).toBe(FAKE_MODELS.length + 1);
    expect(r.stdout).toMatch(/nvidia\/qwen3-coder-480b\s+-\s+-\s+131k\s+free \(default\)/);
    expect(r.stdout).toMatch(/anthropic\/claude-sonnet-4\.6\s+\$3\.00\s+\$15\.00\s+200k/);
  });

  test("models --json prints the catalog", async () => {
    const r = await runCli(["models", "--json"], { env: { RUNCODE_API_URL: gw.url } });
    const j = JSON.parse(r.stdout);
    expect(j.source).toBe("live");
    expect(j.models.find((m: { id: string }) => m.id === "nvidia/gpt-oss-120b")).toMatchObject({ free: true, context: 131072 });
  });

  test("config set/get/unset round-trips and validates", async () => {
    const home = tempDir();
    expect((await runCli(["config", "set", "max-turns", "7"], { home })).code).toBe(0);
    expect((await runCli(["config", "get", "max-turns"], { home })).stdout).toBe("7\n");
    expect(JSON.parse(readFileSync(join(home, "runcode-config.json"), "utf8"))).toEqual({
      $schema: "https://runcode.dev/schema/config-1.json",
      "max-turns": 7,
    });
    const bad = await runCli(["config", "set", "max-turns", "many"], { home });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('bad value "many" for "max-turns"');
    const unknown = await runCli(["config", "set", "max-turn", "3"], { home });
    expect(unknown.stderr).toContain("did you mean max-turns");
    expect((await runCli(["config", "unset", "max-turns"], { home })).code).toBe(0);
    expect((await runCli(["config", "get", "max-turns"], { home })).stdout).toBe("100\n");
  });

  test("config reads the original's string values", async () => {
    const home = tempDir();
    writeFileSync(
      join(home, "runcode-config.json"),
      JSON.stringify({ "max-turns": "100", "session-save": "true", "default-model": "sonnet" }),
    );
    const r = await runCli(["config", "list", "--json"], { home });
    const rows = JSON.parse(r.stdout) as Array<{ key: string; value: unknown }>;
    expect(rows.find((x) => x.key === "max-turns")?.value).toBe(100);
    expect(rows.find((x) => x.key === "session-save")?.value).toBe(true);
  });
});
