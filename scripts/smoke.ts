// Smoke test of a freshly built binary: it starts, reports the baked-in version, and (once the models command
// exists) lists the catalog of a local fake gateway. Runs in a temp home so the real ~/.blockrun is never touched.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startFakeGateway } from "../test/fake-gateway";

const ROOT = resolve(import.meta.dir, "..");

async function run(bin: string, args: string[], env: Record<string, string>) {
  const p = Bun.spawn([bin, ...args], { env, stdout: "pipe", stderr: "pipe", stdin: "ignore" });
  const timer = setTimeout(() => p.kill("SIGKILL"), 20_000);
  const [stdout, stderr, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  clearTimeout(timer);
  return { stdout, stderr, code };
}

export async function smokeTest(bin: string, version: string): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), "runcode-smoke-"));
  const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home, RUNCODE_HOME: home, NO_COLOR: "1" };
  const gw = await startFakeGateway();
  try {
    const v = await run(bin, ["--version"], env);
    if (v.code !== 0 || !v.stdout.includes(version))
      throw new Error(
        `smoke: \`${bin} --version\` printed ${JSON.stringify(v.stdout.trim() || v.stderr.trim())} (exit ${v.code}), expected ${version}`,
      );
    console.error(`✓ smoke: --version → ${v.stdout.trim()}`);

    if (!existsSync(join(ROOT, "src", "commands", "models.ts"))) {
      console.error("- smoke: models --json skipped (src/commands/models.ts does not exist yet)");
      return;
    }
    const m = await run(bin, ["models", "--json"], { ...env, RUNCODE_API_URL: `${gw.url}/api` });
    if (m.code !== 0) throw new Error(`smoke: \`models --json\` exited ${m.code}: ${m.stderr.trim().split("\n")[0]}`);
    if (!gw.requests.some((r) => r.path === "/v1/models")) throw new Error("smoke: `models --json` never asked the gateway for /v1/models");
    // The output is either one JSON document or JSON lines; either way every model id must be in it.
    const missing = ["openai/gpt-5.4", "anthropic/claude-sonnet-4.6"].filter((id) => !m.stdout.includes(id));
    if (missing.length) throw new Error(`smoke: \`models --json\` output lacks ${missing.join(", ")}`);
    console.error(`✓ smoke: models --json lists the fake gateway's catalog`);
  } finally {
    await gw.stop();
    rmSync(home, { recursive: true, force: true });
  }
}
