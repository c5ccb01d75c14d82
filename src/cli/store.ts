// The store as commands use it: the home comes from the environment (read here, at the edge), warnings go to
// stderr, and the database is closed when the command is done. A run opens its own (agent/workspace.ts).
import { homeDir } from "../core/home";
import { openStore } from "../store/open";
import type { Store } from "../store/store";
import { ui } from "./ui";

export function withStore<T>(fn: (store: Store) => T): T {
  const store = openStore({ home: homeDir(), warn: ui.warn });
  try {
    return fn(store);
  } finally {
    store.close();
  }
}
