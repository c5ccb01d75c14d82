// `runcode balance [--json]`: USDC (and ETH/SOL) of the active wallet, read from the chain, plus what the ledger
// says was signed in the last 24 hours.
import { err, out } from "../cli/io";
import { defineCommand } from "citty";
import { context } from "../cli/context";
import { withStore } from "../cli/store";
import { EXIT } from "../core/errors";
import { teamMe, teamReport } from "../gateway/team";
import { Ledger } from "../money/ledger";
import { balanceReport, reportJson, reportText } from "../money/wallet/report";
import { VERSION } from "../version";

export default defineCommand({
  meta: {
    name: "balance",
    description: "USDC balance of the active wallet (and ETH/SOL for gas context), or what is left of your team budget",
  },
  args: {
    json: { type: "boolean", description: "print one JSON object" },
  },
  async run({ args }) {
    const ctx = context();
    // Logged in to a team: what is left of the developer's budget there, not a wallet's USDC.
    if (ctx.team) {
      const me = await teamMe(ctx.team, `runcode/${VERSION}`);
      if (args.json) out(`${JSON.stringify({ team: ctx.team.url, ...me })}\n`);
      else {
        const { out: text, notes } = teamReport(ctx.team.url, me);
        out(text);
        err(notes.map((l) => `${l}\n`).join(""));
      }
      return EXIT.ok;
    }
    // The ledger is read through the store, like every other use of runcode.db.
    const r = await balanceReport(ctx, (since) => withStore((store) => new Ledger(store.db).spent({ since })));
    if (args.json) {
      out(`${JSON.stringify(reportJson(r))}\n`);
      return EXIT.ok;
    }
    const { out: text, notes } = reportText(r);
    out(text);
    err(notes.map((l) => `${l}\n`).join(""));
    return EXIT.ok;
  },
});
