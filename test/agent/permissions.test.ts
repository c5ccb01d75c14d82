import { describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Policy, type Call, type Mode } from "../../src/permissions/policy";
import { commandParts, readRules } from "../../src/permissions/rules";
import { tempDir } from "../helpers";

const root = "/proj";
const bash = (command: string): Call => ({ tool: "Bash", mutating: true, shell: true, subject: { texts: [command] } });
const edit = (path: string): Call => ({
  tool: "Edit",
  mutating: true,
  shell: false,
  subject: { texts: [path], paths: [path.startsWith("/") ? path : `${root}/${path}`] },
});
const read = (path = "a.ts"): Call => ({
  tool: "Read",
  mutating: false,
  shell: false,
  subject: { texts: [path], paths: [path.startsWith("/") ? path : `${root}/${path}`] },
});
const web: Call = { tool: "WebFetch", mutating: false, shell: false, subject: { texts: ["https://x"] } };
const act = (p: Policy, c: Call) => p.decide(c).action;

describe("modes", () => {
  type A = "allow" | "ask" | "deny";
  const table: Array<[Mode, boolean, { read: A; web: A; edit: A; bash: A }]> = [
    ["default", false, { read: "allow", web: "allow", edit: "ask", bash: "ask" }],
    ["default", true, { read: "allow", web: "allow", edit: "allow", bash: "ask" }],
    ["trust", false, { read: "allow", web: "allow", edit: "allow", bash: "allow" }],
    ["plan", true, { read: "allow", web: "allow", edit: "deny", bash: "deny" }],
    ["deny-all", true, { read: "allow", web: "deny", edit: "deny", bash: "deny" }],
  ];
  for (const [mode, editsInProject, want] of table)
    test(`${mode}${editsInProject ? " (edit command)" : ""}`, () => {
      const p = new Policy({ mode, root, editsInProject });
      expect({ read: act(p, read()), web: act(p, web), edit: act(p, edit("src/a.ts")), bash: act(p, bash("ls")) }).toEqual(want);
    });
});

describe("rules", () => {
  test("Tool(glob) rules; a compound command needs every part allowed; substitutions never auto-allowed", () => {
    const p = new Policy({ mode: "default", root, allow: ["Bash(git *)", "Bash(bun test*)"] });
    expect(act(p, bash("git status --short"))).toBe("allow");
    expect(act(p, bash("git add . && bun test test/x"))).toBe("allow");
    expect(act(p, bash("git log && rm -rf ~"))).toBe("ask");
    expect(act(p, bash("git log $(rm -rf ~)"))).toBe("ask");
    expect(act(p, bash("gitx"))).toBe("ask");
  });
  test("deny beats allow and trust; any part of a command matching a deny rule denies it", () => {
    const p = new Policy({ mode: "trust", root, allow: ["Bash"], deny: ["Bash(rm *)", "WebFetch"] });
    expect(p.decide(bash("ls; rm -rf /"))).toEqual({ action: "deny", reason: "denied by the rule Bash(rm *)" });
    expect(act(p, web)).toBe("deny");
    expect(act(p, bash("ls"))).toBe("allow");
  });
  test("path rules match paths relative to the project; outside paths need asking unless trusted", () => {
    const p = new Policy({ mode: "default", root, allow: ["Edit(src/**)"] });
    expect(act(p, edit("src/deep/a.ts"))).toBe("allow");
    expect(act(p, edit("lib/a.ts"))).toBe("ask");
    expect(p.decide(read("/etc/passwd"))).toEqual({ action: "ask", reason: "/etc/passwd is outside the project" });
    expect(act(new Policy({ mode: "trust", root }), read("/etc/passwd"))).toBe("allow");
  });
  test("mcp name globs and ask rules; edit's write tools survive an original-style ask list", () => {
    const p = new Policy({
      mode: "default",
      root,
      allow: ["mcp__github__*"],
      file: { allow: [], deny: [], ask: ["Write", "Edit", "WebFetch"] },
      editsInProject: true,
    });
    expect(act(p, { tool: "mcp__github__create_issue", mutating: true, shell: false, subject: { texts: [] } })).toBe("allow");
    expect(act(p, { tool: "mcp__slack__post", mutating: true, shell: false, subject: { texts: [] } })).toBe("ask");
    expect(act(p, web)).toBe("ask");
    expect(act(p, edit("a.ts"))).toBe("allow");
  });
  test("custom (shell) tools follow Bash rules and their own name", () => {
    const custom = (name: string): Call => ({ tool: name, mutating: true, shell: true, subject: { texts: ["./deploy.sh"] } });
    expect(act(new Policy({ mode: "default", root }), custom("deploy"))).toBe("ask");
    expect(act(new Policy({ mode: "default", root, allow: ["deploy"] }), custom("deploy"))).toBe("allow");
    expect(act(new Policy({ mode: "default", root, allow: ["Bash"] }), custom("deploy"))).toBe("allow");
  });
  test("remember() adds an 'always' answer; offers() hides tools a non-interactive run would always deny", () => {
    const p = new Policy({ mode: "default", root, allow: ["Bash(git *)"] });
    expect(p.offers({ name: "Bash", mutating: true, shell: true }, false)).toBe(true);
    expect(p.offers({ name: "Write", mutating: true }, false)).toBe(false);
    expect(p.offers({ name: "Write", mutating: true }, true)).toBe(true);
    expect(act(p, edit("a.ts"))).toBe("ask");
    p.remember("Edit");
    expect(act(p, edit("a.ts"))).toBe("allow");
  });
  test("commandParts splits on shell operators", () => {
    expect(commandParts("a && b || c; d | e & f\ng")).toEqual(["a", "b", "c", "d", "e", "f", "g"]);
  });
});

describe("rules file", () => {
  test("reads the original's {allow, deny, ask} and Claude Code's {permissions: …}; refuses bad files with a fix", () => {
    const d = tempDir();
    writeFileSync(join(d, "a.json"), JSON.stringify({ allow: ["Read", "Bash(git *)"], deny: [], ask: ["Write"] }));
    expect(readRules(join(d, "a.json"))).toEqual({ allow: ["Read", "Bash(git *)"], deny: [], ask: ["Write"] });
    writeFileSync(join(d, "b.json"), JSON.stringify({ permissions: { deny: ["WebFetch"] } }));
    expect(readRules(join(d, "b.json"))).toEqual({ allow: [], deny: ["WebFetch"], ask: [] });
    writeFileSync(join(d, "c.json"), "{oops");
    expect(() => readRules(join(d, "c.json"))).toThrow("is not valid JSON");
    writeFileSync(join(d, "e.json"), JSON.stringify({ allow: "Read" }));
    expect(() => readRules(join(d, "e.json"))).toThrow('"allow" in');
    expect(readRules(join(d, "missing.json"))).toEqual({ allow: [], deny: [], ask: [] });
  });
});
