// Slash commands: /help and `runcode repl --help` snapshots, suggestions, ranges, custom commands, the picker.
import { afterEach, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BUILTIN, parse } from "../../src/repl/commands";
import { loadCustomCommands } from "../../src/repl/commands/custom";
import { webUrl } from "../../src/repl/commands/git";
import { helpText } from "../../src/repl/commands/info";
import { parseRange } from "../../src/repl/commands/session";
import { GROUPS } from "../../src/repl/commands/types";
import { runCli, tempDir } from "../helpers";
import { walletEnv } from "../wallet";
import { type Harness, harness, lastUser } from "./harness";

let h: Harness | undefined;
afterEach(async () => {
  h?.end();
  await h?.done;
  await h?.gw.stop();
  h = undefined;
});

test("/help lists every command by group (snapshot)", () => {
  expect(helpText(BUILTIN)).toMatchSnapshot();
});

test("the issue's command set is all there, each with a one-line help", () => {
  const want =
    "clear compact history sessions resume delete retry exit model plan execute ultrathink ultraplan dump thinking status diff log undo stash unstash commit push pr review branch fix debug test init todo deps optimize security lint migrate clean tasks help version bug tokens context cost wallet mcp doctor".split(
      " ",
    );
  expect(BUILTIN.map((c) => c.name).sort()).toEqual([...want].sort());
  for (const c of BUILTIN) {
    expect(c.help.length).toBeGreaterThan(5);
    expect(c.help).not.toContain("\n");
    expect(GROUPS).toContain(c.group);
  }
});

test("`runcode repl --help` snapshot; the bare `runcode --help` does not list the hidden repl command", async () => {
  const r = await runCli(["repl", "--help"]);
  expect(r.code).toBe(0);
  expect(r.stdout.replace(/v\d+\.\d+\.\d+\S*/, "vX")).toMatchSnapshot();
  const root = await runCli(["--help"]);
  expect(root.stdout).not.toMatch(/^\s+repl\s/m);
});

test("unknown commands: nearest suggestions, prefixes first", () => {
  expect(parse("/modle x", BUILTIN)).toEqual({ unknown: "unknown command /modle; did you mean /model? (/help lists them)" });
  const r = parse("/un", BUILTIN);
  expect("unknown" in r && r.unknown).toContain("/undo, /unstash");
  const ok = parse("/model  sonnet 4", BUILTIN);
  expect("cmd" in ok && ok.cmd.name === "model" && ok.args).toBe("sonnet 4");
});

test("/delete ranges and compare URLs", () => {
  expect(parseRange("3")).toEqual([3]);
  expect(parseRange("2-4")).toEqual([2, 3, 4]);
  expect(parseRange("4-2")).toBeUndefined();
  expect(parseRange("0")).toBeUndefined();
  expect(webUrl("git@github.com:BlockRunAI/runcode.git")).toBe("https://github.com/BlockRunAI/runcode");
  expect(webUrl("https://github.com/a/b.git")).toBe("https://github.com/a/b");
  expect(webUrl("https://tok@gitlab.com/g/p")).toBe("https://gitlab.com/g/p");
});

test("custom commands: project over user, $ARGUMENTS filled, description from front matter, built-ins not shadowed", () => {
  const proj = tempDir();
  const user = tempDir();
  writeFileSync(join(proj, "ship.md"), "---\ndescription: ship a release\n---\nShip version $ARGUMENTS now.\n");
  writeFileSync(join(user, "ship.md"), "user version");
  writeFileSync(join(user, "explain.md"), "Explain this code.");
  writeFileSync(join(user, "help.md"), "would shadow /help");
  const cmds = loadCustomCommands([proj, user], new Set(BUILTIN.map((c) => c.name)));
  expect(cmds.map((c) => [c.name, c.help])).toEqual([
    ["ship", "ship a release"],
    ["explain", `prompt from ${join(user, "explain.md")}`],
  ]);
});

test("a custom command sends its template through the REPL", async () => {
  const cwd = tempDir();
  mkdirSync(join(cwd, ".runcode", "commands"), { recursive: true });
  writeFileSync(join(cwd, ".runcode", "commands", "greet.md"), "Say hello to $ARGUMENTS.");
  h = await harness({ cwd, script: [{ text: "hello Ada" }] });
  h.type("/greet Ada\r");
  await h.waitFor("hello Ada");
  expect(lastUser(h.gw.calls()[0]!.body)).toBe("Say hello to Ada.");
  h.type("/help\r");
  await h.waitFor("/greet [arguments]");
});

