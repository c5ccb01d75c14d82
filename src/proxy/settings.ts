// Settings of `runcode proxy` (spread into the program's table in src/settings.ts). Flags override them per run.
import type { SettingDef } from "../core/config";

export const PROXY_SETTINGS: Record<string, SettingDef> = {
  "proxy-port": { kind: "int", default: 8402, doc: "port `runcode proxy`, the daemon and `init` use" },
  "proxy-model": { kind: "string", doc: "model every proxied request uses (like `proxy --model`); unset = the client's choice" },
  "proxy-token": { kind: "string", doc: "when set, proxy clients must send it as `Authorization: Bearer` or `x-api-key`" },
  "proxy-allowed-origins": { kind: "string", doc: "comma-separated browser origins allowed to call the proxy (default: none)" },
  "proxy-max-body-mb": { kind: "int", default: 32, doc: "largest request body the proxy accepts, in MB (413 above)" },
  "proxy-fallback": { kind: "bool", default: true, doc: "try the next model when one fails before any byte was sent" },
};
