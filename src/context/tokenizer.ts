// The exact o200k token counter. gpt-tokenizer ships its rank table as a 2.4 MB JavaScript array literal, which the
// compiled binary would also carry as bytecode (about 12 MB); its raw `.tiktoken` data file is embedded instead (as a
// file, not code) and turned into the same rank table on first use.
import rankFile from "gpt-tokenizer/data/o200k_base.tiktoken" with { type: "file" };
import { GptEncoding } from "gpt-tokenizer/esm/GptEncoding";

type Ranks = Array<string | number[]>;

/** Ranks in gpt-tokenizer's own format: the token as text when its bytes are valid UTF-8, else the bytes. */
export function parseRanks(text: string): Ranks {
  const strict = new TextDecoder("utf-8", { fatal: true });
  const ranks: Ranks = [];
  for (const line of text.split("\n")) {
    const space = line.indexOf(" ");
    if (space < 0) continue;
    const bytes = Buffer.from(line.slice(0, space), "base64");
    const rank = Number(line.slice(space + 1));
    // A token starting with a byte-order mark stays bytes, as in gpt-tokenizer's table (a decoder would drop it).
    const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
    try {
      ranks[rank] = bom ? [...bytes] : strict.decode(bytes);
    } catch {
      ranks[rank] = [...bytes];
    }
  }
  return ranks;
}

let api: Promise<GptEncoding> | undefined;
export function o200k(): Promise<GptEncoding> {
  api ??= Bun.file(rankFile)
    .text()
    .then((text) => {
      const ranks = parseRanks(text);
      return GptEncoding.getEncodingApi("o200k_base", () => ranks);
    });
  return api;
}