test("/model with no match opens the picker over the live catalog (free marked); Enter picks", async () => {
  // A reply no status or picker line can contain ("ok" is in "tokens"). A wallet: the model picked is a paid one.
  h = await harness({ env: walletEnv(), script: [{ text: "PICKED-MODEL-ANSWER" }] });
  h.type("/model fla\r");
  await h.waitFor("pick a model");
  await h.waitFor("google/gemini-2.5-flash");
  h.type("\r");
  await h.waitFor("model google/gemini-2.5-flash");
  h.type("/model nvid\r");
  await h.waitFor(/nvidia\/gpt-oss-120b[^\n]*free/);
  h.type("\x1b");
  await h.waitFor("model unchanged");
  h.type("hi\r");
  await h.waitFor("PICKED-MODEL-ANSWER");
  expect(h.gw.calls()[0]!.body.model).toBe("google/gemini-2.5-flash");
});

test("/plan denies edits, /execute allows them again; /thinking shows reasoning dimmed", async () => {
  h = await harness({
    trust: true,
    script: [
      { tools: [{ name: "Write", input: { file_path: "x.txt", content: "x" } }] },
      { text: "planned" },
      { thinking: "let me think", text: "thought" },
    ],
  });
  h.type("/plan\r");
  await h.waitFor("plan mode");
  h.type("write x\r");
  await h.waitFor("planned");
  expect(h.gw.calls()[0]!.body.system).toContain("Plan mode is on");
  expect(JSON.stringify(h.gw.calls()[1]!.body.messages)).toContain("plan mode is read-only");
  h.type("/execute\r");
  await h.waitFor("execute mode");
  h.type("/thinking\r");
  await h.waitFor("reasoning shown");
  h.type("think\r");
  await h.waitFor("thought");
  expect(h.out()).toContain("let me think");
});

test("/clear, /history, /retry, /tokens, /cost, /context, /dump, /version, /status", async () => {
  h = await harness({ script: [{ text: "one" }, { text: "two" }, { text: "three" }] });
  h.type("first question\r");
  await h.waitFor("one");
  h.type("/history\r");
  await h.waitFor("1  first question");
  h.type("/retry\r");
  await h.waitFor("two");
  expect(h.gw.calls()[1]!.body.messages).toEqual([{ role: "user", content: "first question" }]);
  h.type("/tokens\r");
  await h.waitFor("24 input + 14 output tokens over 2 request(s)");
  h.type("/cost\r");
  await h.waitFor("session: $0 (free) for 2 request(s)");
  h.type("/context\r");
  await h.waitFor(/context nvidia\/qwen3-coder-480b: [\d.k]+ of 131\.1k tokens/);
  h.type("/dump\r");
  await h.waitFor("You are runcode");
  h.type("/version\r");
  await h.waitFor(/runcode \d+\.\d+\.\d+/);
  h.type("/status\r");
  await h.waitFor(/\n(fatal|##)/);
  h.type("/clear\r");
  await h.waitFor("new session");
  h.type("fresh\r");
  await h.waitFor("three");
  expect(h.gw.calls()[2]!.body.messages.length).toBe(1);
});

test("/ultrathink sends an extended-thinking budget to a reasoning model for the next message only", async () => {
  h = await harness({ model: "sonnet", env: walletEnv(), script: [{ text: "deep answer" }, { text: "plain answer" }] });
  h.type("/ultrathink\r");
  await h.waitFor("deep reasoning budget");
  h.type("why?\r");
  await h.waitFor("deep answer");
  h.type("and?\r");
  await h.waitFor("plain answer");
  const [deep, plain] = h.gw.calls().map((c) => c.body);
  expect(deep.thinking).toMatchObject({ type: "enabled" });
  expect(deep.max_tokens).toBeGreaterThan(deep.thinking.budget_tokens);
  expect(deep.temperature).toBeUndefined();
  expect(plain.thinking).toBeUndefined();
});

test("a routed conversation keeps its tier: a simpler follow-up does not downgrade the model (session pinning)", async () => {
  h = await harness({ model: "auto", script: [{ text: "proof done" }, { text: "hello back" }] });
  h.type("prove step by step that sqrt(2) is irrational, formally\r");
  await h.waitFor("proof done");
  h.type("hi\r");
  await h.waitFor("hello back");
  const [first, second] = h.gw.calls().map((c) => c.body.model);
  expect(second).toBe(first);
});
