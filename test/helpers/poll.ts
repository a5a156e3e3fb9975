/**
 * The one polling helper of the test suite: every test that waits on something the product does (a file
 * on disk, a DOM node, a host report, a message) asks `waitFor` instead of sleeping a fixed time or
 * keeping its own loop. A check that throws counts as "not yet" (a frame detached while the page
 * reloads, a file half-written), and its last error is part of the timeout message, with `explain()`'s
 * account of the state at that moment, so a failure says what was awaited and what was seen instead.
 */

export interface WaitOptions {
  /** Gives up after this long (default 15 s). */
  timeoutMs?: number;
  /** Time between checks (default 100 ms). */
  everyMs?: number;
  /** Describes the state when the wait times out ("problems: ...", the document's text): added to the error. */
  explain?: () => string | Promise<string>;
}

/** A check's answer: `undefined`, `null` and `false` mean "not yet"; anything else is the result. */
type Answer<T> = T | undefined | null | false;

/** Polls `check` until it returns a result (see `Answer`) and returns that result. */
export async function waitFor<T>(what: string, check: () => Answer<T> | Promise<Answer<T>>, options: WaitOptions = {}): Promise<T> {
  const { timeoutMs = 15000, everyMs = 100, explain } = options;
  const end = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== null && v !== false) return v;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > end) {
      const seen = explain
        ? `; ${await Promise.resolve()
            .then(explain)
            .catch((e: unknown) => `(explain failed: ${String(e)})`)}`
        : '';
      const error = lastError === undefined ? '' : ` (last error: ${lastError instanceof Error ? lastError.message : String(lastError)})`;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${error}${seen}`);
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
