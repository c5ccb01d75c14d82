// The README's test command installs what the tests need (scripts/test-deps.ts, run as npm's `pretest`), or
// stops with the exact command to run. Checked with a PATH that has no system tools at all.
import { expect, test } from "bun:test";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, tempDir } from "../helpers";

const SCRIPT = join(ROOT, "scripts", "test-deps.ts");

function bareBin(extra: Record<string, string> = {}): string {
  const bin = join(tempDir("runcode-deps-"), "bin");
  mkdirSync(bin);
  symlinkSync(process.execPath, join(bin, "bun"));
  for (const [name, body] of Object.entries(extra)) writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return bin;
}

const check = (bin: string) => Bun.spawnSync([join(bin, "bun"), SCRIPT, "--check"], { env: { PATH: bin }, stderr: "pipe" });

test("with every tool on PATH it says nothing and succeeds", () => {
  const r = Bun.spawnSync([process.execPath, SCRIPT, "--check"], { stderr: "pipe" });
  expect(r.exitCode).toBe(0);
  expect(r.stderr.toString()).toBe("");
});

test("without apt-get or Homebrew it names each missing tool and why, and exits 1", () => {
  const r = check(bareBin());
  expect(r.exitCode).toBe(1);
  const err = r.stderr.toString();
  for (const t of ["tmux", "openssl", "bwrap", "rg", "shellcheck", "ruby", "curl", "script", "git", "go", "chromium", "zsh", "fish"])
    expect(err).toContain(`${t} (`);
  expect(err.trim().split("\n")).toHaveLength(1);
  expect(err).toContain(
    "run: install tmux, openssl, bwrap, rg, shellcheck, ruby, curl, script, git, go, chromium, zsh, fish, cc with your package manager",
  );
});

test("with apt-get, the exact apt command (one per package manager call, sudo on each when not root)", () => {
  const r = check(
    bareBin({
      "apt-get": "exit 0",
      tmux: "exit 0",
      openssl: "exit 0",
      bwrap: "exit 0",
      rg: "exit 0",
      git: "exit 0",
      curl: "exit 0",
      script: "exit 0",
    }),
  );
  expect(r.exitCode).toBe(1);
  const sudo = process.getuid?.() === 0 ? "" : "sudo ";
  expect(r.stderr.toString()).toContain(`run: ${sudo}apt-get update && ${sudo}apt-get install -y shellcheck ruby`);
});
