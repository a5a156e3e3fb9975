import type { Tensor } from '../tensor';
import { isGradEnabled } from '../autograd';
import { releaseForward } from '../buffer_pool';
import { Module, moduleEntries } from './module';
import { keepsNoValues } from './engine_forwards';

/**
 * A chain of modules applied in order. Children are named '0', '1', ... or given a name with addModule
 * ('block 0'); the same module may appear twice, which shares its weights (the seeds' `shared` layer).
 */
export class Sequential extends Module {
  constructor(...modules: Module[]) {
    super();
    modules.forEach((m, i) => this.addModule(String(i), m));
  }

  override forward(x: Tensor): Tensor {
    const entries = moduleEntries(this);
    if (isGradEnabled()) {
      for (const [, m] of entries) x = m.forward(x);
      return x;
    }
    // Without autograd only the next child reads a child's result: recycle it after (buffer_pool.ts),
    // unless the child that made it or the one that read it may keep it (engine_forwards.ts).
    const input = x;
    let madeByEngine = false;
    for (const [, m] of entries) {
      const byEngine = keepsNoValues(m);
      const y = m.forward(x);
      if (x !== input && madeByEngine && byEngine) releaseForward(x.data, [y.data, input.data]);
      x = y;
      madeByEngine = byEngine;
    }
    return x;
  }

  get length(): number {
    return moduleEntries(this).length;
  }

  /** The i-th module (negative counts from the end), like `net[i]`. */
  get<T extends Module = Module>(i: number): T {
    const entries = moduleEntries(this);
    const k = i < 0 ? i + entries.length : i;
    if (!Number.isInteger(k) || k < 0 || k >= entries.length) {
      throw new Error(`Sequential.get: index ${i} is out of range for a Sequential of ${entries.length} modules`);
    }
    return entries[k][1] as T;
  }

  append(m: Module): this {
    return this.addModule(String(moduleEntries(this).length), m);
  }

  *[Symbol.iterator](): Iterator<Module> {
    for (const [, m] of moduleEntries(this)) yield m;
  }
}
