// Child process for the concurrency test: one paid request through the real payer, sharing RUNCODE_HOME (and so
// the ledger) with its siblings. Prints one JSON line: {ok, usd} or {ok:false, code, message}.
import { getValue, readConfig } from "../../src/core/config";
import { paths } from "../../src/core/home";
import { Gateway } from "../../src/gateway/client";
import { createPayer } from "../../src/gateway/payment";

const home = process.env.RUNCODE_HOME!;
const p = paths(home);
const cfg = readConfig(p.config);
const payer = createPayer({ paths: p, env: process.env, config: (k) => getValue(cfg, k), emit: () => {}, session: `proc-${process.pid}`, interactive: false, confirm: async () => false, apiBase: process.env.GW_URL!, chain: "base", isFree: () => false });
const gw = new Gateway({ baseUrl: process.env.GW_URL!, userAgent: "t", payer });
try {
  const model = "anthropic/claude-sonnet-4.6";
  const { response, usd } = await gw.post("/v1/messages", { model, max_tokens: 100, messages: [{ role: "user", content: "hi" }] }, { model });
  await response.text();
  console.log(JSON.stringify({ ok: true, usd }));
} catch (err) {
  const e = err as { code?: string; message?: string };
  console.log(JSON.stringify({ ok: false, code: e.code, message: e.message }));
}
