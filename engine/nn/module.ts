/**
 * nn.Module with PyTorch's semantics. A module's constructor returns a Proxy so that plain assignments
 * (`this.hidden = new Linear(...)`, class fields included) register parameters and children in order,
 * exactly like PyTorch's `__setattr__`; everything else (names, state dicts, printing) follows from that.
 */
import { Tensor } from '../tensor';
import { formatShape } from '../shape';
import { Parameter } from './parameter';

export interface LoadResult {
  missingKeys: string[];
  unexpectedKeys: string[];
}

type Registry = {
  parameters: Map<string, Parameter | null>;
  buffers: Map<string, Tensor>;
  nonPersistent: Set<string>;
  modules: Map<string, Module>;
};

const registries = new WeakMap<object, Registry>();

function registryOf(m: object): Registry {
  const r = registries.get(m);
  if (r === undefined) throw new Error('Module: the constructor of nn.Module did not run (call super() first)');
  return r;
}

function register(target: object, name: string, value: unknown): void {
  const reg = registries.get(target);
  if (reg === undefined || name === 'training') return;
  if (value instanceof Parameter) {
    reg.modules.delete(name);
    reg.buffers.delete(name);
    reg.parameters.set(name, value);
  } else if (value instanceof Module) {
    reg.parameters.delete(name);
    reg.buffers.delete(name);
    reg.modules.set(name, value);
  } else if (reg.parameters.has(name)) {
    if (value !== null) {
      const what = value instanceof Tensor ? 'a plain Tensor' : typeof value;
      throw new Error(`cannot assign ${what} as parameter '${name}' (nn.Parameter or null expected; wrap it with new nn.Parameter(t))`);
    }
    reg.parameters.set(name, null);
  } else if (reg.buffers.has(name)) {
    if (!(value instanceof Tensor)) throw new Error(`cannot assign ${typeof value} as buffer '${name}' (Tensor expected)`);
    reg.buffers.set(name, value);
  } else if (reg.modules.has(name)) {
    reg.modules.delete(name);
  }
}

const handler: ProxyHandler<object> = {
  set(target, prop, value) {
    if (typeof prop === 'string') register(target, prop, value);
    return Reflect.set(target, prop, value);
  },
  defineProperty(target, prop, desc) {
    if (typeof prop === 'string' && 'value' in desc) register(target, prop, desc.value);
    return Reflect.defineProperty(target, prop, desc);
  },
  deleteProperty(target, prop) {
    if (typeof prop === 'string') {
      const reg = registries.get(target);
      reg?.parameters.delete(prop);
      reg?.buffers.delete(prop);
      reg?.modules.delete(prop);
    }
    return Reflect.deleteProperty(target, prop);
  },
};

export abstract class Module {
  training = true;

  constructor() {
    registries.set(this, { parameters: new Map(), buffers: new Map(), nonPersistent: new Set(), modules: new Map() });
    const proxy = new Proxy<Module>(this, handler as ProxyHandler<Module>);
    registries.set(proxy, registryOf(this));
    return proxy;
  }

  /** The computation; subclasses override it and call child modules' forward. */
  abstract forward(...inputs: Tensor[]): Tensor;

  /** Registers a child under any name, including ones that are not identifiers ('block 0', '0'). */
  addModule(name: string, module: Module): this {
    if (name === '' || name.includes('.')) throw new Error(`addModule: module name '${name}' must be non-empty and contain no '.'`);
    if (!(module instanceof Module)) throw new Error(`addModule: '${name}' is not an nn.Module`);
    (this as unknown as Record<string, unknown>)[name] = module;
    return this;
  }

  /** Registers a parameter under a name (same as assigning it as a property). */
  registerParameter(name: string, param: Parameter | null): this {
    const reg = registryOf(this);
    reg.parameters.set(name, param);
    Reflect.set(this, name, param);
    return this;
  }

  /** A tensor that belongs to the module's state (saved, loaded) but is never trained, like a fixed random weight. */
  registerBuffer(name: string, tensor: Tensor, persistent = true): this {
    const reg = registryOf(this);
    if (reg.parameters.has(name) || reg.modules.has(name)) throw new Error(`registerBuffer: '${name}' is already a parameter or module`);
    reg.buffers.set(name, tensor);
    if (!persistent) reg.nonPersistent.add(name);
    Reflect.set(this, name, tensor);
    return this;
  }

  *namedChildren(): Generator<[string, Module]> {
    const seen = new Set<Module>();
    for (const [name, m] of registryOf(this).modules) {
      if (seen.has(m)) continue;
      seen.add(m);
      yield [name, m];
    }
  }

  children(): Module[] {
    return [...this.namedChildren()].map(([, m]) => m);
  }

