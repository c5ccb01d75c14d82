// A wallet that exists but never pays: with it, paid models can be chosen (without one, runcode refuses them before
// sending anything); against the plain fake gateway no 402 ever comes, so nothing is signed. One key per test process.
import { generate } from "../src/money/wallet/crypto";

let key: string | undefined;
export const walletEnv = (): { BLOCKRUN_WALLET_KEY: string } => ({ BLOCKRUN_WALLET_KEY: (key ??= generate("base").secret) });
