// The first-run wizard: chain → create or import a wallet → a test call on a free model → funding help, shown only
// when the user wants paid models. Streams are injected (clack's input/output), so tests drive it without a TTY;
// without a TTY it never prompts: flags must say everything, or it prints what to pass and exits 2.
import type { Readable, Writable } from "node:stream";
import * as p from "@clack/prompts";
import type { Paths } from "../../core/home";
import { EXIT } from "../../core/errors";
import { parseChain, type Chain } from "../chain";
import { DEFAULT_AMOUNT_USD, parseAmount, showRequest } from "../fund";
import { activeWallet } from "./active";
import { walletSource } from "./keys";
import { createWallet, importWallet, readKeyFile, setChain } from "./manage";

export type SetupFlags = {
  chain?: string;
  create?: boolean;
  importKeyFile?: string;
  yes?: boolean;
  force?: boolean;
  fund?: boolean;
  test?: boolean;
};
export type SetupDeps = {
  paths: Paths;
  env: Record<string, string | undefined>;
  activeChain: Chain;
  interactive: boolean;
  input?: Readable;
  /** Prompts, progress and the QR code: stderr in the CLI. */
  output: Writable;
  /** A short call on a free model; resolves to the model that answered. */
  testCall: () => Promise<string>;
  /**
   * The funding step when the user wants paid models (`runcode fund`'s request and, when `wait`, its balance
   * watch); resolves to the exit code. Without it, `fundingHelp` prints the request.
   */
  fund?: (chain: Chain, address: string, wait: boolean) => Promise<number>;
};

class Cancelled extends Error {}
const answer = <T>(v: T | symbol): T => {
  if (p.isCancel(v)) throw new Cancelled();
  return v as T;
};

export async function runSetup(f: SetupFlags, d: SetupDeps): Promise<number> {
  const io = { input: d.input, output: d.output };
  const say = (s: string) => d.output.write(`${s}\n`);
  const scripted = !!(f.yes || f.create || f.importKeyFile);
  if (!d.interactive && !scripted) {
    say("runcode setup needs a terminal to ask questions. To script it, pass:");
    say("  runcode setup --chain base|solana --create --yes                 # a new wallet");
    say("  runcode setup --chain base|solana --import-key-file FILE --yes   # an existing key or recovery phrase");
    say("  add --fund to print funding instructions, --no-test to skip the free test call");
    return EXIT.usage;
  }
  const ask = d.interactive && !f.yes;
  try {
    if (ask) p.intro("runcode setup", io);
    const chain: Chain = f.chain
      ? parseChain(f.chain, "--chain")
      : ask
        ? answer<Chain>(
            await p.select<Chain>({
              ...io,
              message: "Which chain pays for paid models?",
              initialValue: d.activeChain,
              options: [
                { value: "base", label: "Base", hint: "USDC on Base (default)" },
                { value: "solana", label: "Solana", hint: "USDC on Solana" },
              ],
            }),
          )
        : d.activeChain;

    const existing = walletSource(d.paths, d.env, chain);
    let address: string;
    if (f.importKeyFile) address = importWallet(d.paths, chain, readKeyFile(f.importKeyFile), !!f.force).address;
    else if (f.create || (!existing && !ask)) address = createWallet(d.paths, chain, !!f.force).address;
    else if (existing) address = activeWallet(d.paths, d.env, chain).address;
    else {
      const how = answer<"create" | "import">(
        await p.select<"create" | "import">({
          ...io,
          message: "Wallet",
          options: [
            { value: "create", label: "Create a new wallet" },
            { value: "import", label: "Import a private key or recovery phrase" },
          ],
        }),
      );
      if (how === "create") address = createWallet(d.paths, chain).address;
      else {
        const secret = answer<string>(await p.password({ ...io, message: `Paste the ${chain} private key or 12/24-word phrase` }));
        address = importWallet(d.paths, chain, secret).address;
      }
    }
    setChain(d.paths, chain);
    say(
      `wallet ${address} on ${chain} (${existing && !f.create && !f.importKeyFile ? "existing" : "saved"}, key in ${d.paths.home}, mode 600)`,
    );

    if (f.test !== false) {
      try {
        say(`test call on a free model: ok (${await d.testCall()})`);
      } catch (err) {
        say(`test call on a free model failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }

    const fund =
      f.fund ??
      (ask
        ? answer<boolean>(
            await p.confirm({
              ...io,
              message: "Do you want to use paid models (Claude, GPT, Gemini…)? They are paid per request in USDC.",
              initialValue: false,
            }),
          )
        : false);
    let code: number = EXIT.ok;
    if (fund) code = d.fund ? await d.fund(chain, address, ask) : (await fundingHelp(chain, address, say), EXIT.ok);
    else say('free models work now: `runcode ask -m free "…"`. For paid models later: `runcode fund`.');
    if (ask) p.outro("done", io);
    return code;
  } catch (err) {
    if (!(err instanceof Cancelled)) throw err;
    say("setup cancelled; nothing else was changed");
    return EXIT.failure;
  }
}

/** The payment request (QR code, link, address) for the default amount, and how to buy USDC with a card. */
export async function fundingHelp(chain: Chain, address: string, say: (s: string) => void) {
  await showRequest({ chain, address, atomic: parseAmount(DEFAULT_AMOUNT_USD) }, say);
  say("`runcode fund` waits for it and says when it arrived.");
}
