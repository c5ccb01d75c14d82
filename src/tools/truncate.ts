// Central output truncation: the model gets at most `cap` bytes, head and tail kept, and is told what was cut.
export function truncate(text: string, cap: number, total = Buffer.byteLength(text)): string {
  if (total <= cap) return text;
  const buf = Buffer.from(text);
  const half = Math.floor(cap / 2);
  const head = buf
    .subarray(0, half)
    .toString("utf8")
    .replace(/\uFFFD$/, "");
  const tail = buf
    .subarray(Math.max(half, buf.length - half))
    .toString("utf8")
    .replace(/^\uFFFD/, "");
  return `${head}\n\n[… ${total - Buffer.byteLength(head) - Buffer.byteLength(tail)} bytes truncated; the output was ${total} bytes. Narrow the command or read a smaller range …]\n\n${tail}`;
}

/** Keeps the first and last `cap/2` bytes of an unbounded stream in bounded memory (Bash with 100 MB of output). */
export class HeadTail {
  private head: Buffer = Buffer.alloc(0);
  private tail: Buffer[] = [];
  private tailBytes = 0;
  total = 0;
  private readonly half: number;
  constructor(private readonly cap: number) {
    this.half = Math.floor(cap / 2);
  }
  push(s: string) {
    let b = Buffer.from(s);
    this.total += b.length;
    if (this.head.length < this.half) {
      const take = Math.min(this.half - this.head.length, b.length);
      this.head = Buffer.concat([this.head, b.subarray(0, take)]);
      b = b.subarray(take);
      if (!b.length) return;
    }
    this.tail.push(b.length > this.half ? b.subarray(b.length - this.half) : b);
    this.tailBytes += Math.min(b.length, this.half);
    while (this.tail.length > 1 && this.tailBytes - this.tail[0]!.length >= this.half) this.tailBytes -= this.tail.shift()!.length;
  }
  text(): string {
    return truncate(Buffer.concat([this.head, ...this.tail]).toString("utf8"), this.cap, this.total);
  }
}
