// The human-readable view of a decision (`runcode route --explain`): every dimension with its weight, score and
// contribution, then the tier, the model chain and the reasons. Plain text, no colour: it is often piped.
import type { Decision } from "./types";

const pad = (s: string, n: number) => (s.length >= n ? s : s + " ".repeat(n - s.length));
const num = (n: number, digits = 2) => (n >= 0 ? " " : "") + n.toFixed(digits);

export function explain(d: Decision): string {
  const c = d.classification;
  const rows = c.dimensions.map(
    (x) => `${pad(x.name, 20)} ${x.weight.toFixed(2)}  ${num(x.score)}  ${num(x.score * x.weight, 3)}  ${x.hits.slice(0, 5).join(", ")}`,
  );
  const state = c.ambiguous ? `ambiguous (${c.rawTier}?) → MEDIUM` : c.overrides.length ? c.overrides.join(", ") : "by score";
  return [
    `${pad("dimension", 20)} weight score  contrib  hits`,
    ...rows,
    `${pad("total", 20)}              ${num(c.score, 3)}`,
    "",
    `tier        ${d.tier}  (${state}; confidence ${c.confidence.toFixed(2)}${d.pinned ? "; pinned by session" : ""})`,
    `profile     ${d.profile}${d.agentic ? " (agentic table)" : ""}`,
    `model       ${d.model}  est $${d.estUsd.toFixed(6)}  saves ${(d.savings * 100).toFixed(1)}% vs Claude Opus 4.6`,
    `fallbacks   ${d.fallbacks.join(", ") || "none"}`,
    `why         ${d.signals.join("; ")}`,
    "",
  ].join("\n");
}
