// `runcode dashboard [--port 8404] [--open]`: the usage dashboard over this machine's runcode.db (ask, edit, the
// REPL, proxy traffic), served by runcode itself at http://localhost:8404/dashboard/. Loopback only unless --host
// is given, and then only over TLS, with a sign-in token printed once on stdout. Runs until Ctrl-C.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { defineCommand } from "citty";
import { out } from "../cli/io";
import { ui } from "../cli/ui";
import { ActionableError, usageError } from "../core/errors";
import { homeDir } from "../core/home";
import { addSecret } from "../core/secrets";

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);

export default defineCommand({
  meta: { name: "dashboard", description: "A web page of your spending, models and requests (served locally, works offline)" },
  args: {
    port: { type: "string", alias: "p", description: "port to listen on (default 8404; 0 picks a free one)" },
    open: { type: "boolean", description: "open the page in the default browser" },
    host: { type: "string", description: "bind this address instead of loopback (needs --tls-cert and --tls-key)" },
    "tls-cert": { type: "string", description: "PEM certificate, for --host" },
    "tls-key": { type: "string", description: "PEM private key, for --host" },
  },
  async run({ args }) {
    const port = args.port === undefined ? 8404 : Number(args.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw usageError(`--port must be 0-65535, got "${args.port}"`, "e.g. --port 8404");
    if (!!args["tls-cert"] !== !!args["tls-key"]) throw usageError("--tls-cert and --tls-key go together", "pass both PEM files");
    const remote = !!args.host && !LOOPBACK.has(args.host);
    if (remote && !args["tls-cert"])
      throw usageError(
        `refusing to serve the dashboard on ${args.host} without TLS: your spending and the sign-in would travel in clear`,
        "pass --tls-cert cert.pem --tls-key key.pem, or leave out --host (loopback only)",
      );
    const tls = args["tls-cert"] ? { cert: pem(args["tls-cert"]), key: pem(args["tls-key"]!) } : undefined;

    const [{ openStore }, { localDashboard }, { startDashboard }] = await Promise.all([
      import("../store/open"),
      import("../dashboard/local"),
      import("../dashboard/serve"),
    ]);
    const store = openStore({ home: homeDir(), warn: (line) => ui.warn(line) });
    // Beyond loopback anyone who can reach the port could read the page: it takes a token, made for this run.
    const token = remote ? `rcd_${randomBytes(32).toString("base64url")}` : undefined;
    addSecret(token);
    const site = {
      data: localDashboard(store),
      title: "this machine's",
      signIn: token ? async (t: string) => t === token : undefined,
    };
    let server;
    try {
      server = startDashboard({ site, port, host: args.host, tls, log: (line) => ui.warn(line) });
    } catch (e) {
      store.close();
      if (String((e as { code?: string }).code ?? e).includes("EADDRINUSE"))
        throw new ActionableError(`port ${port} is already in use`, "stop the other dashboard or pick another with --port", "usage");
      throw e;
    }
    const scheme = tls ? "https" : "http";
    const url = `${scheme}://${remote ? args.host : "localhost"}:${server.port}/dashboard/`;
    ui.info(`runcode dashboard on ${url} (${store.file}); Ctrl-C stops it`);
    if (token) {
      ui.info("sign in with this token (shown once):");
      out(`${token}\n`);
    }
    if (args.open) openBrowser(url);
    await new Promise<void>((resolve) => {
      process.once("SIGINT", () => resolve());
      process.once("SIGTERM", () => resolve());
    });
    server.stop();
    store.close();
    return 0;
  },
});

function pem(file: string): string {
  try {
    const text = readFileSync(file, "utf8");
    if (!text.includes("-----BEGIN")) throw new Error("not a PEM file");
    return text;
  } catch (e) {
    throw usageError(`cannot read ${file} (${e instanceof Error ? e.message : String(e)})`, "pass a PEM file");
  }
}

function openBrowser(url: string) {
  const cmd =
    process.platform === "darwin" ? ["open", url] : process.platform === "win32" ? ["cmd", "/c", "start", "", url] : ["xdg-open", url];
  try {
    Bun.spawn(cmd, { stdio: ["ignore", "ignore", "ignore"] }).unref();
  } catch {
    ui.warn(`could not open a browser: open ${url} yourself`);
  }
}
