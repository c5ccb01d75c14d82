// Context-management benchmark and evaluation (issue 8).
// 1. Retention: long sessions with instructions planted in user messages (some buried in huge pastes) and facts in
//    tool results, run through the pipeline against small windows with a summariser that knows nothing (the worst
//    case: everything that survives is what runcode keeps itself). After each compaction, every later request is
//    checked for every instruction planted so far and the facts of the 5 most recent tool results.
// 2. Tokens saved: the sent request against the full history.
// 3. Speed: prepareContext per model call on a history growing to 2,000 messages (incremental), and cold; the token
//    estimate's recount of an unchanged 2,000-message history (cached per message object; budget < 1 ms).
// Usage: bun bench/context.ts [--turns 500] [--runs 5]
import { createContext, prepareContext, type ContextState } from "../src/context";
import { estimate, messagesTokens } from "../src/context/tokens";
import type { Message } from "../src/llm/types";
import { fact, filler, instruction } from "../test/context/history";

const arg = (name: string, d: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : d;
};
const TURNS = arg("turns", 500);
const RUNS = arg("runs", 5);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const SUMMARY = [
  "Goal",
  "Progress",
  "Decisions",
  "Files Modified",
  "Tool Results Still Relevant",
  "User Preferences & Corrections",
  "Next Steps",
]
  .map((s) => `## ${s}\n-`)
  .join("\n");

/** The session as a stream of messages: instructions every 25 turns, every 4th one buried in a 30 KB paste. */
function* session(turns: number, resultBytes: number): Generator<Message> {
  yield { role: "user", content: `${instruction(0)}\nGo through the data files.` };
  for (let t = 1; t <= turns; t++) {
    const id = `toolu_${t}`;
    yield {
      role: "assistant",
      content: [
        { type: "text", text: `Reading f${t}.` },
        {
          type: "tool_use",
          id,
          name: t % 3 ? "Read" : "Bash",
          input: t % 3 ? { file_path: `data/f${t}.txt` } : { command: `cat data/f${t}.txt` },
        },
      ],
    };
    yield { role: "user", content: [{ type: "tool_result", tool_use_id: id, content: `${fact(t)}\n${filler(resultBytes, t)}` }] };
    if (t % 25) continue;
    yield { role: "assistant", content: [{ type: "text", text: `Batch ${t} done.` }] };
    const paste = t % 100 === 0 ? filler(30_000, t) : "";
    yield {
      role: "user",
      content: paste ? `Here is the log:\n${paste.slice(0, 15_000)}\n${instruction(t)}\n${paste.slice(15_000)}` : instruction(t),
    };
  }
}

type Eval = {
  window: number;
  instr: number;
  facts: number;
  saved: number;
  finalSaved: number;
  compactions: number;
  requests: number;
  over: number;
};

async function evaluate(window: number, resultBytes: number): Promise<Eval> {
  const s = createContext({ model: { context: window, maxOutput: 4096 }, summarize: async () => SUMMARY });
  const h: Message[] = [];
  const planted: string[] = [];
  const facts: number[] = [];
  let instrOk = 0,
    instrAll = 0,
    factOk = 0,
    factAll = 0,
    saved = 0,
    requests = 0,
    compactions = 0,
    over = 0,
    finalSaved = 0;
  for (const m of session(TURNS, resultBytes)) {
    h.push(m);
    if (typeof m.content === "string") planted.push(...[...m.content.matchAll(/INSTRUCTION-\d+[^\n]*/g)].map((x) => x[0]));
    else if (m.content[0]?.type === "tool_result") facts.push(facts.length + 1);
    if (m.role !== "user") continue;
    const r = await prepareContext(s, h, { system: "You are runcode.", maxTokens: 4096 });
    requests++;
    compactions += r.events.filter((e) => e.type === "compact.boundary").length;
    const sent = messagesTokens(r.messages);
    if (sent + 4096 > window) over++;
    const full = messagesTokens(h);
    saved += 1 - sent / full;
    finalSaved = 1 - sent / full;
    if (!compactions) continue;
    const text = JSON.stringify(r.messages);
    for (const p of planted) instrAll++, text.includes(p) && instrOk++;
    for (const f of facts.slice(-5)) factAll++, text.includes(fact(f)) && factOk++;
  }
  return { window, instr: instrOk / instrAll, facts: factOk / factAll, saved: saved / requests, finalSaved, compactions, requests, over };
}

/** Time per prepareContext call as the history grows to `messages`, and one cold call on the full history. */
async function speed(messages: number, window: number): Promise<{ warm: number; cold: number }> {
  const all = [...session(messages, 4000)].slice(0, messages);
  const s: ContextState = createContext({ model: { context: window, maxOutput: 8192 }, summarize: async () => SUMMARY });
  const h: Message[] = [];
  const times: number[] = [];
  for (const m of all) {
    h.push(m);
    if (m.role !== "user") continue;
    const t = performance.now();
    await prepareContext(s, h, { system: "You are runcode.", maxTokens: 8192 });
    if (h.length > messages - 200) times.push(performance.now() - t);
  }
  // Cold: a fresh state and fresh message objects (a resumed session's first call).
  const fresh = structuredClone(all);
  const t = performance.now();
  await prepareContext(createContext({ model: { context: window, maxOutput: 8192 } }), fresh, {
    system: "You are runcode.",
    maxTokens: 8192,
  });
  return { warm: median(times), cold: performance.now() - t };
}

/** estimate() on the same 2,000 messages (about 12 MB of text) after a first count: ms per call, over 100 calls. */
function recount(): number {
  const ms: Message[] = Array.from({ length: 2000 }, (_, i) => ({
    role: i % 2 ? "assistant" : "user",
    content: `message ${i} `.repeat(500),
  }));
  estimate(ms);
  const t = performance.now();
  for (let i = 0; i < 100; i++) estimate(ms);
  return (performance.now() - t) / 100;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
console.log(
  `retention over ${TURNS} tool turns (facts: the 5 most recent tool results; checked on every request after the first compaction)`,
);
console.log(
  "| window | result size | requests | compactions | over window | instructions kept | recent facts kept | tokens saved (mean) | tokens saved (end) |",
);
console.log("|---|---|---|---|---|---|---|---|---|");
for (const [window, bytes] of [
  [32_000, 6000],
  [32_000, 20_000],
  [64_000, 6000],
  [128_000, 12_000],
  [200_000, 30_000],
] as const) {
  const e = await evaluate(window, bytes);
  console.log(
    `| ${window / 1000}k | ${bytes / 1000} KB | ${e.requests} | ${e.compactions} | ${e.over} | ${pct(e.instr)} | ${pct(e.facts)} | ${pct(e.saved)} | ${pct(e.finalSaved)} |`,
  );
}
console.log(`\nprepareContext on a history growing to 2,000 messages (median of the last 100 calls; ${RUNS} runs, median)`);
for (const window of [1_000_000, 200_000, 32_000]) {
  const rs: Array<{ warm: number; cold: number }> = [];
  for (let i = 0; i < RUNS; i++) rs.push(await speed(2000, window));
  console.log(
    `window ${window / 1000}k: ${median(rs.map((x) => x.warm)).toFixed(2)} ms per call (incremental), ${median(rs.map((x) => x.cold)).toFixed(1)} ms cold`,
  );
}
const rc: number[] = [];
for (let i = 0; i < RUNS; i++) rc.push(recount());
console.log(
  `\nestimate() recount of an unchanged 2,000-message history: ${median(rc).toFixed(3)} ms per call (runs ${rc.map((x) => x.toFixed(3)).join(", ")}; budget < 1 ms)`,
);
