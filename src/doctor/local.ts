// Checks that only read the machine: binary, PATH, home dir, key files, wallet, catalog cache, MCP and Claude Code
// configuration. Each returns one Outcome; none throws for an expected problem.
import { accessSync, constants, existsSync, readFileSync, realpathSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { readConfig } from "../core/config";
import { ActionableError } from "../core/errors";
import { readLogin, type TeamLogin } from "../gateway/team";
import { resolveChain } from "../money/chain";
import { getValue } from "../settings";
import { installHint, mechanism, openSandbox } from "../sandbox";
import { describeSource, walletSource } from "../money/wallet/keys";
import { COMMIT, VERSION } from "../version";
import { type Check, type DoctorContext, fail, ok, type Outcome, warn } from "./types";

const real = (p: string) => {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
};

const version: Check = {
  id: "version",
  label: "binary",
  run: (ctx) => ok(`runcode ${VERSION} (${COMMIT}), ${ctx.compiled ? `binary ${ctx.execPath}` : "running from source"}`),
};

const path: Check = {
  id: "path",
  label: "on PATH",
  run: (ctx) => {
    if (!ctx.compiled) return ok("running from source: PATH not checked");
    const found = Bun.which("runcode", { PATH: ctx.env.PATH ?? "" });
    const dir = dirname(ctx.execPath);
    if (!found) return warn(`${dir} is not on PATH`, `add it: export PATH="${dir}:$PATH" (in your shell profile)`);
    if (real(found) !== real(ctx.execPath))
      return warn(`\`runcode\` on PATH is ${found}, not this binary`, `remove ${found} or put ${dir} first in PATH`);
    return ok(found);
  },
};

const home: Check = {
  id: "home",
  label: "home dir",
  run: (ctx) => {
    const dir = ctx.paths.home;
    if (!existsSync(dir)) return warn(`${dir} does not exist yet`, "run `runcode setup` (or any command) to create it");
    if (!statSync(dir).isDirectory())
      return fail(`${dir} is not a directory`, `move ${dir} away; runcode keeps its data there (or set RUNCODE_HOME)`);
    try {
      accessSync(dir, constants.W_OK);
    } catch {
      return fail(`${dir} is not writable`, `run \`chown -R "$USER" ${dir}\``);
    }
    return ok(dir);
  },
};

// The config file on its own row: a broken file is said once, here, not under every check that reads a setting.
const config: Check = {
  id: "config",
  label: "config file",
  run: (ctx) => {
    const file = ctx.paths.config;
    if (!existsSync(file)) return ok("none: every setting has its default");
    let data: Record<string, unknown>;
    try {
      data = readConfig(file);
    } catch (err) {
      return broken(err);
    }
    for (const key of Object.keys(data))
      try {
        getValue(data, key, file);
      } catch (err) {
        return broken(err);
      }
    return ok(`${file} (${Object.keys(data).length} setting(s))`);
  },
};

const broken = (err: unknown) =>
  err instanceof ActionableError
    ? fail(err.summary, err.fix || "fix it with `runcode config set`, or by hand")
    : fail(String(err), "fix it with `runcode config set`, or by hand");

// A key file others can read is a wallet anyone on the machine can spend from.
const keys: Check = {
  id: "keys",
  label: "key files",
  run: (ctx) => {
    const p = ctx.paths;
    const files = [p.evmKey, p.solanaKey, p.legacyEvmKey, p.chain, p.login].filter((f) => existsSync(f));
    if (!files.length) return ok("no key files");
    if (process.platform === "win32") return ok(`${files.length} file(s); permissions not checked on Windows`);
    const open = files.filter((f) => (statSync(f).mode & 0o077) !== 0);
    if (open.length) {
      const mode = (statSync(open[0]!).mode & 0o777).toString(8);
      return fail(`${open.join(", ")} readable by other users (mode ${mode})`, `run \`chmod 600 ${open.join(" ")}\``);
    }
    return ok(`${files.length} file(s), mode 600`);
  },
};

const EVM_KEY = /^(0x)?[0-9a-fA-F]{64}$/;
const SOLANA_KEY = /^[1-9A-HJ-NP-Za-km-z]{80,90}$/;

// Logged in to a team (`runcode login`), the team's wallet pays: this row names the team and the developer, never
// the token. RUNCODE_API_URL wins over the login (src/gateway/team.ts), so then the local wallet is checked as usual.
const wallet: Check = {
  id: "wallet",
  label: "wallet",
  run: (ctx) => {
    let login: TeamLogin | undefined;
    try {
      login = readLogin(ctx.paths.login);
    } catch (err) {
      return broken(err);
    }
    if (login && !ctx.env.RUNCODE_API_URL)
      return ok(`team ${login.url} as ${login.email}: the team pays (\`runcode logout\` to use a wallet of your own)`);
    const local = localWallet(ctx);
    if (!login) return local;
    return { ...local, detail: `${local.detail}; the team login (${login.url}) is not used while RUNCODE_API_URL is set` };
  },
};

function localWallet(ctx: DoctorContext): Outcome {
  let chain;
  try {
    chain = resolveChain(ctx.env, ctx.paths.chain);
  } catch (err) {
    return fail(err instanceof Error ? err.message : String(err), `run \`echo base > ${ctx.paths.chain}\` (or solana)`);
  }
  const source = walletSource(ctx.paths, ctx.env, chain);
  if (!source) return warn(`chain ${chain}, no wallet: only free models work`, "run `runcode setup` to create and fund one");
  const secret = source.kind === "env" ? (ctx.env[source.name] ?? "") : readFileSync(source.path, "utf8");
  const shape = chain === "base" ? EVM_KEY : SOLANA_KEY;
  if (!shape.test(secret.trim()))
    return fail(
      `chain ${chain}: the key in ${describeSource(source)} is malformed`,
      "restore it from your backup, or move it away and run `runcode wallet import`",
    );
  return ok(`chain ${chain}, key from ${describeSource(source)}`);
}

const catalog: Check = {
  id: "catalog",
  label: "model catalog",
  run: (ctx) => {
    const file = ctx.paths.catalogCache;
    if (!existsSync(file)) return ok("not cached yet (fetched on first use)");
    let fetchedAt: unknown;
    try {
      fetchedAt = (JSON.parse(readFileSync(file, "utf8")) as { fetchedAt?: unknown }).fetchedAt;
    } catch {
      fetchedAt = undefined;
    }
    if (typeof fetchedAt !== "number") return warn(`${file} is corrupt`, `delete it (rm ${file}); it is fetched again on the next run`);
    const ttl = Number(getValue(readConfig(ctx.paths.config), "catalog-ttl", ctx.paths.config)) * 1000;
    const age = Date.now() - fetchedAt;
    const ago =
      age < 120_000
        ? `${Math.round(age / 1000)} s`
        : age < 7_200_000
          ? `${Math.round(age / 60_000)} min`
          : `${Math.round(age / 3_600_000)} h`;
    if (age > ttl) return warn(`fetched ${ago} ago (older than catalog-ttl ${ttl / 1000} s)`, "run `runcode models` to refresh it");
    return ok(`fetched ${ago} ago`);
  },
};

/** Validates an MCP config file; `undefined` when it does not exist. Same shape as Claude Code's .mcp.json. */
function mcpFile(file: string): { servers: number; error?: string } | undefined {
  if (!existsSync(file)) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return { servers: 0, error: `${file} is not valid JSON` };
  }
  const servers = (data as { mcpServers?: unknown } | null)?.mcpServers;
  if (!servers || typeof servers !== "object" || Array.isArray(servers)) return { servers: 0, error: `${file} has no "mcpServers" object` };
  for (const [name, s] of Object.entries(servers)) {
    const def = s as { command?: unknown; url?: unknown } | null;
    if (typeof def?.command !== "string" && typeof def?.url !== "string")
      return { servers: 0, error: `server "${name}" in ${file} has neither "command" nor "url"` };
  }
  return { servers: Object.keys(servers).length };
}

