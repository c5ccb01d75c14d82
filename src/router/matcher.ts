// Whole-word keyword matching, compiled once. ClawRouter tested each keyword with `text.includes`, so "let" fired on
// "letter" and "class" on "classic". Here the prompt is split into words once and each word is looked up in a map,
// which is both correct and fast (one pass, no per-keyword scan). Han, Kana and Hangul have no word boundaries, so
// keywords in those scripts are matched as substrings, and only when the text contains such characters at all.

/** Letters, marks, digits and "_" outside Han/Kana/Hangul; an inner apostrophe keeps "don't" one word. */
const WORD =
  /[[\p{L}\p{M}\p{N}_]--[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]]+(?:'[[\p{L}\p{M}\p{N}_]--[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]]+)*/gv;
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
/** Between the words of a phrase: spaces or hyphens only, so "step-by-step" matches "step by step" but "a. b" no "a b". */
const GAP = /^[\s-]+$/;

type Phrase = { words: string[]; dim: number; label: string; id: number };
type Pattern = { test: (text: string) => boolean; dim: number; label: string; id: number };

export type Matcher = {
  /** Distinct keywords found in `text` (already lower-cased), per dimension index. */
  match(text: string): string[][];
  size: number;
};

/** English inflections accepted after a keyword: "function" matches "functions", "fix" matches "fixed". */
function inflects(token: string, kw: string): boolean {
  if (token === kw) return true;
  if (token.length <= kw.length || !token.startsWith(kw)) return stemsOf(token).includes(kw);
  const rest = token.slice(kw.length);
  return rest === "s" || rest === "es" || rest === "ed" || rest === "d" || rest === "ing";
}

/** Candidate dictionary forms of an inflected word (never shorter than 3 letters). */
function stemsOf(t: string): string[] {
  const out: string[] = [];
  const add = (s: string) => s.length >= 3 && out.push(s);
  if (t.endsWith("ing")) {
    const b = t.slice(0, -3);
    add(b);
    add(`${b}e`);
    if (b.length > 3 && b.at(-1) === b.at(-2)) add(b.slice(0, -1));
  } else if (t.endsWith("ies") || t.endsWith("ied")) add(`${t.slice(0, -3)}y`);
  else if (t.endsWith("ed")) {
    const b = t.slice(0, -2);
    add(b);
    add(`${b}e`);
    if (b.length > 3 && b.at(-1) === b.at(-2)) add(b.slice(0, -1));
  } else if (t.endsWith("es")) {
    add(t.slice(0, -2));
    add(t.slice(0, -1));
  } else if (t.endsWith("s") && !t.endsWith("ss")) add(t.slice(0, -1));
  return out;
}

const boundaryRe = (kw: string): RegExp => {
  const esc = kw.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const word = /[\p{L}\p{N}_]/u;
  const left = word.test(kw[0] ?? "") ? "(?<![\\p{L}\\p{N}_])" : "";
  const right = word.test(kw.at(-1) ?? "") ? "(?![\\p{L}\\p{N}_])" : "";
  return new RegExp(left + esc + right, "u");
};

/** Compile keyword lists: `lists[d]` holds dimension d's keywords (any language, lower-case). */
export function compile(lists: string[][]): Matcher {
  const index = new Map<string, Phrase[]>();
  const unspaced: Pattern[] = [];
  const special: Pattern[] = [];
  let id = 0;
  lists.forEach((list, dim) => {
    for (const label of new Set(list)) {
      const words = label.split(/[\s-]+/);
      if (UNSPACED.test(label)) unspaced.push({ test: (t) => t.includes(label), dim, label, id: id++ });
      else if (words.every((w) => w.match(WORD)?.[0] === w)) {
        const first = words[0] ?? "";
        index.set(first, [...(index.get(first) ?? []), { words, dim, label, id: id++ }]);
      } else {
        const re = boundaryRe(label);
        special.push({ test: (t) => re.test(t), dim, label, id: id++ });
      }
    }
  });

  return {
    size: id,
    match(text) {
      const hits: string[][] = lists.map(() => []);
      const seen = new Uint8Array(id);
      const hit = (p: { dim: number; label: string; id: number }) => {
        if (seen[p.id]) return;
        seen[p.id] = 1;
        hits[p.dim]!.push(p.label);
      };
      const toks: string[] = [];
      const ends: number[] = [];
      const starts: number[] = [];
      for (const m of text.replaceAll("’", "'").matchAll(WORD)) {
        toks.push(m[0]);
        starts.push(m.index);
        ends.push(m.index + m[0].length);
      }
      for (let i = 0; i < toks.length; i++) {
        const tok = toks[i]!;
        for (const p of index.get(tok) ?? []) if (phraseAt(p, i)) hit(p);
        for (const stem of stemsOf(tok)) for (const p of index.get(stem) ?? []) if (p.words.length === 1) hit(p);
      }
      function phraseAt(p: Phrase, i: number): boolean {
        for (let k = 1; k < p.words.length; k++) {
          const j = i + k;
          if (j >= toks.length || !GAP.test(text.slice(ends[j - 1], starts[j]))) return false;
          const want = p.words[k]!;
          if (k === p.words.length - 1 ? !inflects(toks[j]!, want) : toks[j] !== want) return false;
        }
        return true;
      }
      if (UNSPACED.test(text)) for (const p of unspaced) if (p.test(text)) hit(p);
      for (const p of special) if (p.test(text)) hit(p);
      return hits;
    },
  };
}
