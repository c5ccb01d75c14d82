// A developer's team login (`runcode login`): the team server's URL, their token and email, kept in
// team-login.json (0600). With it the gateway is the team server (the gateway's API under its /api prefix), every
// request carries the token, and the team pays. `RUNCODE_API_URL` still wins: a gateway named explicitly is never
// sent the token. This file decides which one applies, and reads the one endpoint of the team's own: /team/me.
import { readFileSync } from "node:fs";
import { ActionableError } from "../core/errors";
import { fetchFailure, netFailure } from "../core/net";
import type { Fetch } from "./client";

/** What `runcode login` stores. `caFile`: a self-signed server certificate's PEM file (RUNCODE_TEAM_CA at login). */
export type TeamLogin = { url: string; token: string; email: string; caFile?: string };

/** The team a run uses: the login, with its CA certificate read (`ca`: PEM text). */
export type Team = { url: string; token: string; email: string; ca?: string };

/** GET /team/me, as the team server answers it (src/team/admin.ts DeveloperView). */
export type TeamMe = {
  email: string;
  status: string;
  budget: string | null;
  period: string;
  spent: string;
  left: string | null;
  resets: string;
};

/** The login file, or undefined when there is none; a damaged file is an error with its fix, never ignored. */
export function readLogin(file: string): TeamLogin | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  let v: Partial<TeamLogin> | null = null;
  try {
    v = JSON.parse(text) as Partial<TeamLogin>;
  } catch {
    // reported below
  }
  if (typeof v?.url !== "string" || typeof v.token !== "string" || typeof v.email !== "string")
    throw new ActionableError(
      `${file} is not a team login runcode can read`,
      "run `runcode login <team server URL> --token rct_…` again, or `runcode logout`",
      "config",
    );
  return { url: v.url, token: v.token, email: v.email, caFile: typeof v.caFile === "string" ? v.caFile : undefined };
}

/**
 * The team this run uses: the login, unless RUNCODE_API_URL names a gateway (which then wins, without the token).
 * RUNCODE_TEAM_CA, else the CA file saved at login, is read here.
 */
export function activeTeam(env: Record<string, string | undefined>, file: string): Team | undefined {
  if (env.RUNCODE_API_URL) return undefined;
  const login = readLogin(file);
  if (!login) return undefined;
  return { url: login.url, token: login.token, email: login.email, ca: readCa(env.RUNCODE_TEAM_CA || login.caFile) };
}

/** The gateway's API on a team server. */
export const teamBase = (url: string) => `${url}/api`;

/** The PEM text of a CA file, or undefined; a file that cannot be read is said with its fix. */
export function readCa(file: string | undefined): string | undefined {
  if (!file) return undefined;
  try {
    return readFileSync(file, "utf8");
  } catch {
    throw new ActionableError(`cannot read the team server's certificate ${file}`, "point RUNCODE_TEAM_CA at its PEM file", "config");
  }
}

/** fetch that trusts `ca` too (a team server's self-signed certificate); plain fetch without one. */
export function teamFetch(ca: string | undefined): Fetch {
  return ca ? (req) => fetch(req, { tls: { ca } } as RequestInit) : (req) => fetch(req);
}

/** The team refused the token: it was revoked, rotated or mistyped. Only the admin can issue a new one. */
export function tokenRefused(url: string, said: string, email = "<your email>"): ActionableError {
  return new ActionableError(
    `the team server ${url} refused your token: ${said}`,
    `ask your team admin for a new one (\`runcode team rotate ${email}\`), then run \`runcode login ${url} --token <new token>\``,
    "wallet",
  );
}

/** GET /team/me: who the token belongs to and their budget. Every failure is one line with its fix. */
export async function teamMe(team: Pick<Team, "url" | "token" | "ca"> & { email?: string }, userAgent: string): Promise<TeamMe> {
  let res: Response;
  try {
    res = await teamFetch(team.ca)(
      new Request(`${team.url}/team/me`, {
        headers: { authorization: `Bearer ${team.token}`, "user-agent": userAgent },
        signal: AbortSignal.timeout(10_000),
      }),
    );
  } catch (err) {
    const tls = netFailure(err)?.reason === "TLS certificate problem";
    throw new ActionableError(
      `cannot reach the team server at ${team.url} (${fetchFailure(err)})`,
      tls
        ? "for a self-signed certificate, set RUNCODE_TEAM_CA=<its PEM file>"
        : "check the URL (the one `runcode team serve` listens on) and that the server runs",
      "gateway_unreachable",
    );
  }
  const text = await res.text().catch(() => "");
  let body: Partial<TeamMe> & { error?: { message?: unknown } | string } = {};
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: not a team server
  }
  const said = typeof body.error === "string" ? body.error : typeof body.error?.message === "string" ? body.error.message : "";
  if (res.status === 401) throw tokenRefused(team.url, said || `HTTP ${res.status}`, team.email);
  if (!res.ok || typeof body.email !== "string")
    throw new ActionableError(
      `${team.url} does not answer as a runcode team server (HTTP ${res.status}${said ? `: ${said}` : ""})`,
      "check the URL (the one `runcode team serve` listens on)",
      "gateway_error",
    );
  return body as TeamMe;
}

/** `runcode balance` and the REPL's /wallet for a team: what is left (the product) and the rest as notes. */
export function teamReport(url: string, me: TeamMe): { out: string; notes: string[] } {
  const left =
    me.budget === null
      ? `no budget of your own (spent ${me.spent} this ${me.period})`
      : `${me.left} of ${me.budget} left this ${me.period}`;
  return {
    out: `${left}\n`,
    notes: [`team ${url} as ${me.email}`, `spent ${me.spent} this ${me.period}; resets ${me.resets}`],
  };
}
