/**
 * The templates of "NN Blocks: New Model...": a blank Graph and the shipped examples (bundled into the
 * extension by esbuild, so they are there without the repository).
 */
import type { ModelDocument } from '../engine/graph';
import flower from '../examples/flower.nnb.json';
import mlp from '../examples/mlp_28x28.nnb.json';
import nested from '../examples/nested_blocks.nnb.json';
import shared from '../examples/shared_weights.nnb.json';
import twoBranch from '../examples/two_branch.nnb.json';

export interface Template {
  id: string;
  label: string;
  detail: string;
  document: unknown;
}

const blank = {
  format: 'nnblocks.model/1',
  name: 'model',
  input: { shape: [2] },
  model: { id: 'net', op: 'Sequential', children: [] },
} satisfies Partial<ModelDocument> & { model: unknown };

export const TEMPLATES: Template[] = [
  { id: 'blank', label: 'Blank', detail: 'An empty Sequential with a 2-feature input', document: blank },
  {
    id: 'flower',
    label: 'Flower classifier',
    detail: "the spiral tutorial's 2-4-1 Tanh net with BCEWithLogitsLoss training on the eight-petal flower",
    document: flower,
  },
  { id: 'mlp', label: '28x28 MLP', detail: 'Flatten, 784-512-512-10 with ReLU', document: mlp },
  { id: 'nested', label: 'Nested blocks', detail: 'block2(): four block1() instances and a Linear head', document: nested },
  { id: 'shared', label: 'Shared weights', detail: 'One Linear(8, 8) used twice', document: shared },
  { id: 'twoBranch', label: 'Two-branch Module', detail: 'x1 = layer1(x); x2 = layer2(x); return x1 + x2', document: twoBranch },
];
