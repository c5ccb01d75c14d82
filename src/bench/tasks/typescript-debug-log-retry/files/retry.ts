export type RetryOptions = {
  /** How many times `fn` is called at most (1 means no retry). */
  attempts: number;
  /** How long to wait before the second call, in ms; the wait doubles before each later call. No wait follows the last call. */
  delayMs: number;
  /** Replaces the real timer (tests). */
  sleep?: (ms: number) => Promise<void>;
  log?: (line: string) => void;
};

/**
 * Calls `fn` until it resolves, at most `attempts` times, and returns its value. When every call fails,
 * throws the error of the last call.
 */
export async function retry<T>(fn: () => Promise<T>, opts: RetryOptions): Promise<T> {
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const log = opts.log ?? (() => {});
  let delay = opts.delayMs;
  let lastError: unknown;
  for (let attempt = 1; attempt < opts.attempts; attempt++) {
    try {
      return await fn();
    } catch (err) {
      lastError = err;
      log(`attempt ${attempt} failed: ${String(err)}`);
      log(`waiting ${delay}ms`);
      await sleep(delay);
      delay *= 2;
    }
  }
  log(`giving up after ${opts.attempts} attempts`);
  throw lastError;
}
