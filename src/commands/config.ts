// `runcode config get|set|unset|list|path`: the original's runcode-config.json, validated.
import { err, out } from "../cli/io";
import { defineCommand } from "citty";
import { homeDir, paths } from "../core/home";
import { readConfig, writeConfig } from "../core/config";
import { usageError } from "../core/errors";
import { SETTINGS, getValue, parseValue, settingDef } from "../settings";

const file = () => paths(homeDir()).config;
const keyArg = { key: { type: "positional", required: true, description: "config key (see `runcode config list`)" } } as const;

const show = (v: unknown) => (v === undefined ? "" : typeof v === "string" ? v : JSON.stringify(v));

export default defineCommand({
  meta: { name: "config", description: "Read and change settings (runcode-config.json)" },
  subCommands: {
    get: defineCommand({
      meta: { name: "get", description: "Print a key's effective value" },
      args: keyArg,
      run({ args }) {
        if (!settingDef(args.key)) parseValue(args.key, ""); // throws the unknown-key error with suggestions
        out(`${show(getValue(readConfig(file()), args.key, file()))}\n`);
        return 0;
      },
    }),
    set: defineCommand({
      meta: { name: "set", description: "Set a key (validated)" },
      args: { ...keyArg, value: { type: "positional", required: true, description: "value" } },
      run({ args }) {
        const value = parseValue(args.key, args.value);
        const config = readConfig(file());
        config[args.key] = value;
        writeConfig(file(), config);
        err(`${args.key} = ${show(value)}\n`);
        return 0;
      },
    }),
    unset: defineCommand({
      meta: { name: "unset", description: "Remove a key (back to its default)" },
      args: keyArg,
      run({ args }) {
        const config = readConfig(file());
        if (!(args.key in config)) {
          if (!settingDef(args.key)) parseValue(args.key, "");
          return 0;
        }
        delete config[args.key];
        writeConfig(file(), config);
        return 0;
      },
    }),
    list: defineCommand({
      meta: { name: "list", description: "Every key with its value, default and meaning" },
      args: { json: { type: "boolean", description: "print as JSON" } },
      run({ args }) {
        const config = readConfig(file());
        const keys = [...new Set([...Object.keys(SETTINGS.named), ...Object.keys(config)])].sort();
        const rows = keys.map((k) => ({
          key: k,
          value: settingDef(k) ? getValue(config, k, file()) : config[k],
          set: k in config,
          doc: settingDef(k)?.doc ?? "(unknown key, ignored)",
        }));
        if (args.json) {
          out(`${JSON.stringify(rows, null, 2)}\n`);
          return 0;
        }
        const w = Math.max(...rows.map((r) => r.key.length));
        for (const r of rows) out(`${r.key.padEnd(w)}  ${(show(r.value) || "-").padEnd(28)} ${r.set ? "" : "(default) "}${r.doc}\n`);
        return 0;
      },
    }),
    path: defineCommand({
      meta: { name: "path", description: "Print where the config file lives" },
      run() {
        out(`${file()}\n`);
        return 0;
      },
    }),
  },
  run() {
    throw usageError("missing subcommand", "use `runcode config get|set|unset|list|path`");
  },
});
