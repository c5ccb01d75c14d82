// Git commands run git directly in the project (no model call), except /commit (the model writes the message from
// the staged diff, the user confirms) and /review (a prompt). /undo reverts runcode's own latest file changes,
// through its change log, so edits the user made meanwhile are left alone.
import { chat } from "../../llm/chat";
import { git, type CommandContext, type SlashCommand } from "./types";

const show = (c: CommandContext, args: string[], empty = "nothing to show") => {
  const r = git(c.workspace.project.root, args);
  if (!r.ok) return c.say(c.p.red(r.out || `git ${args[0]} failed`));
  c.out(r.out ? `${r.out}\n` : `${c.p.dim(empty)}\n`);
};

async function commitMessage(c: CommandContext, diff: string): Promise<string> {
  const e = c.workspace;
  let text = "";
  for await (const ev of chat(e.gw, e.run.protocol, {
    model: e.model.id,
    maxTokens: 400,
    system:
      "You write git commit messages: a summary line under 72 characters in the imperative mood, then (only if useful) a blank line and a short body saying why. Output only the message.",
    messages: [{ role: "user", content: `Write the commit message for this staged diff:\n\n${diff.slice(0, 60_000)}` }],
  })) {
    if (ev.type === "text") text += ev.text; // what it cost reaches the totals as payment.settled, from the payer
  }
  return text
    .trim()
    .replace(/^```\w*\n?|\n?```$/g, "")
    .trim();
}

/** https URL of the origin remote's web page (GitHub-style), or undefined. */
export function webUrl(remote: string): string | undefined {
  const m = /^(?:git@([^:]+):|https?:\/\/(?:[^@/]+@)?([^/]+)\/|ssh:\/\/git@([^/]+)\/)(.+?)(?:\.git)?\/?$/.exec(remote.trim());
  return m ? `https://${m[1] ?? m[2] ?? m[3]}/${m[4]}` : undefined;
}

export const gitCommands: SlashCommand[] = [
  { name: "status", group: "Git", help: "git status", run: (c) => show(c, ["status", "--short", "--branch"]) },
  {
    name: "diff",
    group: "Git",
    help: "git diff of the working tree (staged too)",
    run: (c) => show(c, ["diff", "HEAD", "--stat", "-p"], "no changes"),
  },
  { name: "log", group: "Git", help: "the last commits", run: (c) => show(c, ["log", "--oneline", "-n", c.args.trim() || "15"]) },
  {
    name: "undo",
    group: "Git",
    help: "revert runcode's latest file changes (not yours)",
    run: (c) => {
      const r = c.workspace.undo();
      if (!r) return c.say("runcode has not changed any file in this session");
      const rel = (p: string) => p.replace(`${c.workspace.project.root}/`, "");
      if (r.reverted.length) c.say(`reverted ${r.reverted.map(rel).join(", ")}`);
      if (r.skipped.length) c.say(c.p.yellow(`left alone (changed since): ${r.skipped.map(rel).join(", ")}`));
    },
  },
  {
    name: "stash",
    group: "Git",
    help: "git stash your changes",
    run: (c) => show(c, ["stash", "push", ...(c.args.trim() ? ["-m", c.args.trim()] : [])]),
  },
  { name: "unstash", group: "Git", help: "git stash pop", run: (c) => show(c, ["stash", "pop"]) },
  {
    name: "commit",
    group: "Git",
    help: "commit the staged changes; the model writes the message, you confirm",
    args: "[-a]",
    run: async (c) => {
      const root = c.workspace.project.root;
      if (c.args.includes("-a")) git(root, ["add", "-A"]);
      const diff = git(root, ["diff", "--cached"]);
      if (!diff.ok) return c.say(c.p.red(diff.out));
      if (!diff.out.trim()) return c.say("nothing staged: `git add` files first, or /commit -a to stage everything");
      const msg = await commitMessage(c, diff.out);
      if (!msg) return c.say("the model returned no message; nothing committed");
      c.out(`${msg}\n`);
      if (!c.interactive) return c.say("not a terminal: commit with `git commit` yourself");
      if (!(await c.confirm("commit with this message?"))) return c.say("not committed");
      show(c, ["commit", "-m", msg]);
    },
  },
  {
    name: "push",
    group: "Git",
    help: "git push (sets the upstream the first time)",
    run: (c) => {
      const root = c.workspace.project.root;
      const upstream = git(root, ["rev-parse", "--abbrev-ref", "@{u}"]).ok;
      show(c, upstream ? ["push"] : ["push", "-u", "origin", "HEAD"], "pushed");
    },
  },
  {
    name: "pr",
    group: "Git",
    help: "open a pull request (gh when installed, else the compare URL)",
    run: (c) => {
      const root = c.workspace.project.root;
      if (Bun.which("gh")) {
        const r = Bun.spawnSync(["gh", "pr", "create", "--fill"], { cwd: root, stdout: "pipe", stderr: "pipe" });
        return c.out(`${r.stdout.toString()}${r.stderr.toString()}`);
      }
      const branch = git(root, ["rev-parse", "--abbrev-ref", "HEAD"]).out;
      const url = webUrl(git(root, ["remote", "get-url", "origin"]).out);
      c.say(
        url
          ? `open ${url}/compare/${branch}?expand=1 (install gh to create it from here)`
          : "no origin remote to open a pull request against",
      );
    },
  },
  {
    name: "review",
    group: "Git",
    help: "the model reviews your uncommitted changes",
    run: (c) =>
      c.send(
        `Review my uncommitted changes (run \`git diff HEAD\`). Point out bugs, risky changes, missing tests and unclear code, most important first, with file and line. Do not change files.${c.args ? `\nFocus: ${c.args}` : ""}`,
      ),
  },
  {
    name: "branch",
    group: "Git",
    help: "list branches, or create and switch to one",
    args: "[name]",
    run: (c) => (c.args.trim() ? show(c, ["switch", "-c", c.args.trim()], `switched to ${c.args.trim()}`) : show(c, ["branch", "-vv"])),
  },
];
