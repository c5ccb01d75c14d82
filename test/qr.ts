// Reading back a QR code printed in the terminal: the block characters (█ ▀ ▄ and space, two modules per
// character cell, one above the other) become a pixel image that jsQR decodes. A drawn half is a light module
// (the code is drawn for a dark terminal, with a one-module light border), and the image gets a wide dark margin,
// as the terminal's background is: what a phone camera sees.
import jsQR from "jsqr";

const BLOCKS = /^[█▀▄ ]+$/;

/** The first run of QR lines in `text` (lines made only of block characters, with at least one block). */
export function qrBlock(text: string): string[] {
  const lines = text.split("\n");
  const isQr = (l: string) => l.length > 10 && BLOCKS.test(l) && /[█▀▄]/.test(l);
  const start = lines.findIndex(isQr);
  if (start < 0) return [];
  const block: string[] = [];
  for (let i = start; i < lines.length && isQr(lines[i]!); i++) block.push(lines[i]!);
  return block;
}

/** Decodes the QR code printed in `text`; undefined when there is none or it does not decode. */
export function decodeQr(text: string): string | undefined {
  const block = qrBlock(text);
  if (!block.length) return undefined;
  const width = Math.max(...block.map((l) => [...l].length));
  const light: boolean[][] = [];
  for (const line of block) {
    const cells = [...line.padEnd(width, " ")];
    light.push(cells.map((ch) => ch === "█" || ch === "▀"));
    light.push(cells.map((ch) => ch === "█" || ch === "▄"));
  }
  const scale = 4;
  const margin = 8;
  const w = (width + 2 * margin) * scale;
  const h = (light.length + 2 * margin) * scale;
  const data = new Uint8ClampedArray(w * h * 4);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const my = Math.floor(y / scale) - margin;
      const mx = Math.floor(x / scale) - margin;
      const v = light[my]?.[mx] ? 255 : 0;
      const i = (y * w + x) * 4;
      data[i] = data[i + 1] = data[i + 2] = v;
      data[i + 3] = 255;
    }
  // Not inverted: dark modules on light ones, so a scanner that does not try inverted codes reads it too.
  return jsQR(data, w, h, { inversionAttempts: "dontInvert" })?.data;
}
