// An async queue that merges events from concurrent producers (the model stream, several running tools) into the
// one AsyncGenerator the loop exposes. `push` returns a promise when the queue is long, so a flood of tool output
// (a command printing 100 MB) waits for the consumer instead of filling memory.
export class Channel<T> {
  private q: T[] = [];
  private head = 0;
  private wake?: () => void;
  private room: Array<() => void> = [];
  private idle: Array<() => void> = [];
  private waiting = false;
  constructor(private readonly high = 64) {}

  /**
   * Resolves once everything pushed so far has been taken and the consumer asks for more: with a pull-based consumer
   * (for await), every earlier event has then been handled, say rendered before a question is put to the user.
   */
  settled(): Promise<void> {
    if (this.waiting && this.head >= this.q.length) return Promise.resolve();
    return new Promise((r) => this.idle.push(r));
  }

  push(v: T): void | Promise<void> {
    this.q.push(v);
    this.wake?.();
    if (this.q.length - this.head >= this.high) return new Promise((r) => this.room.push(r));
  }

  /** Yield everything pushed until `work` settles (then its result, or its error). */
  async *drain<R>(work: Promise<R>): AsyncGenerator<T, R> {
    let settled: { ok: true; v: R } | { ok: false; e: unknown } | undefined;
    work.then(
      (v) => {
        settled = { ok: true, v };
        this.wake?.();
      },
      (e) => {
        settled = { ok: false, e };
        this.wake?.();
      },
    );
    for (;;) {
      while (this.head < this.q.length) {
        const v = this.q[this.head++]!;
        if (this.head > 1024 && this.head * 2 > this.q.length) {
          this.q = this.q.slice(this.head);
          this.head = 0;
        }
        if (this.q.length - this.head < this.high / 2 && this.room.length) for (const r of this.room.splice(0)) r();
        yield v;
      }
      for (const r of this.idle.splice(0)) r();
      if (settled) {
        if (settled.ok) return settled.v;
        throw settled.e;
      }
      this.waiting = true;
      await new Promise<void>((r) => (this.wake = r));
      this.waiting = false;
      this.wake = undefined;
    }
  }
}
