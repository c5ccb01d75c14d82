// The command table (src/commands/index.ts). Every command has an entry in USAGE, so a command added to the table
// without one here is a compile error. Each `--help`, through the real CLI, must start with the table's description
// (`runcode --help` prints the table's, the command's own help its module's meta: they must not drift) and show
// the usage line below. `runcode --help` itself must import no command module.
import { expect, test } from "bun:test";
import { join, relative } from "node:path";
import { COMMANDS, type CommandName } from "../../src/commands";
import { ROOT, cleanup, cliEnv, runCli, tempDir } from "../helpers";

const USAGE: Record<CommandName, string> = {
  repl: "runcode repl [OPTIONS]",
  ask: "runcode ask [OPTIONS] [PROMPT]",
  edit: "runcode edit [OPTIONS] [INSTRUCTION] [PATHS]",
  models: "runcode models [OPTIONS]",
  providers: "runcode providers add|list|remove",
  route: "runcode route [OPTIONS] [PROMPT]",
  config: "runcode config get|set|unset|list|path",
  doctor: "runcode doctor [OPTIONS]",
  upgrade: "runcode upgrade [OPTIONS]",
  wallet: "runcode wallet [OPTIONS] create|import|export|chain",
  balance: "runcode balance [OPTIONS]",
  fund: "runcode fund [OPTIONS]",
  setup: "runcode setup [OPTIONS]",
  sessions: "runcode sessions [OPTIONS] show|export|rm|search|path",
  stats: "runcode stats [OPTIONS] path",
  dashboard: "runcode dashboard [OPTIONS]",
  proxy: "runcode proxy [OPTIONS]",
  daemon: "runcode daemon start|stop|restart|status|logs",
  init: "runcode init [OPTIONS]",
  uninit: "runcode uninit",
  mcp: "runcode mcp list|add|remove",
  bench: "runcode bench [OPTIONS] report",
  team: "runcode team init|add|budget|list|revoke|rotate|serve|audit|migrate",
  login: "runcode login [OPTIONS] <URL>",
  logout: "runcode logout",
  completion: "runcode completion [OPTIONS] <SHELL>",
};

for (const name of Object.keys(USAGE) as CommandName[]) {
  test(`${name} --help: the table's description, then the usage`, async () => {
    const r = await runCli([name, "--help"]);
    expect(r.code).toBe(0);
    const [first, , usage] = r.stdout.split("\n");
    expect(first?.replace(/ v\S+\)$/, ")")).toBe(`${COMMANDS[name].description} (runcode ${name})`);
    expect(usage?.trimEnd()).toBe(`USAGE ${USAGE[name]}`);
  });
}

test("runcode --help imports no command module (nor viem, Solana, the MCP SDK or the tokenizer)", async () => {
  const home = tempDir();
  const probe = join(home, "loaded.ts");
  await Bun.write(probe, `process.on("exit", () => process.stderr.write(JSON.stringify(Object.keys(require.cache))));`);
  const r = Bun.spawnSync([process.execPath, "--preload", probe, join(ROOT, "src", "main.ts"), "--help"], {
    cwd: home,
    env: cliEnv(home),
    stdout: "pipe",
    stderr: "pipe",
  });
  cleanup(home);
  expect(r.exitCode).toBe(0);
  expect(r.stdout.toString()).toContain(COMMANDS.ask.description);
  const loaded = (JSON.parse(r.stderr.toString()) as string[]).map((p) => relative(ROOT, p));
  expect(loaded).toContain("src/dispatch.ts");
  expect(loaded.filter((p) => p.startsWith("src/commands/") && p !== "src/commands/index.ts")).toEqual([]);
  expect(loaded.filter((p) => /node_modules\/(viem|@solana|@modelcontextprotocol|gpt-tokenizer)\//.test(p))).toEqual([]);
});
