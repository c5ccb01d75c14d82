// The OS sandbox for real (Debian's bubblewrap, installed by `npm test`'s pretest): commands run through the same
// wrapper Bash uses, in each mode, and the escapes a hostile command would try. Then `runcode edit --sandbox` end
// to end against the fake gateway: Bash runs unasked, builds and tests inside the project work, nothing outside it
// changes, and the wallet key cannot be read.
import { afterEach, expect, test } from "bun:test";
import { existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { requireDeps } from "../../scripts/test-deps";
import { openSandbox, seatbeltProfile, type SandboxMode } from "../../src/sandbox";
import { type FakeGateway, type Recorded, startFakeGateway } from "../fake-gateway";
import { cleanup, ROOT, runCli } from "../helpers";
import { walletEnv } from "../wallet";

let gw: FakeGateway | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await gw?.stop();
  gw = undefined;
  cleanup(...dirs.splice(0));
});

/**
 * A project (a git repo with a file), an outside folder with a file, and a runcode home with a key file. Not under
 * the temp dir: the sandbox gives each command a private /tmp, so a folder there would be out of reach for that
 * reason alone, and the tests would prove nothing about the rest of the disk.
 */
function world() {
  const base = mkdtempSync(join(existsSync("/var/tmp") ? "/var/tmp" : ROOT, "runcode-sbx-"));
  dirs.push(base);
  const project = join(base, "project");
  const outside = join(base, "outside");
  const home = join(base, "home");
  for (const d of [project, join(project, ".git"), outside, home]) mkdirSync(d, { recursive: true });
  writeFileSync(join(project, "a.txt"), "inside\n");
  writeFileSync(join(project, ".git", "HEAD"), "ref: refs/heads/main\n");
  writeFileSync(join(outside, "secret.txt"), "outside secret\n");
  writeFileSync(join(home, ".session"), "0xkey\n");
  return { project, outside, home };
}

function run(mode: SandboxMode, w: ReturnType<typeof world>, script: string, network = false) {
  requireDeps("bwrap");
  const box = openSandbox({ mode, root: w.project, home: w.home, secrets: [join(w.outside, "secret.txt")], network });
  const r = Bun.spawnSync(box.wrap(["bash", "-c", script], { cwd: w.project }), { cwd: w.project, stdout: "pipe", stderr: "pipe" });
  box.dispose();
  return { code: r.exitCode, out: r.stdout.toString(), err: r.stderr.toString() };
}

/** As `run`, without blocking this process (a server in it must be able to answer). */
async function runAsync(mode: SandboxMode, w: ReturnType<typeof world>, script: string, network: boolean) {
  const box = openSandbox({ mode, root: w.project, home: w.home, secrets: [], network });
  const p = Bun.spawn(box.wrap(["bash", "-c", script], { cwd: w.project }), { cwd: w.project, stdout: "pipe", stderr: "pipe" });
  const [out, code] = await Promise.all([new Response(p.stdout).text(), p.exited]);
  box.dispose();
  return { code, out };
}

test("workspace-write: the project and the temp dir are writable; outside, .git, runcode's home and secret files are not", () => {
  const w = world();
  const ok = run(
    "workspace-write",
    w,
    'echo built > out.txt && mkdir -p build && echo x > build/y && cat a.txt && t=$(mktemp) && echo t > "$t"',
  );
  expect(ok).toMatchObject({ code: 0, out: "inside\n" });
  expect(readFileSync(join(w.project, "out.txt"), "utf8")).toBe("built\n");
  for (const [what, script] of [
    ["write outside", `echo x > ${join(w.outside, "new.txt")}`],
    ["write into .git", "echo x > .git/HEAD"],
    ["write via ..", "echo x > ../outside/dots.txt"],
    ["write in /etc", "echo x > /etc/runcode-sbx"],
  ] as const) {
    const r = run("workspace-write", w, script);
    expect({ what, code: r.code === 0 }).toEqual({ what, code: false });
  }
  expect(existsSync(join(w.outside, "new.txt"))).toBe(false);
  expect(existsSync(join(w.outside, "dots.txt"))).toBe(false);
  expect(readFileSync(join(w.project, ".git", "HEAD"), "utf8")).toBe("ref: refs/heads/main\n");
  // Hidden: runcode's home is an empty folder, a secret file an empty file.
  expect(run("workspace-write", w, `ls -A ${w.home}; cat ${join(w.home, ".session")}`).out).toBe("");
  expect(run("workspace-write", w, `cat ${join(w.outside, "secret.txt")}`).out).toBe("");
});

