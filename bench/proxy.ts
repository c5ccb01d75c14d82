// Proxy benchmark: added latency vs calling the fake gateway directly (non-streaming p50/p99), extra time to the
// first streamed byte, 200 concurrent streaming requests (errors, proxy peak RSS), and requests/second.
// The fake gateway and the proxy each run in their own process (the proxy pinned to 2 cores with taskset when
// available), so the client's work does not hide in either. Numbers are medians of RUNS runs.
// Usage: bun bench/proxy.ts [--runs 3] [--n 2000]
import { readFileSync } from "node:fs";
import { Gateway } from "../src/gateway/client";
import { normalize } from "../src/gateway/catalog";
import { startProxy } from "../src/proxy/server";
import { FAKE_MODELS, startFakeGateway, type Recorded, type Reply } from "../test/fake-gateway";

const arg = (name: string, d: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : d;
};
const role = process.argv[2];

async function spawnRole(args: string[], pin: boolean) {
  const cmd = [process.execPath, import.meta.path, ...args];
  const proc = Bun.spawn(pin && Bun.which("taskset") ? ["taskset", "-c", "0,1", ...cmd] : cmd, { stdout: "pipe", stderr: "inherit" });
  const reader = proc.stdout.getReader();
  const { value } = await reader.read();
  return { proc, url: new TextDecoder().decode(value).trim() };
}

const body = (stream: boolean, prompt = "hi") =>
  JSON.stringify({ model: "nvidia/qwen3-coder-480b", max_tokens: 100, stream, messages: [{ role: "user", content: prompt }] });
const post = (url: string, b: string) =>
  fetch(`${url}/v1/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: b });
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
const median = (xs: number[]) => pct(xs, 0.5);

async function times(url: string, n: number, stream: boolean): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const res = await post(url, body(stream));
    if (stream) {
      const r = res.body!.getReader();
      await r.read();
      out.push(performance.now() - t);
      while (!(await r.read()).done);
    } else {
      await res.text();
      out.push(performance.now() - t);
    }
  }
  return out;
}

async function once(gw: string, proxy: string, pid: number, n: number) {
  await times(gw, 200, false); // warm up both paths
  await times(proxy, 200, false);
  const direct = await times(gw, n, false);
  const via = await times(proxy, n, false);
  const ttfbDirect = await times(gw, n / 4, true);
  const ttfbVia = await times(proxy, n / 4, true);

  let errors = 0;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: 200 }, async () => {
      try {
        const text = await (await post(proxy, body(true, "slow"))).text();
        if (!text.includes("message_stop")) errors++;
      } catch {
        errors++;
      }
    }),
  );
  const concurrentMs = performance.now() - t;
  const rss = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;

  let done = 0;
  const end = performance.now() + 3000;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (performance.now() < end) {
        await (await post(proxy, body(false))).text();
        done++;
      }
    }),
  );
  return {
    p50: median(via) - median(direct),
    p99: pct(via, 0.99) - pct(direct, 0.99),
    ttfb: median(ttfbVia) - median(ttfbDirect),
    directP50: median(direct),
    errors,
    concurrentMs,
    rss,
    rps: done / 3,
  };
}

async function main() {
  const runs = arg("runs", 3);
  const n = arg("n", 2000);
  const results: Awaited<ReturnType<typeof once>>[] = [];
  for (let i = 0; i < runs; i++) {
    const gw = await spawnRole(["gateway"], false);
    const proxy = await spawnRole(["proxy", gw.url], true);
    results.push(await once(gw.url, proxy.url, proxy.proc.pid, n));
    proxy.proc.kill();
    gw.proc.kill();
  }
  const m = (k: keyof (typeof results)[number]) => median(results.map((r) => r[k]));
  const f = (x: number) => x.toFixed(3);
  console.log(`runs: ${runs}, ${n} sequential requests per path, proxy pinned to 2 cores: ${!!Bun.which("taskset")}`);
  console.log(`added latency, non-streaming: p50 ${f(m("p50"))} ms, p99 ${f(m("p99"))} ms (direct p50 ${f(m("directP50"))} ms)`);
  console.log(`added time to first streamed byte: ${f(m("ttfb"))} ms`);
  console.log(
    `200 concurrent streams: ${Math.max(...results.map((r) => r.errors))} errors (worst run), ${m("concurrentMs").toFixed(0)} ms, proxy peak RSS ${m("rss").toFixed(1)} MB`,
  );
  console.log(`requests/second through the proxy (32 clients, non-streaming): ${m("rps").toFixed(0)}`);
}

// Dispatch last: the helpers above must be initialised before main() runs.
if (role === "gateway") {
  // Every request is answered; "slow" prompts stream 40 words 10 ms apart (to hold 200 streams open at once).
  const reply = (rec: Recorded): Reply => (rec.raw.includes('"slow"') ? { text: "word ".repeat(40), delayMs: 10 } : { text: "ok" });
  const gw = await startFakeGateway({ script: Array.from({ length: 500_000 }, () => reply) });
  console.log(gw.url);
} else if (role === "proxy") {
  const models = normalize({ data: FAKE_MODELS });
  const p = startProxy({
    port: 0,
    origins: [],
    maxBody: 32 << 20,
    fallback: true,
    gateway: new Gateway({ baseUrl: process.argv[3]!, userAgent: "bench", idleTimeoutMs: 60_000 }),
    catalog: () => models,
    get: () => undefined,
    router: {},
    chain: "base",
    version: "bench",
    wallet: () => null,
    log: () => {},
  });
  console.log(`http://127.0.0.1:${p.port}`);
} else await main();
