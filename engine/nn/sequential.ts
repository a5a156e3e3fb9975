import type { Tensor } from '../tensor';
import { Module, moduleEntries } from './module';

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
    for (const [, m] of moduleEntries(this)) x = m.forward(x);
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
