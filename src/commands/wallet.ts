// `runcode wallet`: the active wallet (address, chain, where the key lives), and `create | import | export | chain`.
// The key is never printed except by `export`, after an explicit confirmation, to stdout only.
import { existsSync } from "node:fs";
import { err, out, tty } from "../cli/io";
import { defineCommand } from "citty";
import { context } from "../cli/context";
import { EXIT, usageError } from "../core/errors";
import { CHAINS, parseChain, type Chain } from "../money/chain";
import { activeWallet } from "../money/wallet/active";
import { describeSource, readSecret, walletSource } from "../money/wallet/keys";
import { createWallet, importWallet, readKeyFile, readPipedKey, setChain } from "../money/wallet/manage";

const chainArg = { chain: { type: "string", description: "base or solana (default: the active chain)" } } as const;
const pickChain = (flag: unknown, fallback: Chain) => (typeof flag === "string" ? parseChain(flag, "--chain") : fallback);

const show = defineCommand({
  meta: { name: "wallet", description: "Show the active wallet; manage it with create, import, export, chain" },
  args: { json: { type: "boolean", description: "print one JSON object" } },
  run({ args }) {
    const ctx = context();
    const info: Record<string, unknown> = { chain: ctx.chain, network: CHAINS[ctx.chain].network };
    const others = (Object.keys(CHAINS) as Chain[]).filter((c) => c !== ctx.chain && walletSource(ctx.paths, ctx.env, c));
    if (!ctx.team && ctx.env.RUNCODE_API_URL && existsSync(ctx.paths.login))
      err("note: the team login is not used while RUNCODE_API_URL is set (unset it to use the team)\n");
    // Logged in to a team: the team's wallet pays, and this machine's (if any) waits until `runcode logout`.
    if (ctx.team) {
      const { url, email } = ctx.team;
      if (args.json) out(`${JSON.stringify({ team: { url, email }, address: null })}\n`);
      else {
        out(`team ${url} (${email})\n`);
        err("the team's wallet pays for paid models (`runcode balance` shows your budget); `runcode logout` to use a wallet of your own\n");
      }
      return EXIT.ok;
    }
    if (!walletSource(ctx.paths, ctx.env, ctx.chain)) {
      if (args.json) out(`${JSON.stringify({ ...info, address: null })}\n`);
      else out(`no ${ctx.chain} wallet; run \`runcode setup\` or \`runcode wallet create\`\n`);
      return EXIT.ok;
    }
    const w = activeWallet(ctx.paths, ctx.env, ctx.chain);
    if (args.json) {
      out(`${JSON.stringify({ ...info, address: w.address, key: w.where, otherWallets: others })}\n`);
      return EXIT.ok;
    }
    out(`${w.address}\n`);
    err(`chain ${ctx.chain} (${CHAINS[ctx.chain].network})\nkey   ${w.where}\n`);
    if (others.length) err(`also a wallet on ${others.join(", ")} (switch with \`runcode wallet chain ${others[0]}\`)\n`);
    return EXIT.ok;
  },
});

const create = defineCommand({
  meta: { name: "create", description: "Create a new wallet (refuses to replace one without --force)" },
  args: { ...chainArg, force: { type: "boolean", description: "replace an existing key (back it up first!)" } },
  run({ args }) {
    const ctx = context();
    const s = createWallet(ctx.paths, pickChain(args.chain, ctx.chain), !!args.force);
    out(`${s.address}\n`);
    err(`created a ${s.chain} wallet; key saved to ${s.file} (mode 600). Back it up with \`runcode wallet export\`.\n`);
    return EXIT.ok;
  },
});

const importCmd = defineCommand({
  meta: { name: "import", description: "Import a key or 12/24-word phrase from --file, stdin, or a hidden prompt" },
  args: {
    ...chainArg,
    file: { type: "string", description: "read the key or phrase from this file" },
    force: { type: "boolean", description: "replace an existing key" },
  },
  async run({ args }) {
    const ctx = context();
    const chain = pickChain(args.chain, ctx.chain);
    let input: string;
    if (typeof args.file === "string") input = readKeyFile(args.file);
    else if (!tty.in) input = await readPipedKey(Bun.stdin.stream());
    else {
      const p = await import("@clack/prompts");
      const v = await p.password({ message: `Paste the ${chain} private key or recovery phrase`, output: process.stderr });
      if (p.isCancel(v) || !v) return EXIT.usage;
      input = v;
    }
    const s = importWallet(ctx.paths, chain, input, !!args.force);
    out(`${s.address}\n`);
    err(`imported a ${s.chain} wallet; key saved to ${s.file} (mode 600)\n`);
    return EXIT.ok;
  },
});

const exportCmd = defineCommand({
  meta: { name: "export", description: "Print the private key to stdout, after confirmation (or --yes)" },
  args: { ...chainArg, yes: { type: "boolean", description: "skip the confirmation" } },
  async run({ args }) {
    const ctx = context();
    const chain = pickChain(args.chain, ctx.chain);
    const { secret, source } = readSecret(ctx.paths, ctx.env, chain);
    if (!args.yes) {
      if (!tty.in || !tty.err)
        throw usageError("refusing to print the private key without confirmation", "pass --yes to `runcode wallet export`");
      const p = await import("@clack/prompts");
      const ok = await p.confirm({
        message: `Print the ${chain} private key from ${describeSource(source)}? Anyone who sees it can spend the funds.`,
        initialValue: false,
        output: process.stderr,
      });
      if (p.isCancel(ok) || !ok) return EXIT.usage;
    }
    out(`${secret}\n`);
    return EXIT.ok;
  },
});

const chainCmd = defineCommand({
  meta: { name: "chain", description: "Switch the paying chain: base or solana" },
  args: { name: { type: "positional", required: true, description: "base or solana" } },
  run({ args }) {
    const ctx = context();
    const chain = parseChain(String(args.name), "the argument");
    setChain(ctx.paths, chain);
    err(
      `paying on ${chain} from now on${walletSource(ctx.paths, ctx.env, chain) ? "" : `; no ${chain} wallet yet: run \`runcode wallet create --chain ${chain}\``}\n`,
    );
    if (ctx.env.RUNCODE_CHAIN) err(`note: RUNCODE_CHAIN=${ctx.env.RUNCODE_CHAIN} still overrides this in the current environment\n`);
    return EXIT.ok;
  },
});

export default defineCommand({
  ...show,
  subCommands: { create, import: importCmd, export: exportCmd, chain: chainCmd },
});