test("escapes: a symlink out of the project, /proc/self/root, a hard link to an outside file: all fail", () => {
  const w = world();
  symlinkSync(w.outside, join(w.project, "link"));
  expect(run("workspace-write", w, "echo x > link/through-symlink.txt").code).not.toBe(0);
  expect(existsSync(join(w.outside, "through-symlink.txt"))).toBe(false);
  expect(run("workspace-write", w, `echo x > /proc/self/root${join(w.outside, "proc.txt")}`).code).not.toBe(0);
  expect(existsSync(join(w.outside, "proc.txt"))).toBe(false);
  // A hard link from inside to an outside file cannot be made (the project is its own mount)…
  expect(run("workspace-write", w, `ln ${join(w.outside, "secret.txt")} hard.txt`).code).not.toBe(0);
  // …and in read-only mode one made before the run cannot be written through either. (In workspace-write it can:
  // it is the same inode as a project file; docs/sandbox.md says so.)
  const victim = join(w.outside, "victim.txt");
  writeFileSync(victim, "original\n");
  linkSync(victim, join(w.project, "pre-linked.txt"));
  expect(run("read-only", w, "echo changed > pre-linked.txt").code).not.toBe(0);
  expect(readFileSync(victim, "utf8")).toBe("original\n");
});

test("read-only: nothing in the project can be written; the network is off unless allowed", async () => {
  const w = world();
  expect(run("read-only", w, "echo x > a.txt").code).not.toBe(0);
  expect(readFileSync(join(w.project, "a.txt"), "utf8")).toBe("inside\n");
  expect(run("read-only", w, "t=$(mktemp) && echo scratch > $t && cat $t").out).toBe("scratch\n");
  const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("reached") });
  try {
    const probe = `exec 3<>/dev/tcp/127.0.0.1/${server.port} && printf 'GET / HTTP/1.0\\r\\n\\r\\n' >&3 && cat <&3`;
    expect((await runAsync("workspace-write", w, probe, false)).code).not.toBe(0);
    expect((await runAsync("workspace-write", w, probe, true)).out).toContain("reached");
  } finally {
    server.stop(true);
  }
});

test("macOS: the Seatbelt profile says the same rules (read-only root, the project and temp writable, .git read-only, home hidden, no network)", () => {
  const p = seatbeltProfile(
    { mode: "workspace-write", root: "/Users/a/p", home: "/Users/a/.blockrun", secrets: [], network: false },
    "/private/var/folders/x",
    ["/Users/a/.blockrun"],
    [],
  );
  expect(p).toContain("(deny file-write*)");
  expect(p).toContain('(subpath "/Users/a/p")');
  expect(p).toContain('(deny file-write* (subpath "/Users/a/p/.git") (subpath "/Users/a/p/.runcode"))');
  expect(p).toContain('(deny file-read* file-write* (subpath "/Users/a/.blockrun"))');
  expect(p).toContain("(deny network-outbound)");
  const ro = seatbeltProfile({ mode: "read-only", root: "/p", home: "/h", secrets: [], network: true }, "/t", [], []);
  expect(ro).not.toContain('(subpath "/p")');
  expect(ro).not.toContain("network-outbound");
});

/** A model that runs `commands` in turn with Bash, then answers "done". */
function bashModel(commands: string[]) {
  let i = 0;
  return (_: Recorded) => (i < commands.length ? { tools: [{ name: "Bash", input: { command: commands[i++]! } }] } : { text: "done" });
}

