// The command table: one line per command, each imported only when it runs (or when help lists it).
import type { CommandDef } from "citty";

type Lazy = () => Promise<CommandDef<any>>;

export const COMMANDS: Record<string, Lazy> = {
  repl: () => import("../commands/repl").then((m) => m.default),
  ask: () => import("../commands/ask").then((m) => m.default),
  edit: () => import("../commands/edit").then((m) => m.default),
  models: () => import("../commands/models").then((m) => m.default),
  route: () => import("../commands/route").then((m) => m.default),
  config: () => import("../commands/config").then((m) => m.default),
  doctor: () => import("../commands/doctor").then((m) => m.default),
  upgrade: () => import("../commands/upgrade").then((m) => m.default),
  wallet: () => import("../commands/wallet").then((m) => m.default),
  balance: () => import("../commands/balance").then((m) => m.default),
  setup: () => import("../commands/setup").then((m) => m.default),
  sessions: () => import("../commands/sessions").then((m) => m.default),
  stats: () => import("../commands/stats").then((m) => m.default),
  proxy: () => import("../commands/proxy").then((m) => m.default),
  daemon: () => import("../commands/daemon").then((m) => m.default),
  init: () => import("../commands/init").then((m) => m.default),
  uninit: () => import("../commands/init").then((m) => m.uninit),
  mcp: () => import("../commands/mcp").then((m) => m.default),
};
