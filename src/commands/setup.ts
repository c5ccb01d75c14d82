// `runcode setup`: the first-run wizard (src/money/wallet/setup.ts). Everything it says goes to stderr.
import { tty } from "../cli/io";
import { defineCommand } from "citty";
import { catalog, context, gateway } from "../cli/context";
import { ActionableError } from "../core/errors";
import { bestFree } from "../router/chain";
import { runSetup } from "../money/wallet/setup";
import { DEFAULT_AMOUNT_USD, parseAmount } from "../money/fund";

export default defineCommand({
  meta: { name: "setup", description: "First-run wizard: choose a chain, create or import a wallet, test a free model, learn how to fund" },
  args: {
    chain: { type: "string", description: "base or solana" },
    create: { type: "boolean", description: "create a new wallet" },
    "import-key-file": { type: "string", description: "import the key or recovery phrase in this file" },
    yes: { type: "boolean", description: "accept defaults, ask nothing" },
    force: { type: "boolean", description: "replace an existing key (back it up first)" },
    fund: { type: "boolean", description: "end with `runcode fund`: a QR code and payment link for USDC, how to buy it" },
    test: { type: "boolean", default: true, description: "make a test call on a free model (--no-test skips it)" },
  },
  async run({ args }) {
    const ctx = context();
    const testCall = async () => {
      const gw = gateway(ctx);
      const model = bestFree((await catalog(ctx, gw)).catalog.models);
      if (!model) throw new ActionableError("no free model is listed right now", "try again later", "unknown_model");
      const { response } = await gw.post(
        "/v1/messages",
        { model: model.id, max_tokens: 16, messages: [{ role: "user", content: "Reply with OK." }] },
        { model: model.id },
      );
      await response.text();
      return model.id;
    };
    return runSetup(
      {
        chain: args.chain,
        create: args.create,
        importKeyFile: args["import-key-file"],
        yes: args.yes,
        force: args.force,
        fund: args.fund,
        test: args.test,
      },
      {
        paths: ctx.paths,
        env: ctx.env,
        activeChain: ctx.chain,
        interactive: !!tty.in && !!tty.err,
        output: process.stderr,
        testCall,
        // The last step, when paid models are wanted: `runcode fund` (it waits for the USDC only when setup asks questions).
        fund: async (chain, address, wait) =>
          (await import("./fund")).fund(context(), { chain, address, atomic: parseAmount(DEFAULT_AMOUNT_USD), wait }),
      },
    );
  },
});
