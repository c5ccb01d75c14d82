// `runcode login <team server URL> --token rct_…`: this machine draws on a team's wallet instead of its own. The URL
// and token are checked against the server (GET /team/me) before anything is stored; then ask, edit, the REPL and
// the proxy use the team (src/gateway/team.ts). The token goes only over TLS, or to this machine.
import { resolve } from "node:path";
import { defineCommand } from "citty";
import { err, tty } from "../cli/io";
import { runEnv } from "../cli/secrets";
import { ui } from "../cli/ui";
import { EXIT, usageError } from "../core/errors";
import { homeDir, paths } from "../core/home";
import { writePrivateJson } from "../core/private";
import { addSecret } from "../core/secrets";
import { readCa, teamMe, teamReport, type TeamLogin } from "../gateway/team";
import { TOKEN_SHAPE } from "../team/tokens";
import { VERSION } from "../version";

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);
const EXAMPLE = "e.g. runcode login https://team.example:8403 --token rct_…";

/** The server's base URL: http(s), https unless it is this machine, without a trailing `/` or `/api`. */
function teamUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw usageError(`"${raw}" is not a URL`, EXAMPLE);
  }
  if (u.protocol !== "https:" && u.protocol !== "http:") throw usageError(`the team server URL must be https://, got "${raw}"`, EXAMPLE);
  if (u.protocol === "http:" && !LOOPBACK.has(u.hostname))
    throw usageError(
      `refusing to send your token to ${u.origin} over plain HTTP: anyone on the way could read it`,
      `use https://${u.host} (the server needs --tls-cert and --tls-key)`,
    );
  return `${u.origin}${u.pathname.replace(/\/+$/, "").replace(/\/api$/, "")}`;
}

function checkToken(raw: string): string {
  const token = raw.trim();
  if (token.startsWith("rca_"))
    throw usageError("that is the team's admin token", "log in with your developer token (rct_…, printed by `runcode team add`)");
  if (!token.startsWith("rct_") || !TOKEN_SHAPE.test(token))
    throw usageError("that is not a team developer token (rct_ and 43 more characters)", "copy the whole token your team admin gave you");
  return token;
}

export default defineCommand({
  meta: { name: "login", description: "Use a team server instead of a wallet: check and store its URL and your token" },
  args: {
    url: { type: "positional", required: true, description: "the team server, e.g. https://team.example:8403" },
    token: { type: "string", description: "your developer token rct_… (or pipe it on stdin)" },
  },
  async run({ args }) {
    const env = runEnv();
    const url = teamUrl(String(args.url));
    let raw = args.token;
    if (raw === undefined && !tty.in) raw = await new Response(Bun.stdin.stream()).text();
    if (!raw?.trim()) throw usageError("no token", "pass --token rct_… (printed once by `runcode team add`), or pipe it on stdin");
    const token = checkToken(raw);
    addSecret(token);
    const caFile = env.RUNCODE_TEAM_CA ? resolve(env.RUNCODE_TEAM_CA) : undefined;
    const me = await teamMe({ url, token, ca: readCa(caFile) }, `runcode/${VERSION}`);
    const p = paths(homeDir(env));
    const login: TeamLogin = { url, email: me.email, token, ...(caFile ? { caFile } : {}) };
    writePrivateJson(p.login, login);
    err(`logged in to ${url} as ${me.email}: ${teamReport(url, me).out.trim()}\n`);
    err("ask, edit, the REPL and the proxy now use the team; `runcode logout` stops\n");
    if (env.RUNCODE_API_URL) ui.warn(`RUNCODE_API_URL is set (${env.RUNCODE_API_URL}): it wins over the team login until you unset it`);
    return EXIT.ok;
  },
});
