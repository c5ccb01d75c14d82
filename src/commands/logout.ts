// `runcode logout`: stop using the team server `runcode login` stored; this machine's own wallet (if any) pays again.
import { existsSync, rmSync } from "node:fs";
import { defineCommand } from "citty";
import { err } from "../cli/io";
import { runEnv } from "../cli/secrets";
import { EXIT } from "../core/errors";
import { homeDir, paths } from "../core/home";
import { readLogin, type TeamLogin } from "../gateway/team";

export default defineCommand({
  meta: { name: "logout", description: "Stop using the team server: remove the stored URL and token" },
  run() {
    const file = paths(homeDir(runEnv())).login;
    if (!existsSync(file)) {
      err("not logged in to a team\n");
      return EXIT.ok;
    }
    let login: TeamLogin | undefined;
    try {
      login = readLogin(file);
    } catch {
      // a damaged login is removed all the same
    }
    rmSync(file, { force: true });
    err(`logged out${login ? ` of ${login.url} (${login.email})` : ""}: paid models need this machine's own wallet again\n`);
    return EXIT.ok;
  },
});