const mcp: Check = {
  id: "mcp",
  label: "MCP servers",
  run: (ctx) => {
    const found = [ctx.paths.mcp, join(ctx.cwd, ".mcp.json")].map((f) => ({ f, r: mcpFile(f) })).filter((x) => x.r);
    const bad = found.find((x) => x.r?.error);
    if (bad) return fail(bad.r!.error!, `fix ${bad.f} (format: {"mcpServers": {"name": {"command": "…", "args": []}}})`);
    if (!found.length) return ok("none configured");
    return ok(found.map((x) => `${x.r!.servers} in ${x.f}`).join(", "));
  },
};

/** Claude Code's settings: where it is told to use the runcode proxy (written by `runcode init`). */
export function claudeSettings(ctx: DoctorContext): { file: string; baseUrl?: string; error?: string } {
  const file = join(ctx.env.CLAUDE_CONFIG_DIR || join(ctx.userHome, ".claude"), "settings.json");
  if (!existsSync(file)) return { file };
  try {
    const data = JSON.parse(readFileSync(file, "utf8")) as { env?: Record<string, unknown> } | null;
    const url = data?.env?.ANTHROPIC_BASE_URL;
    return { file, baseUrl: typeof url === "string" ? url : undefined };
  } catch {
    return { file, error: `${file} is not valid JSON` };
  }
}

export const pointsAtProxy = (url: string | undefined) => !!url && /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\]):8402(\/|$)/.test(url);

const claude: Check = {
  id: "claude",
  label: "Claude Code",
  run: (ctx) => {
    const s = claudeSettings(ctx);
    if (s.error) return fail(s.error, `fix ${s.file} by hand, then run \`runcode init\``);
    if (pointsAtProxy(s.baseUrl)) return ok(`${s.file} uses the runcode proxy (${s.baseUrl})`);
    if (s.baseUrl) return ok(`uses ${s.baseUrl}, not the runcode proxy (run \`runcode init\` to switch)`);
    return ok("not set up to use runcode (optional: `runcode init`)");
  },
};

/** Which OS sandbox `--sandbox` would use, and that it can start here (bubblewrap needs user namespaces). */
const sandbox: Check = {
  id: "sandbox",
  label: "sandbox",
  run: () => {
    const m = mechanism();
    if (!m) return warn("no OS sandbox on this machine: --sandbox is refused (Bash asks, or needs --allow)", installHint());
    try {
      openSandbox({ mode: "read-only", root: "/", home: "/nonexistent", secrets: [], network: false }, m).dispose();
    } catch (err) {
      return warn(
        err instanceof ActionableError ? err.summary : String(err),
        err instanceof ActionableError ? err.fix : "run without --sandbox",
      );
    }
    return ok(`${m.name} (${m.path}): --sandbox read-only and workspace-write are available`);
  },
};

export const LOCAL_CHECKS: Check[] = [version, path, home, config, keys, wallet, catalog, mcp, claude, sandbox];
