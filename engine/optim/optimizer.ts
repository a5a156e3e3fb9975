/**
 * The optimizer base: parameter groups with their own hyper-parameters, per-parameter state, zeroGrad,
 * and a state dict that captures everything needed to resume a run step for step.
 */
import type { Parameter } from '../nn/parameter';
import { Tensor } from '../tensor';

export type Hyper = Record<string, number | boolean | number[]>;

export interface ParamGroup<H extends Hyper> {
  params: Parameter[];
  options: H;
}

/** Parameters, or groups of parameters with options that override the defaults. */
export type ParamsArg<H extends Hyper> = Parameter[] | { params: Parameter[]; options?: Partial<H> }[];

/** Per-parameter state: numbers (the step count) and tensors (moment estimates). */
export type ParamState = Record<string, number | Float32Array>;

export interface OptimizerStateDict {
  state: Record<number, Record<string, number | Tensor>>;
  paramGroups: (Hyper & { params: number[] })[];
}

export abstract class Optimizer<H extends Hyper> {
  readonly paramGroups: ParamGroup<H>[];
  readonly state = new Map<Parameter, ParamState>();

  constructor(params: ParamsArg<H>, defaults: H) {
    const list = Array.from(params as Iterable<Parameter | { params: Parameter[]; options?: Partial<H> }>);
    if (list.length === 0) throw new Error(`${this.constructor.name}: got an empty parameter list`);
    const grouped = list[0] instanceof Tensor ? [{ params: list as Parameter[] }] : (list as { params: Parameter[]; options?: Partial<H> }[]);
    this.paramGroups = grouped.map((g) => ({ params: [...g.params], options: { ...defaults, ...(g.options ?? {}) } as H }));
    const seen = new Set<Parameter>();
    for (const g of this.paramGroups) {
      for (const p of g.params) {
        if (seen.has(p)) throw new Error(`${this.constructor.name}: a parameter appears in more than one group (or twice in a list)`);
        seen.add(p);
      }
    }
  }

  /** Learning rate of the first group; schedulers write it into every group. */
  get lr(): number {
    return this.paramGroups[0].options.lr as number;
  }

  /** Clears gradients (to null, PyTorch's default). */
  zeroGrad(): void {
    for (const g of this.paramGroups) for (const p of g.params) p.grad = null;
  }

  /** One update of every parameter that has a gradient. */
  step(): void {
    for (const g of this.paramGroups) {
      for (const p of g.params) {
        if (p.grad === null) continue;
        let s = this.state.get(p);
        if (s === undefined) {
          s = {};
          this.state.set(p, s);
        }
        this.update(p.data, p.grad.data, s, g.options);
      }
    }
  }

  /** Applies the update rule to one parameter's values in place. */
  protected abstract update(param: Float32Array, grad: Float32Array, state: ParamState, options: H): void;

  /** State and hyper-parameters, with parameters referred to by their index across groups (as in PyTorch). */
  stateDict(): OptimizerStateDict {
    const state: OptimizerStateDict['state'] = {};
    const paramGroups: OptimizerStateDict['paramGroups'] = [];
    let index = 0;
    for (const g of this.paramGroups) {
      const ids: number[] = [];
      for (const p of g.params) {
        const s = this.state.get(p);
        if (s !== undefined) {
          const entry: Record<string, number | Tensor> = {};
          for (const [k, v] of Object.entries(s)) entry[k] = typeof v === 'number' ? v : new Tensor(v.slice(), p.shape);
          state[index] = entry;
        }
        ids.push(index++);
      }
      paramGroups.push({ ...g.options, params: ids });
    }
    return { state, paramGroups };
  }

  loadStateDict(sd: OptimizerStateDict): void {
    if (sd.paramGroups.length !== this.paramGroups.length) {
      throw new Error(
        `${this.constructor.name}.loadStateDict: the state has ${sd.paramGroups.length} parameter groups, this optimizer ${this.paramGroups.length}`,
      );
    }
    const params = this.paramGroups.flatMap((g) => g.params);
    sd.paramGroups.forEach((g, i) => {
      if (g.params.length !== this.paramGroups[i].params.length) {
        throw new Error(
          `${this.constructor.name}.loadStateDict: group ${i} has ${g.params.length} parameters in the state, ${this.paramGroups[i].params.length} here`,
        );
      }
    });
    const restored = new Map<Parameter, ParamState>();
    for (const [key, entry] of Object.entries(sd.state)) {
      const p = params[Number(key)];
      if (p === undefined) throw new Error(`${this.constructor.name}.loadStateDict: state for parameter ${key}, which does not exist`);
      const s: ParamState = {};
      for (const [k, v] of Object.entries(entry)) {
        if (typeof v === 'number') s[k] = v;
        else {
          if (v.data.length !== p.data.length) {
            throw new Error(
              `${this.constructor.name}.loadStateDict: '${k}' of parameter ${key} has ${v.data.length} values, the parameter ${p.data.length}`,
            );
          }
          s[k] = v.data.slice();
        }
      }
      restored.set(p, s);
    }
    this.state.clear();
    for (const [p, s] of restored) this.state.set(p, s);
    sd.paramGroups.forEach((g, i) => {
      const { params: _ids, ...options } = g;
      this.paramGroups[i].options = { ...this.paramGroups[i].options, ...options } as H;
    });
  }
}

/** The state buffer `name`, created as zeros (or a copy of `init`) on the first step. */
export function buffer(state: ParamState, name: string, length: number, init?: Float32Array): Float32Array {
  let b = state[name];
  if (b === undefined || typeof b === 'number') {
    b = init ? init.slice() : new Float32Array(length);
    state[name] = b;
  }
  return b;
}

export function checkPositive(name: string, what: string, v: number, allowZero = true): void {
  if (!(allowZero ? v >= 0 : v > 0) || !Number.isFinite(v)) {
    throw new Error(`${name}: invalid ${what} ${v} (must be ${allowZero ? '>= 0' : '> 0'})`);
  }
}
