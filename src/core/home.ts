// Where runcode keeps its data. RUNCODE_HOME (default ~/.blockrun) is shared with the original RunCode so an
// existing user keeps their wallet, config and history. Environment is read here, once, at the edge.
import { homedir } from "node:os";
import { join } from "node:path";

export function homeDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.RUNCODE_HOME || join(env.HOME || homedir(), ".blockrun");
}

export const paths = (home: string) => ({
  home,
  config: join(home, "runcode-config.json"),
  permissions: join(home, "runcode-permissions.json"),
  /** Claude Code-shaped settings (hooks, docs/hooks.md): the user's, for every project. */
  settings: join(home, "settings.json"),
  chain: join(home, "payment-chain"),
  evmKey: join(home, ".session"),
  solanaKey: join(home, ".solana-session"),
  legacyEvmKey: join(home, "wallet.key"),
  catalogCache: join(home, "cache", "models.json"),
  log: join(home, "runcode-debug.log"),
  db: join(home, "runcode.db"),
  sessions: join(home, "sessions"),
  stats: join(home, "runcode-stats.json"),
  mcp: join(home, "mcp.json"),
  /** Endpoints next to the gateway (`runcode providers`, docs/providers.md); may hold API keys. */
  providers: join(home, "providers.json"),
  trusted: join(home, "trusted-projects.json"),
  pid: join(home, "runcode.pid"),
  history: join(home, "repl-history"),
  tools: join(home, "tools"),
  commands: join(home, "commands"),
  /** The team server's developers, budgets and audit log (next to the wallet it pays from). */
  team: join(home, "team.db"),
  /** A developer's `runcode login`: the team server's URL and their token. */
  login: join(home, "team-login.json"),
});
export type Paths = ReturnType<typeof paths>;
