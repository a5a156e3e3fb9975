// The Tensor class and the ops form no import cycle (issue 10): engine/tensor_core.ts reaches no op,
// the ops import the core, never engine/tensor.ts (which installs the chained methods from the ops), and
// the elementwise rules live in the one table of engine/ops/unary.ts. Read from the source files' imports.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { Tensor, tensor, functional as F } from '../../engine';
import { UNARY } from '../../engine/ops/unary';

const ENGINE = path.join(__dirname, '..', '..', 'engine');

/** Relative modules a file imports at run time (`import type` and `export type` erased). */
function runtimeImports(file: string): string[] {
  const src = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of src.matchAll(/^(?:import|export)\s+(?!type\s)(?:[^'"]*?\sfrom\s+)?['"](\.[^'"]+)['"]/gm)) {
    const base = path.resolve(path.dirname(file), m[1]);
    const target = [`${base}.ts`, path.join(base, 'index.ts')].find((f) => existsSync(f));
    if (target !== undefined) out.push(target);
  }
  return out;
}

function reachable(from: string): Set<string> {
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length > 0) {
    const f = stack.pop()!;
    for (const g of runtimeImports(f)) {
      if (!seen.has(g)) {
        seen.add(g);
        stack.push(g);
      }
    }
  }
  return seen;
}

test('tensor_core.ts reaches no op, and no op imports tensor.ts: no tensor <-> ops cycle', () => {
  const core = path.join(ENGINE, 'tensor_core.ts');
  const fromCore = [...reachable(core)].map((f) => path.relative(ENGINE, f));
  assert.deepEqual(
    fromCore.filter((f) => f.startsWith('ops')),
    [],
    `tensor_core.ts reaches ops: ${fromCore.join(', ')}`,
  );
  assert.ok(!fromCore.includes('tensor.ts'));
  const opsDir = path.join(ENGINE, 'ops');
  for (const f of readdirSync(opsDir).filter((n) => n.endsWith('.ts'))) {
    const reach = [...reachable(path.join(opsDir, f))].map((g) => path.relative(ENGINE, g));
    assert.ok(!reach.includes('tensor.ts'), `ops/${f} reaches engine/tensor.ts (${reach.join(', ')}): import the class from tensor_core.ts`);
  }
});

test('the chained methods are installed on Tensor and compute the ops (rules from the unary table)', () => {
  const x = tensor([-2, -0.5, 0.25, 3]);
  assert.equal(typeof (Tensor.prototype as unknown as Record<string, unknown>).relu, 'function');
  assert.deepEqual([...x.relu().data], [0, 0, 0.25, 3]);
  assert.deepEqual([...x.abs().data], [2, 0.5, 0.25, 3]);
  assert.deepEqual([...x.reshape(2, 2).T.data], [-2, 0.25, -0.5, 3]);
  assert.equal(`${x.sum()}`.startsWith('tensor(0.75'), true);
  for (const [name, rule] of Object.entries(UNARY)) {
    const y = (F as unknown as Record<string, (t: Tensor) => Tensor>)[name](x);
    assert.deepEqual(
      [...y.data],
      [...x.data].map((v) => Math.fround(rule.forward(v))),
      `${name} applies its table rule`,
    );
  }
});