test("runcode edit --sandbox workspace-write: Bash runs unasked; tests inside pass; outside writes and the key are out of reach", async () => {
  requireDeps("bwrap");
  const w = world();
  writeFileSync(join(w.project, "test.sh"), '#!/bin/sh\n[ "$(cat a.txt)" = inside ] && echo TESTS-PASS\n');
  const commands = ["sh test.sh > result.txt", `echo x > ${join(w.outside, "edit.txt")}`, "cat ../home/.s* || true"]; // a glob slips past runcode's own name check: the sandbox is what stops it
  const model = bashModel(commands);
  gw = await startFakeGateway({ script: Array.from({ length: 8 }, () => model) });
  const r = await runCli(["edit", "--sandbox", "workspace-write", "-m", "nvidia/qwen3-coder-480b", "--jsonl", "run the tests"], {
    cwd: w.project,
    home: w.home,
    env: { RUNCODE_API_URL: gw.url, ...walletEnv() },
  });
  expect(r.code).toBe(0);
  expect(readFileSync(join(w.project, "result.txt"), "utf8")).toBe("TESTS-PASS\n");
  expect(existsSync(join(w.outside, "edit.txt"))).toBe(false);
  const results = r.stdout
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l))
    .filter((e) => e.type === "tool.completed" || e.type === "tool.denied");
  expect(results.map((e) => e.type)).toEqual(["tool.completed", "tool.completed", "tool.completed"]);
  expect(String(results[1].output)).toMatch(/Read-only file system|Permission denied/);
  expect(r.stdout).not.toContain("0xkey");
});

test("--sandbox without a mechanism is refused with the install command, before anything runs", async () => {
  gw = await startFakeGateway({ script: [{ text: "never" }] });
  const w = world();
  const r = await runCli(["ask", "--sandbox", "workspace-write", "-m", "nvidia/qwen3-coder-480b", "hi"], {
    cwd: w.project,
    home: w.home,
    env: { RUNCODE_API_URL: gw.url, PATH: "/nonexistent" },
  });
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/--sandbox workspace-write needs an OS sandbox, and this machine has none: install bubblewrap/);
  expect(gw.calls()).toHaveLength(0);
  const bad = await runCli(["ask", "--sandbox", "nope", "hi"], { home: w.home });
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain("--sandbox must be one of read-only, workspace-write, danger-full-access");
});

test("the file tools keep the sandbox's boundary: read-only writes nothing; workspace-write nothing outside, nor into .git", async () => {
  const { Policy } = await import("../../src/permissions/policy");
  const root = "/work/p";
  const write = (p: string) => ({ tool: "Write", mutating: true, shell: false, subject: { texts: [p], paths: [p] } });
  const ws = new Policy({ mode: "default", root, editsInProject: true, sandbox: "workspace-write" });
  expect(ws.decide(write("/work/p/src/a.ts")).action).toBe("allow");
  expect(ws.decide(write("/work/other/a.ts"))).toMatchObject({
    action: "deny",
    reason: expect.stringContaining("workspace-write sandbox writes only inside it"),
  });
  expect(ws.decide(write("/work/p/.git/config"))).toMatchObject({ action: "deny", reason: expect.stringContaining(".git") });
  expect(ws.decide({ tool: "Bash", mutating: true, shell: true, subject: { texts: ["rm -rf /"] } }).action).toBe("allow");
  const ro = new Policy({ mode: "default", root, editsInProject: true, sandbox: "read-only" });
  expect(ro.decide(write("/work/p/src/a.ts"))).toMatchObject({ action: "deny", reason: "the read-only sandbox allows no writes" });
  // Outside a sandbox, today's rules: the same Bash call asks.
  expect(
    new Policy({ mode: "default", root }).decide({ tool: "Bash", mutating: true, shell: true, subject: { texts: ["ls"] } }).action,
  ).toBe("ask");
});
