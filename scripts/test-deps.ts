#!/usr/bin/env bun
// `npm test` runs this first (the `pretest` script): the system tools some tests need beyond npm. A missing tool is
// installed with the platform's package manager when that can be done without a question (root with apt-get, or
// Homebrew); otherwise this stops with the exact command to run. Present tools cost one PATH lookup each.
//   bun scripts/test-deps.ts [--check]   (--check: only report, install nothing)

/** Each tool a test needs, the command that proves it is there, and its package per manager. */
const TOOLS = [
  { bin: "tmux", why: "the REPL in a real pty", apt: "tmux", brew: "tmux" },
  { bin: "rg", why: "Grep's ripgrep path", apt: "ripgrep", brew: "ripgrep" },
  { bin: "shellcheck", why: "install.sh is checked as POSIX sh", apt: "shellcheck", brew: "shellcheck" },
  { bin: "ruby", why: "the Homebrew formula is checked with ruby -c", apt: "ruby", brew: "ruby" },
  { bin: "curl", why: "install.sh downloads with curl", apt: "curl", brew: "curl" },
  { bin: "script", why: "a TTY for the compiled binary's tests", apt: "bsdutils", brew: "" },
  { bin: "git", why: "projects in the tests are git repositories", apt: "git", brew: "git" },
];

const checkOnly = process.argv.includes("--check");
const missing = TOOLS.filter((t) => !Bun.which(t.bin));
if (!missing.length) process.exit(0);

const names = missing.map((t) => `${t.bin} (${t.why})`).join(", ");
const apt = Bun.which("apt-get");
const brew = Bun.which("brew");
const root = process.getuid?.() === 0;
const aptPkgs = missing.map((t) => t.apt).join(" ");
const aptLine = (sudo: string) => `${sudo}apt-get update && ${sudo}apt-get install -y ${aptPkgs}`;
const brewPkgs = missing.map((t) => t.brew).filter(Boolean);

/** Runs a package manager; its progress output is dropped, its errors pass through. */
function run(cmd: string[], env: Record<string, string> = {}): boolean {
  const r = Bun.spawnSync(cmd, { stdout: "ignore", stderr: "inherit", env: { ...process.env, ...env } });
  return r.exitCode === 0;
}

if (!checkOnly && apt && root) {
  console.error(`test setup: installing ${names}`);
  const env = { DEBIAN_FRONTEND: "noninteractive", DEBCONF_NOWARNINGS: "yes" };
  if (run(["apt-get", "update", "-qq"], env) && run(["apt-get", "install", "-y", "-qq", ...missing.map((t) => t.apt)], env))
    process.exit(0);
  console.error(`test setup: the install failed; run it yourself: ${aptLine("")}`);
  process.exit(1);
}
if (!checkOnly && brew && brewPkgs.length === missing.length) {
  console.error(`test setup: installing ${names}`);
  if (run(["brew", "install", ...brewPkgs])) process.exit(0);
  console.error(`test setup: the install failed; run it yourself: brew install ${brewPkgs.join(" ")}`);
  process.exit(1);
}
const how = apt
  ? aptLine(root ? "" : "sudo ")
  : brew
    ? `brew install ${brewPkgs.join(" ")}`
    : `install ${missing.map((t) => t.bin).join(", ")} with your package manager`;
console.error(`test setup: missing ${names}; run: ${how}`);
process.exit(1);
