/**
 * Wraps `text` into lines of at most `width` characters, breaking only at whitespace, and returns the lines.
 * Words are separated by one space in the output (any run of whitespace in the input, newlines included, is one
 * separator), and no line starts or ends with a space. A word longer than `width` is put on a line of its own,
 * unbroken. Text with no words gives [].
 * @param {string} text
 * @param {number} width
 * @returns {string[]}
 */
export function wrap(text, width) {
  const words = text.split(/\s+/).filter(Boolean);
  const lines = [];
  let line = "";
  for (const word of words) {
    if (line === "") {
      line = word;
    } else if (line.length + 1 + word.length < width) {
      line += ` ${word}`;
    } else {
      lines.push(line);
      line = word;
    }
  }
  return lines;
}
