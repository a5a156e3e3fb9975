/**
 * Shared by the training tests: temporary folders, model documents written to disk, and reading back
 * safetensors files. Documents are built here in one place so the tests follow the document format.
 */
import { promises as fsp, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { decodeTensors } from '../../engine/train/codec';
import type { Tensor } from '../../engine/tensor';

const made: string[] = [];
// Removed when the test file's process ends, whether its tests passed or not.
process.on('exit', () => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

export async function tempDir(prefix: string): Promise<string> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), `nnb-${prefix}-`));
  made.push(dir);
  return dir;
}

export type LayerSpec = [op: string, args?: Record<string, number | boolean | string>];

/** A Sequential model document ("nnblocks.model/1") with a training section. */
export function sequentialDoc(name: string, inputShape: number[], layers: LayerSpec[], training: Record<string, unknown>): Record<string, unknown> {
  return {
    format: 'nnblocks.model/1',
    name,
    input: { shape: inputShape },
    model: {
      id: 'net',
      op: 'Sequential',
      children: layers.map(([op, args], i) => ({ id: `n${i}`, op, ...(args === undefined ? {} : { args }) })),
    },
    training,
  };
}

export async function writeDoc(dir: string, fileName: string, doc: unknown): Promise<string> {
  const file = path.join(dir, fileName);
  await fsp.writeFile(file, JSON.stringify(doc, null, 2));
  return file;
}

export async function readTensors(file: string): Promise<{ tensors: Record<string, Tensor>; metadata: Record<string, string> }> {
  return decodeTensors(new Uint8Array(await fsp.readFile(file)));
}

/** Collects what a CLI run prints. */
export function captureIO() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), tty: false }, out, err };
}

export const spiralLayers: LayerSpec[] = [['Linear', { inFeatures: 2, outFeatures: 4 }], ['Tanh'], ['Linear', { inFeatures: 4, outFeatures: 1 }]];

/** The shipped spiral example: the tutorial's classifier with its training section. */
export const SPIRAL_EXAMPLE = path.join(__dirname, '..', '..', 'examples', 'flower.nnb.json');

/** The shipped 28x28 MLP example; its training section reads data/mnist_like.csv beside it. */
export const MLP_EXAMPLE = path.join(__dirname, '..', '..', 'examples', 'mlp_28x28.nnb.json');

/**
 * Writes `<name>.nnb.json` in `dir`: the tutorial's spiral classifier (2-4-1 Tanh), by default trained on
 * the built-in spiral with BCEWithLogitsLoss and SGD lr 1 (full batch); `training` adds to or replaces
 * those (epochs, intervals, another data source or learning rate).
 */
export function writeSpiralNetDoc(dir: string, name: string, training: Record<string, unknown>): Promise<string> {
  return writeDoc(
    dir,
    `${name}.nnb.json`,
    sequentialDoc(name, [2], spiralLayers, {
      data: { kind: 'builtin', name: 'spiral' },
      loss: 'BCEWithLogitsLoss',
      optimizer: { type: 'SGD', lr: 1 },
      ...training,
    }),
  );
}
