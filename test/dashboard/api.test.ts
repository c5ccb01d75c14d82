// The JSON endpoints of the real `runcode dashboard`: their figures equal `runcode stats --json` on the same
// runcode.db, and every answer passes the security rules (Host, Origin, CSP, no unknown route).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { cleanup, cliEnv, ROOT, runCli, tempDir } from "../helpers";
import { MODELS, seedHome } from "./seed";
import { startDashboardCli, type Dashboard } from "./spawn";

const home = tempDir();
let d: Dashboard;
beforeAll(async () => {
  seedHome(home, Date.now());
  d = await startDashboardCli(home);
});
afterAll(async () => {
  await d?.stop();
  cleanup(home);
});

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${d.origin}${path}`, { headers });
const json = async (path: string) => {
  const r = await get(path);
  expect(r.status).toBe(200);
  return (await r.json()) as any;
};
const stats = async (...args: string[]) => {
  const r = await runCli(["stats", "--json", ...args], { home });
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
};
const STATS = ["requests", "errors", "input", "output", "cacheRead", "cacheWrite", "usd", "opusUsd", "savingsUsd", "fallbacks", "avgMs"];
const pick = (o: Record<string, unknown>) => Object.fromEntries(STATS.map((k) => [k, o[k]]));

describe("runcode dashboard's JSON", () => {
  test("the overview's totals are runcode stats --json's, over everything and over 7 days", async () => {
    expect(pick((await json("/api/dashboard/overview?range=all")).totals)).toEqual(pick((await stats()).total));
    expect(pick((await json("/api/dashboard/overview?range=7d")).totals)).toEqual(pick((await stats("--since", "7d")).total));
    const day = (await json("/api/dashboard/overview?range=24h")).totals;
    expect(pick(day)).toEqual(pick((await stats("--since", "24h")).total));
    expect(day.requests).toBe(6);
  });

  test("each model's row is runcode stats --by model's, p95 included", async () => {
    const m = await json("/api/dashboard/models?range=all");
    const s = await stats("--by", "model");
    expect(m.models.map((r: any) => r.model).sort()).toEqual([...MODELS].sort());
    for (const g of s.groups) {
      const r = m.models.find((x: any) => x.model === g.key);
      expect({ ...pick(r), p95Ms: r.p95Ms }).toEqual({ ...pick(g), p95Ms: g.p95Ms });
    }
  });

  test("the model filter: the overview of one model is its stats group", async () => {
    const s = await stats("--by", "model");
    const g = s.groups.find((x: any) => x.key === MODELS[0]);
    const o = await json(`/api/dashboard/overview?range=all&model=${encodeURIComponent(MODELS[0])}`);
    expect(pick(o.totals)).toEqual(pick(g));
  });

  test("requests, one request, patterns and the site", async () => {
    const page = await json("/api/dashboard/requests?range=all&size=10&page=1");
    expect(page).toMatchObject({ total: 42, page: 1, size: 10 });
    expect(page.rows).toHaveLength(10);
    const one = await json(`/api/dashboard/request?id=${page.rows[0].id}`);
    expect(one).toMatchObject({ id: page.rows[0].id, model: page.rows[0].model });
    expect((await get("/api/dashboard/request?id=req_nope")).status).toBe(404);
    const heat = await json("/api/dashboard/patterns?range=all");
    expect(heat.requests.flat().reduce((a: number, b: number) => a + b, 0)).toBe(42);
    expect(await json("/api/dashboard/site")).toMatchObject({ kind: "local", developers: [], models: [...MODELS].sort() });
    expect((await get("/api/dashboard/team")).status).toBe(404);
    expect((await get("/api/dashboard/nope")).status).toBe(404);
  });

  test("security: a strict CSP on every answer, the proxy's Host rule, other origins refused, nothing else served", async () => {
    for (const path of ["/dashboard/", "/dashboard/assets/app.mjs", "/dashboard/assets/uplot.js", "/api/dashboard/site"]) {
      const r = await get(path);
      expect(r.status).toBe(200);
      const csp = r.headers.get("content-security-policy")!;
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain("unsafe-inline");
      expect(r.headers.get("x-content-type-options")).toBe("nosniff");
    }
    const html = await (await get("/dashboard/")).text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
    expect(html).not.toMatch(/https?:\/\//); // nothing from outside
    expect((await get("/api/dashboard/site", { host: "evil.example" })).status).toBe(403);
    expect((await get("/api/dashboard/site", { host: `localhost.evil.example:${new URL(d.origin).port}` })).status).toBe(403);
    expect((await get("/api/dashboard/site", { origin: "http://evil.example" })).status).toBe(403);
    expect((await get("/api/dashboard/site", { "sec-fetch-site": "cross-site" })).status).toBe(403);
    expect((await get("/api/dashboard/site", { origin: d.origin })).status).toBe(200);
    expect((await get("/v1/messages")).status).toBe(404);
    expect((await fetch(`${d.origin}/api/dashboard/site`, { method: "POST", body: "{}" })).status).toBe(405);
    // Only loopback: the URL it printed is localhost, and nothing answers on another address of this machine.
    expect(new URL(d.url).hostname).toBe("localhost");
  });
});

test("runcode --version, --help and stats load none of the dashboard (its code and assets are lazy)", async () => {
  const probeHome = tempDir();
  const probe = join(probeHome, "loaded.ts");
  await Bun.write(probe, `process.on("exit", () => process.stderr.write("\\nLOADED" + JSON.stringify(Object.keys(require.cache))));`);
  for (const args of [["--version"], ["--help"], ["stats", "--json"]]) {
    const r = Bun.spawnSync([process.execPath, "--preload", probe, join(ROOT, "src", "main.ts"), ...args], {
      cwd: probeHome,
      env: cliEnv(probeHome),
      stdout: "pipe",
      stderr: "pipe",
    });
    expect(r.exitCode).toBe(0);
    const loaded = JSON.parse(r.stderr.toString().split("\nLOADED").pop()!) as string[];
    expect(loaded.some((p) => p.includes("src/store/") || args[0] !== "stats")).toBe(true);
    expect(loaded.filter((p) => /src\/dashboard\/|src\/team\/dashboard|uplot/.test(p))).toEqual([]);
  }
  cleanup(probeHome);
});
