// The REPL's start in the real CLI: what arrives while the workspace loads (a warning, the session line) never lands
// on the line being typed, a start that fails exits with the code `ask` gives for the same error, and leaving before
// the workspace has loaded still ends the process.
import { afterEach, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startFakeGateway } from "../fake-gateway";
import { runCli, tempDir, waitFor } from "../helpers";
import { Pty } from "../repl/tmux";

let pty: Pty | undefined;
afterEach(async () => {
  await pty?.stop();
  pty = undefined;
});

/** A gateway whose catalog request waits for `release()`, then fails (the REPL falls back to the built-in list). */
function gatedCatalog() {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const intercept = async (req: Request) => {
    if (!new URL(req.url).pathname.endsWith("/models")) return undefined;
    await gate;
    return new Response("catalog down", { status: 500 });
  };
  return { release, intercept };
}

const count = (s: string, what: string) => s.split(what).length - 1;

test("startup warnings and the session line go above what the user is typing, even when it wraps; the banner shows once", async () => {
  pty = new Pty();
  const home = tempDir("runcode-pty-home-");
  mkdirSync(join(home, "cache"), { recursive: true });
  writeFileSync(join(home, "cache", "models.json"), "{broken");
  const { release, intercept } = gatedCatalog();
  // 40 columns: the typed message wraps onto a second row.
  await pty.start([{ text: "GOT-IT" }], [], { home, width: 40, gateway: { intercept } });
  await pty.until(/^warning: model cache .*corrupt/m);
  const typed = "alpha beta gamma delta epsilon zeta eta theta END";
  pty.keys("-l", typed);
  await pty.until("theta END");
  release();
  await pty.until("session ses_");
  const s = await pty.until(/^warning: could not load the model catalog/m);
  expect(count(s, "Ctrl-D exits")).toBe(1);
  expect(count(s, "session ses_")).toBe(1);
  // The typed text is on the screen once, on the prompt below every line that arrived meanwhile.
  expect(count(s, "alpha beta")).toBe(1);
  const lines = s.trimEnd().split("\n");
  expect(lines.at(-1)).toBe(`› ${typed}`);
  for (const l of lines.slice(0, -1)) expect(l).not.toContain("›");
  // Nothing was lost from the message either.
  pty.keys("Enter");
  await pty.until("GOT-IT");
  expect(pty.gw!.calls()[0]!.body.messages.at(-1).content).toBe(typed);
  pty.keys("C-d");
  expect(await pty.exitCode()).toBe(0);
});

test("a REPL that cannot start exits with the code ask gives for the same error, with one line naming the fix", async () => {
  const gw = await startFakeGateway();
  try {
    const env = { RUNCODE_API_URL: gw.url };
    for (const [model, code, fix] of [
      ["nosuch", 2, "runcode models"],
      ["sonnet", 3, "runcode setup"],
    ] as const) {
      const ask = await runCli(["ask", "-m", model, "hi"], { env });
      expect(ask.code).toBe(code);
      for (const args of [
        ["-m", model],
        ["repl", "-m", model],
      ]) {
        // stdin at its end at once: the REPL has nothing to read before the error is known.
        const r = await runCli(args, { env, stdin: "" });
        expect({ args, code: r.code }).toEqual({ args, code });
        expect(r.stderr.trimEnd().split("\n")).toEqual([ask.stderr.trimEnd()]);
        expect(r.stderr).toContain(fix);
        expect(r.stdout).toBe("");
      }
    }
  } finally {
    await gw.stop();
  }
});

test("on a terminal too: `runcode -m nosuch` shows the error and exits 2", async () => {
  pty = new Pty();
  await pty.start([], ["-m", "nosuch"]);
  expect(await pty.exitCode(10_000)).toBe(2);
  expect(pty.screen()).toContain('error: unknown model "nosuch": run `runcode models` to see the available models');
});

test("Ctrl-D before the workspace has loaded: once it loads it is closed (its MCP server too) and the process exits 0", async () => {
  pty = new Pty();
  const home = tempDir("runcode-pty-home-");
  // A server that never answers: its process would keep runcode alive if the workspace were left open.
  writeFileSync(join(home, "mcp.json"), JSON.stringify({ mcpServers: { mute: { command: "sleep", args: ["600"] } } }));
  const { release, intercept } = gatedCatalog();
  await pty.start([], [], { home, gateway: { intercept } });
  await pty.until("Ctrl-D exits");
  // The catalog request is held: the workspace is still loading when the user leaves.
  await waitFor(() => pty!.gw!.requests.some((r) => r.path.endsWith("/models")), { what: "the catalog request" });
  pty.keys("C-d");
  release();
  expect(await pty.exitCode(10_000)).toBe(0);
});
