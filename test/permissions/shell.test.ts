// Shell permission rules against the spellings an attacker (or a careless model) uses: each row is decided the way
// the tool runner decides it (`prepare`, then `decide`), under a few policies.
import { beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { Policy, type Call, type PolicyInput } from "../../src/permissions/policy";
import { loadShell, parseShell } from "../../src/permissions/shell";
import { tempDir } from "../helpers";

const base = realpathSync(tempDir("runcode-shell-"));
const root = join(base, "proj");
mkdirSync(join(root, "sub"), { recursive: true });
mkdirSync(join(base, "outside"));

const policies = {
  git: { allow: ["Bash(git *)"] },
  gitHead: { allow: ["Bash(git *)", "Bash(head *)"] },
  trustRm: { mode: "trust", deny: ["Bash(rm *)"] },
  npm: { allow: ["Bash(npm run test:*)"] },
  all: { allow: ["Bash"] },
} satisfies Record<string, Partial<PolicyInput>>;
type Name = keyof typeof policies;
const policy = (name: Name) => new Policy({ mode: "default", root, ...policies[name] } as PolicyInput);
const bash = (command: string): Call => ({ tool: "Bash", mutating: true, shell: true, subject: { texts: [command] }, cwd: root });

async function decide(p: Policy, command: string) {
  const c = bash(command);
  await p.prepare(c);
  return p.decide(c);
}

type Row = [Name, string, "allow" | "deny" | "ask"];
const table: Row[] = [
  // Bash(git *): every simple command must be git
  ["git", "git status", "allow"],
  ["git", "git status && git diff", "allow"],
  ["git", "git status; git log --oneline", "allow"],
  ["git", "git status || git log", "allow"],
  ["git", "git log -1 --format=%H\ngit status", "allow"],
  ["git", "git diff > /dev/null", "allow"],
  ["git", "git diff 2>&1", "allow"],
  ["git", "git diff 2>/dev/null >&2", "allow"],
  ["git", 'git commit -m "a; rm x"', "allow"],
  ["git", "git commit -m 'a && rm x'", "allow"],
  ["git", "git log --format='%H | %s'", "allow"],
  ["git", "/usr/bin/git -C .. status", "allow"],
  ["git", '"git" status', "allow"],
  ["git", "git status # ; rm x", "allow"],
  ["git", "git status > out.txt", "allow"],
  ["git", "git diff >> sub/log.txt", "allow"],
  ["git", "git diff | git apply --check", "allow"],
  ["git", "if git diff --quiet; then git status; fi", "allow"],
  ["git", "for f in a b; do git add $f; done", "allow"],
  ["git", "git diff $(git rev-parse HEAD)", "allow"],
  ["git", "git diff <(touch X)", "ask"],
  ["git", "git diff >(touch X)", "ask"],
  ["git", "git -C .. status > ../outside/f", "ask"],
  ["git", "git status > /etc/x", "ask"],
  ["git", "git status > ~/x", "ask"],
  ["git", 'git status > "$f"', "ask"],
  ["git", "cd .. && git status > f", "ask"],
  ["git", "git status; touch x", "ask"],
  ["git", "git log && rm -rf ~", "ask"],
  ["git", "git log $(rm -rf ~)", "ask"],
  ["git", "git log `touch x`", "ask"],
  ["git", "gitx", "ask"],
  ["git", "sudo git status", "ask"],
  ["git", "env FOO=1 git diff", "ask"],
  ["git", "GIT_EXTERNAL_DIFF=./evil git diff", "ask"],
  ["git", "./git status", "ask"],
  ["git", `${root}/git status`, "ask"],
  ["git", "$GIT status", "ask"],
  ["git", "$(echo git) status", "ask"],
  ["git", 'eval "$x"', "ask"],
  ["git", "bash -c 'git status'", "ask"],
  ["git", "git status & rm x", "ask"],
  ["git", "git status | sh", "ask"],
  ["git", "(git status; touch y)", "ask"],
  ["git", "{ git status; touch y; }", "ask"],
  ["git", "PATH=.; git status", "ask"],
  ["git", "export PATH=.:$PATH && git status", "ask"],
  ["git", "git status 'unterminated", "ask"],
  ["git", "> f", "ask"],
  ["git", "echo $(git status)", "ask"],
  ["git", "x() { git status; }; x", "ask"],
  ["gitHead", "git log | head", "allow"],
  ["gitHead", "git log | head -5", "allow"],
  ["gitHead", "git log | tail", "ask"],
  // --trust --deny 'Bash(rm *)': rm is found wherever it hides
  ["trustRm", "rm f", "deny"],
  ["trustRm", "/bin/rm f", "deny"],
  ["trustRm", "(rm f)", "deny"],
  ["trustRm", "{ rm f; }", "deny"],
  ["trustRm", "eval rm f", "deny"],
  ["trustRm", "if true; then rm f; fi", "deny"],
  ["trustRm", "$(rm f)", "deny"],
  ["trustRm", "echo $(rm f)", "deny"],
  ["trustRm", "`rm f`", "deny"],
  ["trustRm", "bash -c 'rm f'", "deny"],
  ["trustRm", 'sh -c "rm f"', "deny"],
  ["trustRm", "bash -ec 'bash -c \"rm f\"'", "deny"],
  ["trustRm", "env rm f", "deny"],
  ["trustRm", "env -i PATH=/bin rm f", "deny"],
  ["trustRm", "sudo rm f", "deny"],
  ["trustRm", "sudo -u root -- rm -rf /", "deny"],
  ["trustRm", "xargs rm", "deny"],
  ["trustRm", "xargs -0 -n1 rm -f", "deny"],
  ["trustRm", "nohup rm f", "deny"],
  ["trustRm", "timeout 5 rm f", "deny"],
  ["trustRm", "timeout -s KILL 5 rm f", "deny"],
  ["trustRm", "command rm f", "deny"],
  ["trustRm", "exec rm f", "deny"],
  ["trustRm", "nice -n 5 ionice -c 3 rm f", "deny"],
  ["trustRm", "stdbuf -o0 rm f", "deny"],
  ["trustRm", "time rm f", "deny"],
  ["trustRm", "f() { rm x; }; f", "deny"],
  ["trustRm", "for i in a; do rm $i; done", "deny"],
  ["trustRm", "while true; do rm f; done", "deny"],
  ["trustRm", "true && rm f", "deny"],
  ["trustRm", "x | rm f", "deny"],
  ["trustRm", "FOO=1 rm f", "deny"],
  ["trustRm", "\\rm f", "deny"],
  ["trustRm", "r\\m f", "deny"],
  ["trustRm", "'rm' f", "deny"],
  ["trustRm", '"rm" f', "deny"],
  ["trustRm", "ls; rm -rf /", "deny"],
  ["trustRm", "find . -name '*.o' -exec rm {} \\;", "deny"],
  ["trustRm", 'echo "$(rm f)"', "deny"],
  ["trustRm", "cat <<EOF\n$(rm f)\nEOF", "deny"],
  ["trustRm", "[[ -f $(rm f) ]]", "deny"],
  ["trustRm", "trap 'rm f' EXIT", "deny"],
  ["trustRm", "ls -la", "allow"],
  ["trustRm", "sh check.sh", "allow"],
  ["trustRm", 'echo "rm f"', "allow"],
  ["trustRm", 'git commit -m "rm x"', "allow"],
  ["trustRm", "grep -r 'rm -rf' .", "allow"],
  ["trustRm", "rmdir x", "allow"],
  ["trustRm", "$CMD f", "ask"],
  ["trustRm", "$(echo rm) f", "ask"],
  ["trustRm", 'eval "$x"', "ask"],
  ["trustRm", 'bash -c "$x"', "ask"],
  ["trustRm", "sudo --weird rm f", "ask"],
  ["trustRm", "/bin/r? f", "ask"],
  ["trustRm", "echo 'unterminated", "ask"],
  ["trustRm", "echo rm f | sh", "ask"],
  ["trustRm", "bash -s <<EOF\nrm f\nEOF", "ask"],
  ["trustRm", "alias x=rm", "ask"],
  ["trustRm", "hash -p /bin/rm ls", "ask"],
  // Claude Code's prefix form
  ["npm", "npm run test", "allow"],
  ["npm", "npm run test:unit", "allow"],
  ["npm", "npm run test:unit -- --watch", "allow"],
  ["npm", "npm run build", "ask"],
  ["npm", "npm run test && npm run build", "ask"],
  ["npm", "cd web && npm run test", "ask"],
  // --allow Bash: everything runs, but a redirection out of the project asks like a file tool's path
  ["all", "touch x", "allow"],
  ["all", "$CMD f", "allow"],
  ["all", "echo hi > out.txt", "allow"],
  ["all", "echo hi > /dev/null 2>&1", "allow"],
  ["all", "echo hi >&2", "allow"],
  ["all", "cat < /etc/passwd", "allow"],
  ["all", "echo hi > ../outside/f", "ask"],
  ["all", "echo hi > /tmp/runcode-outside", "ask"],
  ["all", "echo hi 2> ../outside/err", "ask"],
  ["all", "echo hi &> ../outside/both", "ask"],
  ["all", "echo hi >| ../outside/f", "ask"],
  ["all", "echo hi >> ../outside/f", "ask"],
  ["all", "ls >& ../outside/f", "ask"],
  ["all", 'echo x > "$OUT"', "ask"],
  ["all", "(cd sub && echo x > f)", "ask"],
];

beforeAll(() => loadShell());

describe("shell rules", () => {
  test(`${table.length} commands`, () => expect(table.length).toBeGreaterThanOrEqual(80));
  for (const [name, command, want] of table)
    test(`${name}: ${JSON.stringify(command)} → ${want}`, async () => {
      expect((await decide(policy(name), command)).action).toBe(want);
    });
});

describe("reasons", () => {
  test("the part that was not allowed is named, and the fix is the rule for it", async () => {
    const c = bash("git status; touch x");
    const p = policy("git");
    await p.prepare(c);
    const d = p.decide(c);
    expect(d.reason).toBe("Bash needs permission to run `touch x` (no allow rule covers it)");
    expect(await p.advice(c, d)).toBe("rerun with --allow 'Bash(touch *)' or --trust");
  });
  test("a redirection out of the project names the file", async () => {
    expect((await decide(policy("git"), "git -C .. status > ../outside/f")).reason).toBe(
      `${join(base, "outside/f")} is outside the project (\`> ../outside/f\`)`,
    );
  });
  test("what cannot be known is said, under a deny rule too", async () => {
    expect((await decide(policy("git"), "$CMD f")).reason).toBe("`$CMD f` runs a command whose name is only known when it runs");
    expect((await decide(policy("trustRm"), 'eval "$x"')).reason).toBe(
      '`eval "$x"`: eval runs a string only known when it runs, so it cannot be checked against the rule Bash(rm *)',
    );
  });
  test("custom shell tools are read like Bash", async () => {
    const p = new Policy({ mode: "trust", root, deny: ["Bash(rm *)"] });
    const c: Call = { tool: "deploy", mutating: true, shell: true, subject: { texts: ["./build.sh && sudo rm -rf dist"] }, cwd: root };
    await p.prepare(c);
    expect(p.decide(c)).toEqual({ action: "deny", reason: "denied by the rule Bash(rm *)" });
  });
});

describe("reading", () => {
  test("names lose quotes, backslashes and directories; arguments stay as written", () => {
    const s = parseShell(`FOO=1 /bin/'r'm -f "a b" && \\git  log`)!;
    expect(s.commands).toEqual([
      { name: "rm", text: 'rm -f "a b"', raw: `FOO=1 /bin/'r'm -f "a b"`, env: true, path: "/bin/rm" },
      { name: "git", text: "git log", raw: "\\git  log", env: false },
    ]);
  });
  test("redirections: file writes only, in order", () => {
    const s = parseShell("a > x 2>&1 >&2 2>/dev/null >> y &> z <in >| w 3> $v")!;
    expect(s.writes.map((w) => w.path ?? `?${w.src}`)).toEqual(["x", "y", "z", "w", "?3> $v"]);
  });
  test("plain command lines (split without the grammar) read exactly as the parser reads them", () => {
    const plain = [
      "git status",
      "git add . && bun test test/x",
      "a || b; c | d",
      "FOO=1 BAR=2 rm -f x",
      "A=1",
      "env -i X=1 git diff;",
      "timeout 5 nice -n 3 make",
      "eval git status",
      "xargs -n1 rm",
      "git  log   --oneline",
      "",
    ];
    for (const cmd of plain) {
      const bare = parseShell(cmd);
      const parsed = parseShell(`{\n${cmd}\n}`);
      expect({ cmd, ...bare }).toEqual({ cmd, ...parsed! });
    }
  });
});

test("plain commands and runs without shell rules never load the grammar", async () => {
  const script = `
    const { Policy } = await import(${JSON.stringify(join(import.meta.dir, "../../src/permissions/policy.ts"))});
    const call = (command) => ({ tool: "Bash", mutating: true, shell: true, subject: { texts: [command] } });
    const git = new Policy({ mode: "default", root: "/p", allow: ["Bash(git *)"] });
    await git.prepare(call("git status && git diff | git apply"));
    const trust = new Policy({ mode: "trust", root: "/p" });
    await trust.prepare(call("echo \\"$(date)\\" > /tmp/x"));
    const loaded = () => Object.keys(require.cache).some((k) => k.includes("tree-sitter"));
    const before = loaded();
    await git.prepare(call("git log 'x'"));
    console.log(JSON.stringify([before, loaded()]));`;
  const r = Bun.spawnSync([process.execPath, "-e", script], { stderr: "pipe" });
  expect(r.stderr.toString()).toBe("");
  expect(JSON.parse(r.stdout.toString())).toEqual([false, true]);
});
