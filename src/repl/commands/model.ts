// /model: show the model, switch by name mid-conversation (the history goes along), or pick from the live catalog.
import { ActionableError } from "../../core/errors";
import type { CatalogModel } from "../../gateway/catalog";
import type { CommandContext, SlashCommand } from "./types";

const price = (m: CatalogModel) => (m.free ? "free" : `$${m.input}/$${m.output} per 1M`);

function current(c: CommandContext) {
  const m = c.workspace.model;
  c.say(
    `model ${c.p.bold(m.id)}${c.workspace.profile ? ` (profile ${c.workspace.profile})` : ""} · ${price(m)} · ${Math.round(m.context / 1000)}k context`,
  );
}

async function picker(c: CommandContext, filter: string) {
  if (!c.interactive) return false;
  let models = c.workspace.catalog.models;
  if (c.workspace.catalog.source !== "live") models = (await c.workspace.refreshCatalog().catch(() => c.workspace.catalog)).models;
  const words = filter
    .toLowerCase()
    .split(/[\s/-]+/)
    .filter(Boolean);
  const hits = models.filter((m) => words.some((w) => m.id.toLowerCase().includes(w)));
  const list = (hits.length ? hits : models).slice().sort((a, b) => Number(b.free) - Number(a.free) || a.id.localeCompare(b.id));
  const picked = await c.choose(
    "pick a model",
    list.map((m) => ({ value: m.id, label: m.id, hint: m.free ? "free" : price(m) })),
  );
  if (!picked) {
    c.say("model unchanged");
    return true;
  }
  c.workspace.setModel(picked);
  current(c);
  return true;
}

export const modelCommands: SlashCommand[] = [
  {
    name: "model",
    group: "Model",
    help: "show the model; /model <name> switches; no match opens a picker",
    args: "[name]",
    run: async (c) => {
      const name = c.args.trim();
      if (!name) return current(c);
      try {
        c.workspace.setModel(name);
        return current(c);
      } catch (err) {
        if (!(err instanceof ActionableError)) throw err;
        // A name that matches nothing opens the picker; a model that cannot be used (paid, no wallet) says why.
        if (err.code === "unknown_model" && (await picker(c, name))) return;
        c.say(err.message);
      }
    },
  },
];
