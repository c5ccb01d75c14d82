// The context state an agent run uses by default: the catalog's window for the model, a cheaper summariser, and
// the todo list and files modified read from the tool context at compaction time.
import type { Gateway } from "../gateway/client";
import type { CatalogModel } from "../gateway/catalog";
import type { Protocol } from "../llm/chat";
import type { ToolContext } from "../tools/types";
import { createContext, type ContextOptions, type ContextState } from "./pipeline";
import { modelSummarizer, pickSummarizer } from "./summarizer";

export type ContextFor = {
  gateway: Gateway;
  protocol: Protocol;
  model: CatalogModel;
  toolContext?: ToolContext;
  models?: readonly CatalogModel[];
  auto?: boolean;
  beforeCompact?: ContextOptions["beforeCompact"];
};

export function contextFor(o: ContextFor): ContextState {
  const writer = o.models ? pickSummarizer(o.model, o.models) : o.model;
  const tc = o.toolContext;
  return createContext({
    model: o.model,
    auto: o.auto,
    beforeCompact: o.beforeCompact,
    summarize: modelSummarizer(o.gateway, o.protocol, writer),
    extras: () => ({ todos: tc?.todos ?? [], files: tc?.changes.files().map((f) => f.path) ?? [] }),
  });
}
