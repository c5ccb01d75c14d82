// The saving of output budgets, measured: a 30-request Claude Code-like session (test/fixtures/claude-session.ts)
// replayed through the proxy with real payments against the fake x402 gateway, which prices each request as the
// real one does (input estimate × input price + max_tokens × output price + fee). Under `auto` it must cost at least
// 50% less than under `client` (the policy off), and the client must receive exactly the same answers.
import { afterEach, expect, test } from "bun:test";
import { claudeSession } from "../fixtures/claude-session";
import { proxyRig, type ProxyRig } from "./setup";

let r: ProxyRig | undefined;
afterEach(async () => {
  await r?.stop();
  r = undefined;
});

const LIMITS = { "max-usd-per-request": 5, "max-usd-per-session": 1000, "max-usd-per-day": 1000 };

async function replay(mode: "auto" | "client") {
  const session = claudeSession();
  r = await proxyRig({ paid: true, script: session.map((s) => s.reply), config: { ...LIMITS, "output-budget": mode } });
  const answers: unknown[] = [];
  for (const s of session) {
    const m = await r
      .anthropic()
      .messages.stream(s.body as never)
      .finalMessage();
    answers.push({ content: m.content, stop: m.stop_reason });
  }
  const usd = r.pay!.x402.settled.reduce((n, p) => n + Number(p.amount), 0) / 1e6;
  const requests = r.pay!.x402.settled.length; // paid requests (a 402 and its signed resend are one)
  await r.stop();
  r = undefined;
  return { answers, usd, requests };
}

test("the replayed session costs at least 50% less under auto than under client, with the same answers", async () => {
  const client = await replay("client");
  const auto = await replay("auto");
  expect(auto.answers).toEqual(client.answers);
  expect(client.requests).toBe(30);
  expect(auto.usd).toBeLessThanOrEqual(client.usd * 0.5);
  // The figure docs/performance.md reports (printed to the test log only when asked for).
  if (process.env.RUNCODE_REPORT)
    console.error(
      `replay: client $${client.usd.toFixed(4)} (${client.requests} requests), auto $${auto.usd.toFixed(4)} (${auto.requests} requests)`,
    );
}, 60_000);
