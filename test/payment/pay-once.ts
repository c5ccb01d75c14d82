// Child process for the concurrency test: one paid request through the real payer, sharing RUNCODE_HOME (and so
// the ledger) with its siblings. Prints one JSON line: {ok, usd} or {ok:false, code, message}.
import { readConfig } from "../../src/core/config";
import { getValue } from "../../src/settings";
import { paths } from "../../src/core/home";
import { runPayer } from "../../src/agent/payer";
import { Gateway } from "../../src/gateway/client";
import { openStore } from "../../src/store/open";

const home = process.env.RUNCODE_HOME!;
const p = paths(home);
const cfg = readConfig(p.config);
const store = openStore({ home, warn: () => {} });
let usd = 0;
const ctx = { paths: p, env: process.env, get: (k: string) => getValue(cfg, k), chain: "base" as const, baseUrl: process.env.GW_URL! };
const payer = runPayer(ctx, {
  store: () => store,
  emit: (e) => {
    if (e.type === "payment.settled") usd += e.usd;
  },
  session: () => `proc-${process.pid}`,
  isFree: () => false,
});
const gw = new Gateway({ baseUrl: process.env.GW_URL!, userAgent: "t", payer });
try {
  const model = "anthropic/claude-sonnet-4.6";
  const { response } = await gw.post("/v1/messages", { model, max_tokens: 100, messages: [{ role: "user", content: "hi" }] }, { model });
  await response.text();
  console.log(JSON.stringify({ ok: true, usd }));
} catch (err) {
  const e = err as { code?: string; message?: string };
  console.log(JSON.stringify({ ok: false, code: e.code, message: e.message }));
}
