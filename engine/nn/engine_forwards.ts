import { Module } from './module';

/**
 * Which forwards are the engine's own. Sequential and Graph modules recycle a child's result once the
 * next reader is done with it (buffer_pool.ts's releaseForward), which is only safe when no code can keep
 * a reference to it: the engine's layers never do, a user's module may (`this.features = x`, a list of
 * activations for a plot). So a module counts as the engine's when its forward is one the engine
 * registered here (a subclass that overrides forward, or an instance given its own, is not) and so does
 * every module below it. Nothing registered means nothing is recycled: the safe default.
 */
const engineForwards = new WeakSet<object>();

/** Registers every Module class among `exports` (a layer file's exports, or one class) as the engine's own. */
export function registerEngineForwards(...exports: object[]): void {
  for (const e of exports) {
    for (const v of typeof e === 'function' ? [e] : Object.values(e)) {
      if (typeof v === 'function' && v.prototype instanceof Module) engineForwards.add((v.prototype as Module).forward);
    }
  }
}

/** True when `m` and every module below it run only the engine's forwards, so none keeps a value it saw. */
export function keepsNoValues(m: Module): boolean {
  if (!engineForwards.has(m.forward)) return false;
  for (const c of m.children()) if (!keepsNoValues(c)) return false;
  return true;
}
