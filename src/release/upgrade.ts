// Self-upgrade of a compiled binary. Protocol (same release folder as install.sh):
//   1. GET <folder>/VERSION; not newer than the running version → nothing to do (unless forced).
//   2. GET <folder>/SHA256SUMS and <folder>/<asset for this machine>; refuse on a missing entry or a mismatch.
//   3. Write the new binary next to the running one, move the running one to <path>.old, rename the new one into
//      place, and run `<path> --version`; if that fails, move .old back. Only then is .old deleted.
// The folder is RUNCODE_DOWNLOAD_URL when set; else GitHub's latest release for VERSION, then the tagged release
// v<VERSION> for the files, so a release published mid-upgrade cannot mix files from two versions.
import { fetchFailure } from "../core/net";
import { chmodSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { ActionableError } from "../core/errors";
import { type Target, assetName, compareVersions, parseSums, releaseUrl, sha256 } from "./assets";

export type UpgradeOptions = {
  current: string;
  execPath: string;
  target: Target;
  /** RUNCODE_DOWNLOAD_URL, if set. */
  folder?: string;
  force?: boolean;
  checkOnly?: boolean;
  fetch?: (url: string, init?: RequestInit) => Promise<Response>;
  say: (line: string) => void;
};

export type UpgradeResult = { status: "up-to-date" | "available" | "upgraded"; current: string; latest: string };

const fail = (message: string, fix: string) => new ActionableError(message, fix, "gateway_error");

async function get(o: UpgradeOptions, url: string, timeoutMs: number): Promise<Response> {
  let res: Response;
  try {
    res = await (o.fetch ?? fetch)(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    throw fail(`cannot download ${url} (${fetchFailure(err)})`, "check your connection or RUNCODE_DOWNLOAD_URL");
  }
  if (!res.ok) throw fail(`cannot download ${url}: HTTP ${res.status}`, "check your connection or RUNCODE_DOWNLOAD_URL");
  return res;
}

/** A small file of the release folder as text. A file:// URL is read only here, so a missing one fails here too. */
async function getText(o: UpgradeOptions, url: string): Promise<string> {
  const res = await get(o, url, 15_000);
  try {
    return await res.text();
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === "ENOENT";
    throw fail(
      `cannot download ${url}: ${missing ? "no such file" : err instanceof Error ? err.message : String(err)}`,
      "check RUNCODE_DOWNLOAD_URL points at a release folder",
    );
  }
}

export async function upgrade(o: UpgradeOptions): Promise<UpgradeResult> {
  const latest = (await getText(o, `${releaseUrl(o.folder)}/VERSION`)).trim();
  if (!/^v?\d+\.\d+/.test(latest))
    throw fail(`the release folder's VERSION reads "${latest.slice(0, 40)}"`, "check RUNCODE_DOWNLOAD_URL points at a release folder");
  const newer = compareVersions(latest, o.current) > 0;
  if (!newer && !o.force) {
    o.say(`runcode ${o.current} is up to date`);
    return { status: "up-to-date", current: o.current, latest };
  }
  if (o.checkOnly) {
    o.say(newer ? `runcode ${latest} is available (you have ${o.current}): run \`runcode upgrade\`` : `runcode ${o.current} is up to date`);
    return { status: newer ? "available" : "up-to-date", current: o.current, latest };
  }

  const folder = releaseUrl(o.folder, latest);
  const asset = assetName(o.target);
  const expected = parseSums(await getText(o, `${folder}/SHA256SUMS`)).get(asset);
  if (!expected)
    throw fail(`${folder}/SHA256SUMS has no entry for ${asset}`, "this release has no build for your platform; keep the current version");
  o.say(`downloading runcode ${latest} (${asset})`);
  const bytes = new Uint8Array(await (await get(o, `${folder}/${asset}`, 600_000)).arrayBuffer());
  const actual = sha256(bytes);
  if (actual !== expected)
    throw fail(
      `checksum mismatch for ${asset} (expected ${expected}, got ${actual}); nothing was changed`,
      "retry later; if it persists, report it",
    );

  replace(o.execPath, bytes, latest);
  o.say(`upgraded runcode ${o.current} → ${latest} (${o.execPath})`);
  return { status: "upgraded", current: o.current, latest };
}

/** Swap the binary at `path` for `bytes`, keeping the old one until the new one answers --version. */
export function replace(path: string, bytes: Uint8Array, version: string) {
  const dir = dirname(path);
  const staged = join(dir, `.${basename(path)}.upgrade-${process.pid}`);
  const old = `${path}.old`;
  try {
    writeFileSync(staged, bytes, { mode: 0o755 });
    chmodSync(staged, 0o755);
  } catch (err) {
    rmSync(staged, { force: true });
    const code = (err as { code?: string }).code;
    throw new ActionableError(
      `cannot write to ${dir} (${code ?? String(err)})`,
      code === "EACCES" || code === "EPERM"
        ? "re-run with sudo, or reinstall with install.sh --dir into a directory you own"
        : "check free disk space",
      "internal",
    );
  }
  rmSync(old, { force: true });
  renameSync(path, old);
  renameSync(staged, path);
  const r = Bun.spawnSync([path, "--version"], { stdout: "pipe", stderr: "pipe", timeout: 15_000 });
  const printed = r.stdout.toString().trim();
  if (r.exitCode !== 0 || !printed.includes(version)) {
    renameSync(old, path); // replaces the broken new binary
    const why = r.exitCode !== 0 ? `exit ${r.exitCode ?? "signal"}` : `it printed "${printed.slice(0, 60)}"`;
    throw new ActionableError(
      `the new binary failed its --version check (${why}); the previous version was restored`,
      "report it at https://github.com/BlockRunAI/runcode/issues",
      "internal",
    );
  }
  // Windows cannot delete a running executable; the .old file is removed by the next upgrade.
  if (process.platform !== "win32") rmSync(old, { force: true });
}
