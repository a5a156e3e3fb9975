/**
 * Every layer of the catalogue has its classes: the engine's (an nn.Module the document builds, the
 * generated TypeScript constructs and documentFromModule recognises) and PyTorch's (the generated script's
 * torch.nn class, looked up in torch 1.13). A layer added to the table without them fails here, by name,
 * instead of in the first document that uses it.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { nn } from '../../engine';
import { LAYERS } from '../../engine/graph';
import { needsPyTorch, PYTHON } from '../helpers/system';

const layers = LAYERS.filter((l) => !l.merge);

test('every catalogue layer names an engine Module class', () => {
  const classes: Record<string, unknown> = nn;
  const missing = layers.filter((l) => {
    const Cls = classes[l.engineClass];
    return !(typeof Cls === 'function' && Cls.prototype instanceof nn.Module);
  });
  assert.deepEqual(
    missing.map((l) => `${l.op}: nn.${l.engineClass}`),
    [],
    'export the class from engine/nn (activations: engine/nn/activation.ts)',
  );
});

test('every catalogue layer with a torch.nn class names one that PyTorch has', { skip: needsPyTorch }, () => {
  const names = layers.filter((l) => l.torchClass.startsWith('nn.') && l.torchHelper === undefined).map((l) => l.torchClass.slice(3));
  assert.ok(names.includes('Linear') && names.includes('Conv2d'), names.join(', '));
  const script = `import json, sys, torch.nn as nn\nprint(json.dumps([n for n in json.loads(sys.argv[1]) if not (isinstance(getattr(nn, n, None), type) and issubclass(getattr(nn, n), nn.Module))]))`;
  const r = spawnSync(PYTHON, ['-c', script, JSON.stringify(names)], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), [], 'torch.nn has no class of these names');
});
