// Every optimizer of the table (engine/optim/table.ts), checked as a whole against a real PyTorch: the
// table's defaults are torch's, its keywords are torch's, and the engine class built from a section that
// sets every field away from its default (through the schema, the run config and the set-up, as a run
// does) follows torch.optim's class of the same name for six steps, called as the generated script calls it.
// An optimizer added to the table is checked here with no change to this file.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { nn, tensor } from '../../engine';
import { OPTIMIZERS, OPTIMIZER_NAMES, createOptimizer, type OptimizerName } from '../../engine/optim';
import { optimizerEntry } from '../../engine/optim/table';
import { parseTrainingSection, resolveRunConfig } from '../../engine/train/config';
import { optimizerCode } from '../../engine/graph/codegen/python_training';
import type { FieldSpec } from '../../engine/optim/hyper';
import { assertClose } from '../helpers/gradcheck';
import { A, B, W0, leastSquares } from '../helpers/least_squares';

const PYTHON = '/usr/bin/python3';
const REPO = join(__dirname, '..', '..');

test.before(() => {
  const r = spawnSync('bash', [join(REPO, 'scripts', 'ensure-torch.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) throw new Error(`scripts/ensure-torch.sh failed (PyTorch is required for this test):\n${r.stderr}`);
});

const STEPS = 6;

/** A valid value away from the field's default: halves, 0.05 for a zero, the other boolean. */
function moved(f: FieldSpec): unknown {
  if (f.kind === 'boolean') return !f.default;
  if (f.kind === 'pair') return [f.default[0] / 2, f.default[1] / 2];
  return f.default === 0 ? 0.05 : f.default / 2;
}

/** Every field moved, except those the entry's own rule refuses in that combination (SGD's Nesterov with dampening). */
function movedFields(name: OptimizerName): Record<string, unknown> {
  const entry = optimizerEntry(name);
  const values: Record<string, unknown> = {};
  for (const [k, f] of Object.entries(entry.fields)) values[k] = moved(f);
  for (let fault = entry.check?.(values); fault; fault = entry.check?.(values)) values[fault.field] = entry.fields[fault.field].default;
  return values;
}

const section = (name: OptimizerName) => ({
  data: { kind: 'builtin', name: 'spiral' },
  loss: 'MSELoss',
  optimizer: { type: name, ...movedFields(name) },
  epochs: 1,
});

function torchRun(): { defaults: Record<string, Record<string, unknown>>; weights: Record<string, number[]> } {
  const calls = OPTIMIZER_NAMES.map(
    (n) => `    ${JSON.stringify(n)}: lambda w: ${optimizerCode(parseTrainingSection(section(n)).optimizer, '[w]')},`,
  );
  const script = `
import inspect, json, torch
A = torch.tensor(${JSON.stringify(A)})
B = torch.tensor(${JSON.stringify(B)})
table = json.loads(${JSON.stringify(JSON.stringify(Object.fromEntries(OPTIMIZER_NAMES.map((n) => [n, Object.values(OPTIMIZERS[n].fields).map((f) => f.torch)]))))})
defaults = {}
for name, keywords in table.items():
    params = inspect.signature(getattr(torch.optim, name).__init__).parameters
    defaults[name] = {k: (params[k].default if k in params else 'missing') for k in keywords}
    defaults[name] = {k: (list(v) if isinstance(v, tuple) else v if isinstance(v, (int, float, bool, str)) else 'required') for k, v in defaults[name].items()}
makers = {
${calls.join('\n')}
}
weights = {}
for name, make in makers.items():
    w = torch.nn.Parameter(torch.tensor(${JSON.stringify(W0)}))
    opt = make(w)
    for _ in range(${STEPS}):
        opt.zero_grad()
        ((A @ w - B) ** 2).mean().backward()
        opt.step()
    weights[name] = w.detach().flatten().tolist()
print(json.dumps({'defaults': defaults, 'weights': weights}))
`;
  const r = spawnSync(PYTHON, ['-c', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

test("every optimizer's defaults and keywords are torch's, and the engine follows torch with every field set", () => {
  const torch = torchRun();
  for (const name of OPTIMIZER_NAMES) {
    for (const f of Object.values(OPTIMIZERS[name].fields) as FieldSpec[]) {
      const theirs = torch.defaults[name][f.torch];
      assert.notEqual(theirs, 'missing', `${name}: torch.optim.${name} has no keyword '${f.torch}'`);
      if (theirs !== 'required')
        assert.deepEqual(theirs, f.kind === 'pair' ? [...f.default] : f.default, `${name}.${f.torch}: the table's default is not torch's`);
    }
    const config = resolveRunConfig('m', section(name));
    const w = new nn.Parameter(tensor(W0));
    const opt = createOptimizer(name, [w], { ...config.optimizer.options, lr: config.optimizer.lr });
    for (let i = 0; i < STEPS; i++) {
      opt.zeroGrad();
      leastSquares(w).backward();
      opt.step();
    }
    assertClose(w.data, torch.weights[name], 1e-5, `${name} with ${JSON.stringify(section(name).optimizer)}`);
  }
});
