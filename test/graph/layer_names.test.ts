// Layer names that would break the model: members of the container (engine or PyTorch), keywords,
// leading underscores; and Graphs that declare more inputs than they are given. Checked against live
// engine objects, and end to end: what the analysis accepts builds and runs.
import test from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument, buildModel, GraphModule, parseDocument, type ModelDocument } from '../../engine/graph';
import { nameProblem } from '../../engine/graph/edits';
import { graphAttributeProblem, sequentialKeyProblem } from '../../engine/graph/layer_names';
import { nn, tensor } from '../../engine';

/** Every property name an object answers to, up its prototype chain. */
function members(o: object): string[] {
  const out: string[] = [];
  for (let p: object | null = o; p !== null; p = Object.getPrototypeOf(p) as object | null) out.push(...Object.getOwnPropertyNames(p));
  return out;
}

const linear = (id: string, name?: string) => ({
  id,
  ...(name === undefined ? {} : { name }),
  op: 'Linear',
  args: { inFeatures: 2, outFeatures: 2 },
});
const doc = (model: unknown): ModelDocument => parseDocument({ format: 'nnblocks.model/1', name: 'm', input: { shape: [2] }, model });
const inSequential = (name: string) => doc({ id: 'net', op: 'Sequential', children: [linear('fc', name), { id: 't', op: 'Tanh' }] });
const inGraph = (name: string) =>
  doc({ id: 'g', op: 'Graph', inputs: ['x'], nodes: [linear('fc', name)], edges: [{ id: 'e1', from: 'x', to: 'fc' }], outputs: ['fc'] });
const errors = (d: ModelDocument) => analyzeDocument(d).diagnostics.filter((x) => x.severity === 'error');

test('every member of the engine Sequential and of a Graph module is refused as a layer name there', () => {
  const sequential = members(new nn.Sequential());
  const graph = members(new GraphModule());
  assert.ok(sequential.includes('length') && graph.includes('configure') && graph.includes('graphPlan'), 'the walk sees getters and fields');
  for (const name of sequential) assert.notEqual(sequentialKeyProblem(name), null, `Sequential child "${name}"`);
  for (const name of graph) if (/^[A-Za-z_]\w*$/.test(name)) assert.notEqual(graphAttributeProblem(name), null, `Graph layer "${name}"`);
});

test('a refused name is an error on the node, with the reason; the same names are refused by rename', () => {
  const cases: [ModelDocument, RegExp][] = [
    [inSequential('forward'), /"forward" is a method or field of nn\.Sequential/],
    [inSequential('length'), /"length" is a method or field of nn\.Sequential/],
    [inSequential('share_memory'), /method or field of nn\.Sequential \(in the engine or PyTorch\)/],
    [inSequential('_modules'), /starts with an underscore, which PyTorch reserves/],
    [inGraph('cpu'), /"cpu" is a method or field of nn\.Module/],
    [inGraph('configure'), /"configure" is a method or field of nn\.Module/],
    [inGraph('__class__'), /starts with an underscore/],
    [inGraph('lambda'), /"lambda" is a keyword of TypeScript or Python/],
  ];
  for (const [d, pattern] of cases) {
    const all = errors(d);
    assert.ok(
      all.some((e) => e.id === 'fc' && pattern.test(e.message)),
      `${pattern}: ${JSON.stringify(all)}`,
    );
    assert.throws(() => buildModel(d), pattern);
  }
  assert.match(nameProblem(inSequential('a'), 'fc', 'append') ?? '', /"append" is a method or field of nn\.Sequential/);
  assert.match(nameProblem(inGraph('a'), 'fc', 'to_empty') ?? '', /"to_empty" is a method or field of nn\.Module/);
  assert.match(nameProblem(inGraph('a'), 'fc', 'class') ?? '', /keyword/);
  assert.equal(nameProblem(inGraph('a'), 'fc', 'left'), null);
});

test('names the rules accept build and run, in both containers', () => {
  for (const name of ['block 0', 'configure', 'valid_name', 'x2']) {
    const d = inSequential(name);
    assert.deepEqual(errors(d), [], name);
    assert.deepEqual(Object.keys(buildModel(d).stateDict()), [`${name}.weight`, `${name}.bias`]);
  }
  for (const name of ['get', 'append', 'length', 'hidden_1']) {
    const d = inGraph(name);
    assert.deepEqual(errors(d), [], name);
    const m = buildModel(d);
    assert.deepEqual(m.forward(tensor([[1, 2]])).shape, [1, 2], name);
  }
});

test('a Graph with several inputs is an error unless it is the model itself', () => {
  const twoInputs = {
    id: 'g',
    op: 'Graph',
    inputs: ['x', 'y'],
    nodes: [linear('a'), linear('b'), { id: 's', op: 'add' }],
    edges: [
      { id: 'e1', from: 'x', to: 'a' },
      { id: 'e2', from: 'y', to: 'b' },
      { id: 'e3', from: 'a', to: 's' },
      { id: 'e4', from: 'b', to: 's' },
    ],
    outputs: ['s'],
  };
  const nested = doc({ id: 'net', op: 'Sequential', children: [twoInputs] });
  assert.ok(
    errors(nested).some((e) => e.id === 'g' && /declares 2 inputs \(x, y\) but is called with one tensor/.test(e.message)),
    JSON.stringify(errors(nested)),
  );
  const root = doc(twoInputs);
  assert.deepEqual(errors(root), []);
  const y = buildModel(root).forward(tensor([[1, 2]]), tensor([[3, 4]]));
  assert.deepEqual(y.shape, [1, 2]);
});
