// The OS sandbox for Bash and custom command tools (docs/sandbox.md). Three modes:
//   read-only          nothing on disk can be written (a private, empty /tmp for scratch)
//   workspace-write    the project and the temp dir can be written; the project's .git and .runcode stay read-only
//   danger-full-access no sandbox: commands run as they would without one (but, as in the other modes, unasked)
// In every sandboxed mode runcode's home (wallet keys, the ledger, tokens) and every registered secret file are
// hidden, the network is off unless --sandbox-network, and the command cannot see or signal runcode's processes.
// Enforced by the kernel through a well-kept tool: bubblewrap (Linux: namespaces, bind mounts) or sandbox-exec
// (macOS: a Seatbelt profile). Where neither is available, --sandbox is refused rather than pretended.
import { existsSync, mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { ActionableError } from "../core/errors";

export const SANDBOX_MODES = ["read-only", "workspace-write", "danger-full-access"] as const;
export type SandboxMode = (typeof SANDBOX_MODES)[number];

export type SandboxSpec = {
  mode: SandboxMode;
  /** The project root (realpath): writable in workspace-write. */
  root: string;
  /** runcode's home: hidden. */
  home: string;
  /** Files that hold secrets anywhere else: hidden. */
  secrets: string[];
  network: boolean;
};

export type Mechanism = { name: "bubblewrap" | "sandbox-exec"; path: string };

/**
 * Wraps a command line (argv) so it runs inside the sandbox; `writable`: extra paths it may write (its cwd file).
 * `scratch`: the run's own temp dir, the sandboxed commands' TMPDIR (the system's /tmp is private and empty for each
 * command, so nothing another program keeps there is reachable). `dispose` removes it.
 */
export type Sandbox = {
  mode: SandboxMode;
  mechanism: Mechanism | null;
  scratch?: string;
  wrap: (argv: string[], o: { cwd: string; writable?: string[] }) => string[];
  dispose: () => void;
};

const real = (p: string) => {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
};

/** What this machine offers, or undefined (then --sandbox is refused with the install command). */
export function mechanism(platform = process.platform): Mechanism | undefined {
  if (platform === "darwin")
    return existsSync("/usr/bin/sandbox-exec") ? { name: "sandbox-exec", path: "/usr/bin/sandbox-exec" } : undefined;
  if (platform !== "linux") return undefined;
  const bwrap = Bun.which("bwrap");
  return bwrap ? { name: "bubblewrap", path: bwrap } : undefined;
}

/** The exact way to get a sandbox on this machine. */
export function installHint(platform = process.platform): string {
  if (platform === "linux")
    return Bun.which("apt-get")
      ? "install bubblewrap (`sudo apt-get install bubblewrap`)"
      : Bun.which("dnf")
        ? "install bubblewrap (`sudo dnf install bubblewrap`)"
        : "install bubblewrap with your package manager";
  return platform === "darwin" ? "sandbox-exec is part of macOS; check /usr/bin/sandbox-exec" : `no sandbox is available on ${platform}`;
}

/**
 * The sandbox for a run. A mechanism that is missing, or present but unable to start a sandbox here (user
 * namespaces disabled, a container without them), is an error naming the fix: a run never believes it is
 * sandboxed when it is not.
 */
export function openSandbox(spec: SandboxSpec, found = mechanism()): Sandbox {
  if (spec.mode === "danger-full-access") return { mode: spec.mode, mechanism: null, wrap: (argv) => argv, dispose: () => {} };
  if (!found)
    throw new ActionableError(
      `--sandbox ${spec.mode} needs an OS sandbox, and this machine has none`,
      `${installHint()}, or run without --sandbox (Bash then asks, or needs --allow Bash)`,
      "usage",
    );
  if (found.name === "bubblewrap") probe(found.path);
  const scratch = real(mkdtempSync(join(tmpdir(), "runcode-sandbox-")));
  const hidden = [real(spec.home), ...spec.secrets.map(real)];
  const s: SandboxSpec = { ...spec, root: real(spec.root), home: real(spec.home) };
  const dispose = () => rmSync(scratch, { recursive: true, force: true });
  if (found.name === "bubblewrap")
    return {
      mode: spec.mode,
      mechanism: found,
      scratch,
      wrap: (argv, o) => [found.path, ...bwrapArgs(s, scratch, hidden, o.cwd, o.writable ?? []), "--", ...argv],
      dispose,
    };
  return {
    mode: spec.mode,
    mechanism: found,
    scratch,
    wrap: (argv, o) => [
      "/usr/bin/env",
      `TMPDIR=${scratch}`,
      found.path,
      "-p",
      seatbeltProfile(s, scratch, hidden, o.writable ?? []),
      ...argv,
    ],
    dispose,
  };
}

let probed: string | undefined;
/** bubblewrap must be able to start here: tried once per process (a few ms), with its own error when it cannot. */
function probe(path: string) {
  if (probed === path) return;
  const r = Bun.spawnSync([path, "--ro-bind", "/", "/", "--unshare-net", "--unshare-pid", "--proc", "/proc", "--dev", "/dev", "true"], {
    stderr: "pipe",
  });
  if (r.exitCode !== 0)
    throw new ActionableError(
      `bubblewrap cannot start a sandbox on this machine (${r.stderr.toString().trim().split("\n")[0] || `exit ${r.exitCode}`})`,
      "enable unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1), or run without --sandbox",
      "usage",
    );
  probed = path;
}

/**
 * bubblewrap's arguments: the whole filesystem read-only, a private empty /tmp, then the writable places (the run's
 * scratch dir; in workspace-write the project, with its .git and .runcode read-only again) and the hidden ones on top.
 */
export function bwrapArgs(s: SandboxSpec, scratch: string, hidden: string[], cwd: string, writable: string[]): string[] {
  const a = ["--die-with-parent", "--new-session", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try"];
  if (!s.network) a.push("--unshare-net");
  a.push("--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp");
  const systemTmp = real(tmpdir());
  if (systemTmp !== "/tmp" && !systemTmp.startsWith("/tmp/")) a.push("--tmpfs", systemTmp);
  a.push("--bind", scratch, scratch, "--setenv", "TMPDIR", scratch);
  if (s.mode === "workspace-write") {
    a.push("--bind", s.root, s.root);
    for (const own of [".git", ".runcode"]) {
      const p = join(s.root, own);
      if (existsSync(p)) a.push("--ro-bind", p, p);
    }
  } else if (inside(systemTmp, s.root) || inside("/tmp", s.root)) {
    a.push("--ro-bind", s.root, s.root); // a project under the temp dir, seen again (read-only) through its tmpfs
  }
  for (const w of writable) if (existsSync(w)) a.push("--bind", w, w);
  // Last, so they cover whatever an earlier bind exposed: runcode's home becomes an empty directory, a secret file
  // elsewhere an empty one.
  for (const h of hidden) {
    if (!existsSync(h)) continue;
    if (h === s.home) a.push("--tmpfs", h);
    else a.push("--ro-bind", "/dev/null", h);
  }
  a.push("--chdir", cwd);
  return a;
}

const q = (p: string) => JSON.stringify(p); // Seatbelt strings take JSON-style escapes

/** A Seatbelt profile with the same rules as bwrapArgs, for sandbox-exec on macOS. */
export function seatbeltProfile(s: SandboxSpec, tmp: string, hidden: string[], writable: string[]): string {
  const lines = ["(version 1)", "(allow default)", "(deny file-write*)"];
  const allow = ["/dev/null", "/dev/tty", "/dev/dtracehelper", ...writable].map((p) => `(literal ${q(p)})`);
  allow.push(`(regex #"^/dev/fd/")`);
  if (s.mode === "workspace-write")
    allow.push(`(subpath ${q(s.root)})`, `(subpath ${q(tmp)})`, `(subpath "/private/tmp")`, `(subpath "/private/var/folders")`);
  lines.push(`(allow file-write* ${allow.join(" ")})`);
  if (s.mode === "workspace-write")
    lines.push(`(deny file-write* (subpath ${q(join(s.root, ".git"))}) (subpath ${q(join(s.root, ".runcode"))}))`);
  if (hidden.length)
    lines.push(`(deny file-read* file-write* ${hidden.map((h) => (h === s.home ? `(subpath ${q(h)})` : `(literal ${q(h)})`)).join(" ")})`);
  if (!s.network) lines.push("(deny network-outbound)", "(deny network-inbound)");
  lines.push("(deny process-info* (target others))");
  return lines.join("\n");
}

const inside = (dir: string, p: string) => {
  const r = relative(dir, p);
  return r === "" || (!r.startsWith("..") && !r.startsWith("/"));
};
