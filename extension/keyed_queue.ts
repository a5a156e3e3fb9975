/**
 * Tasks that must not overlap for one key (a document, a model) but may for different keys: each task
 * starts once the previous task of its key has settled, whether that one succeeded or failed. Without
 * the `vscode` API, so unit tests reach it.
 */
export class KeyedQueue {
  /** The last queued task of each key, settled either way; removed once it is the last and done. */
  private readonly tails = new Map<string, Promise<void>>();

  /** Runs `task` after the earlier tasks of `key`; resolves or rejects as `task` does. */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const result = (this.tails.get(key) ?? Promise.resolve()).then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Whether `key` has a task queued or running. */
  busy(key: string): boolean {
    return this.tails.has(key);
  }

  /** Settles (never rejects) once every task of `key` queued so far has settled: what a save waits for. */
  idle(key: string): Promise<void> {
    return this.tails.get(key) ?? Promise.resolve();
  }
}
