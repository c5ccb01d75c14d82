// The team server's audit writes, in order, one at a time. While the store is unreachable (a database restart),
// records wait here and are retried until written, still in arrival order, so an outage loses none of them while
// the server lives; requests are not held up by it (a refusal during the outage is answered at once). Other errors
// drop the record with a log line rather than block every record behind it.
import { log as debugLog } from "../core/log";
import { StoreUnavailable, type AuditEntry, type TeamStore } from "./store";

/** Records kept while the store is down; past this, new ones are dropped (and each drop logged). */
const MAX_WAITING = 50_000;

export class AuditQueue {
  private readonly waiting: { entry: AuditEntry; done: () => void }[] = [];
  private running = false;

  constructor(
    private readonly store: TeamStore,
    private readonly log: (line: string) => void,
    private readonly retryMs = 1000,
  ) {}

  /** Resolves once the record is written, or is waiting for the store to come back (it will be written then). */
  add(entry: AuditEntry): Promise<void> {
    if (this.waiting.length >= MAX_WAITING) {
      this.log(`audit record for ${entry.request} dropped: ${MAX_WAITING} records already wait for the store`);
      return Promise.resolve();
    }
    return new Promise((done) => {
      this.waiting.push({ entry, done });
      if (!this.running) void this.drain();
    });
  }

  /** Records not yet written. */
  pending(): number {
    return this.waiting.length;
  }

  private async drain() {
    this.running = true;
    let down = false;
    while (this.waiting.length) {
      const next = this.waiting[0]!;
      try {
        await this.store.append(next.entry);
        this.waiting.shift();
        next.done();
        if (down) this.log("the team store is back: waiting audit records written");
        down = false;
      } catch (err) {
        if (err instanceof StoreUnavailable) {
          if (!down) this.log(`audit records wait for the store (${err.message}); retried every ${this.retryMs / 1000} s`);
          down = true;
          for (const w of this.waiting) w.done(); // no caller waits for the outage to end
          await Bun.sleep(this.retryMs);
          continue;
        }
        this.waiting.shift();
        next.done();
        const why = err instanceof Error ? err.message : String(err);
        debugLog(`team: audit record for ${next.entry.request} not written: ${why}`);
        this.log(`audit record not written (${why})`);
      }
    }
    this.running = false;
  }
}
