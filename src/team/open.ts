// Which team store a command uses: `--db`, else the `team-db` setting, else team.db next to the wallet. A
// postgres:// URL is a PostgreSQL server (several team servers can share it); anything else a SQLite file. A URL's
// password is a secret: it is registered for redaction and never printed (`where` shows it as ***).
import { existsSync } from "node:fs";
import { ActionableError } from "../core/errors";
import type { Paths } from "../core/home";
import { addSecret } from "../core/secrets";
import type { TeamStore } from "./store";

export const isPostgres = (spec: string) => /^postgres(ql)?:\/\//i.test(spec);

/** The store's spec for this run: a postgres:// URL or a file path. */
export function teamSpec(paths: Paths, db: string | undefined, get: (key: string) => unknown): string {
  const spec = db ?? (get("team-db") as string | undefined) ?? paths.team;
  if (isPostgres(spec)) {
    try {
      addSecret(decodeURIComponent(new URL(spec).password) || undefined);
    } catch {
      throw new ActionableError(`the team database URL is not a valid URL`, "e.g. --db postgres://runcode@db.internal/runcode", "usage");
    }
  }
  return spec;
}

/**
 * Opens the team store. `create`: make it when missing (init, serve, migrate's target); otherwise a missing SQLite
 * file is "run team init" rather than an empty team.
 */
export async function openTeamStore(spec: string, o: { create?: boolean } = {}): Promise<TeamStore> {
  if (isPostgres(spec)) {
    const { PgTeamStore, displayUrl } = await import("./pg");
    try {
      return await PgTeamStore.open(spec);
    } catch (err) {
      throw new ActionableError(
        `cannot open the team database ${displayUrl(spec)} (${err instanceof Error ? err.message : String(err)})`,
        "check that PostgreSQL runs there and the URL's user, password and database are right",
        "store",
      );
    }
  }
  if (!o.create && !existsSync(spec))
    throw new ActionableError(`no team database at ${spec}`, "create one with `runcode team init`", "usage");
  const { SqliteTeamStore } = await import("./sqlite");
  return SqliteTeamStore.open(spec);
}