  /** This module and all below it, pre-order, each once (a shared module under its first path). */
  namedModules(prefix = '', memo: Set<Module> = new Set()): [string, Module][] {
    if (memo.has(this)) return [];
    memo.add(this);
    const out: [string, Module][] = [[prefix, this]];
    for (const [name, m] of registryOf(this).modules) {
      out.push(...m.namedModules(prefix === '' ? name : `${prefix}.${name}`, memo));
    }
    return out;
  }

  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  /** Every trainable parameter once, in registration order, with its dotted path. */
  namedParameters(prefix = ''): [string, Parameter][] {
    const seen = new Set<Parameter>();
    const out: [string, Parameter][] = [];
    for (const [path, m] of this.namedModules(prefix)) {
      for (const [name, p] of registryOf(m).parameters) {
        if (p === null || seen.has(p)) continue;
        seen.add(p);
        out.push([path === '' ? name : `${path}.${name}`, p]);
      }
    }
    return out;
  }

  parameters(): Parameter[] {
    return this.namedParameters().map(([, p]) => p);
  }

  namedBuffers(): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [path, m] of this.namedModules()) {
      for (const [name, b] of registryOf(m).buffers) out.push([path === '' ? name : `${path}.${name}`, b]);
    }
    return out;
  }

  /**
   * Parameters and persistent buffers under every path that reaches them (a shared layer appears under
   * each of its places, as in PyTorch). Values share storage with the module.
   */
  stateDict(prefix = ''): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    this.collectState(prefix, out);
    return out;
  }

  private collectState(prefix: string, out: Record<string, Tensor>): void {
    const reg = registryOf(this);
    for (const [name, p] of reg.parameters) if (p !== null) out[prefix + name] = p.detach();
    for (const [name, b] of reg.buffers) if (!reg.nonPersistent.has(name)) out[prefix + name] = b.detach();
    for (const [name, m] of reg.modules) m.collectState(`${prefix}${name}.`, out);
  }

  /**
   * Copies values from a state dict. Every problem (missing keys, unexpected keys, shape mismatches) is
   * reported in one error, and nothing is copied unless everything fits.
   */
  loadStateDict(stateDict: Record<string, Tensor>, strict = true): LoadResult {
    const own = this.stateDict();
    // Own keys only: a key like 'constructor' must not count as present through the prototype.
    const missingKeys = Object.keys(own).filter((k) => !Object.hasOwn(stateDict, k));
    const unexpectedKeys = Object.keys(stateDict).filter((k) => !Object.hasOwn(own, k));
    const mismatches: string[] = [];
    for (const [k, t] of Object.entries(own)) {
      if (!Object.hasOwn(stateDict, k)) continue;
      const src: unknown = stateDict[k];
      // State dicts often come from files or JSON: a value that is not a tensor is reported, not crashed on.
      if (!(src instanceof Tensor)) {
        mismatches.push(`  value for ${k} is not a Tensor (got ${src === null ? 'null' : Array.isArray(src) ? 'an array' : typeof src})`);
        continue;
      }
      const shapeOk = src.shape.length === t.shape.length && src.shape.every((d, i) => d === t.shape[i]);
      if (!shapeOk) {
        mismatches.push(
          `  size mismatch for ${k}: copying a param with shape ${formatShape(src.shape)}, the shape in the current model is ${formatShape(t.shape)}`,
        );
      }
    }
    const problems: string[] = [...mismatches];
    if (strict && missingKeys.length > 0) problems.push(`  Missing key(s) in state_dict: ${missingKeys.map((k) => `"${k}"`).join(', ')}.`);
    if (strict && unexpectedKeys.length > 0) problems.push(`  Unexpected key(s) in state_dict: ${unexpectedKeys.map((k) => `"${k}"`).join(', ')}.`);
    if (problems.length > 0) {
      throw new Error(`Error(s) in loading state_dict for ${this.constructor.name}:\n${problems.join('\n')}`);
    }
    for (const [k, t] of Object.entries(own)) {
      if (Object.hasOwn(stateDict, k)) t.data.set(stateDict[k].data);
    }
    return { missingKeys, unexpectedKeys };
  }

  /** The module at a dotted path ('0.block 0.2'); '' is this module. */
  getSubmodule(path: string): Module {
    if (path === '') return this;
    return path.split('.').reduce<Module>((m, part) => {
      const next = registryOf(m).modules.get(part);
      if (next === undefined) throw new Error(`getSubmodule: ${m.constructor.name} has no submodule '${part}' (path '${path}')`);
      return next;
    }, this);
  }

  /** Calls fn on every submodule and then on this one (children first, like PyTorch), e.g. for custom init. */
  apply(fn: (m: Module) => void): this {
    for (const m of this.children()) m.apply(fn);
    fn(this);
    return this;
  }

  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  /** Clears gradients (sets them to null, PyTorch's default). */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = null;
  }

  /** The argument summary shown inside the parentheses of the printed form. */
  extraRepr(): string {
    return '';
  }

  toString(): string {
    const reg = registryOf(this);
    const lines: string[] = [];
    const extra = this.extraRepr();
    if (extra !== '') lines.push(...extra.split('\n'));
    for (const [name, m] of reg.modules) lines.push(`(${name}): ${m.toString().replace(/\n/g, '\n  ')}`);
    const name = this.constructor.name;
    if (reg.modules.size === 0) return `${name}(${extra})`;
    return `${name}(\n  ${lines.join('\n  ')}\n)`;
  }
}

/** Every (name, child) registration of m in order, duplicates included: what Sequential iterates. */
export function moduleEntries(m: Module): [string, Module][] {
  return [...registryOf(m).modules];
}
