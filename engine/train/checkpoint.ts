/**
 * Checkpoint contents: everything a resumed run needs to continue exactly where it left off. Tensors
 * (weights, optimizer moments) go into the safetensors body; numbers (optimizer step counts, param
 * groups, scheduler, generator streams, loop position) go into one JSON metadata entry, because
 * safetensors metadata is a flat string map.
 *
 * Tensor keys: `model.<stateDict key>` (PyTorch names) and `optimizer.<param index>.<buffer name>`.
 */
import type { Tensor } from '../tensor';
import type { OptimizerStateDict } from '../optim';

export const CHECKPOINT_FORMAT = 'nnblocks.checkpoint/1';
export const META_KEY = 'nnblocks.checkpoint';

/** Where the loop stands, and the running sums that the next metrics record needs. */
export interface LoopState {
  /** Optimizer steps completed. */
  step: number;
  /** The epoch in progress (0-based). */
  epoch: number;
  /** Batches of that epoch already done. */
  batchInEpoch: number;
  /** Shuffle generator state at the start of the epoch in progress, so its permutation can be redrawn. */
  shuffleState: number[];
  /** The default generator (dropout, random ops) at this step. */
  generatorState: number[];
  lossSum: number;
  lossCount: number;
  /** Correct predictions (classifiers) or summed squared error (regression) since the last record. */
  metricSum: number;
  metricCount: number;
  /** Training time so far in ms, so elapsed/ETA continue across a resume. */
  elapsedMs: number;
  lastLogStep: number;
  /** The random transforms' generator (image data with flips or crops) at this step. */
  augmentState?: number[];
}

export interface CheckpointMeta {
  format: typeof CHECKPOINT_FORMAT;
  loop: LoopState;
  optimizer: { scalars: Record<string, Record<string, number>>; paramGroups: OptimizerStateDict['paramGroups'] };
  scheduler: { lastEpoch: number; baseLrs: number[] } | null;
}

export interface PackedCheckpoint {
  tensors: Record<string, Tensor>;
  metadata: Record<string, string>;
}

/** NaN (an empty Box-Muller cache) does not survive JSON; it is stored as null and restored here. */
const encodeState = (s: number[]) => s.map((v) => (Number.isNaN(v) ? null : v));
const decodeState = (s: (number | null)[]) => s.map((v) => (v === null ? NaN : v));

export function packCheckpoint(
  modelState: Record<string, Tensor>,
  optimizerState: OptimizerStateDict,
  schedulerState: CheckpointMeta['scheduler'],
  loop: LoopState,
): PackedCheckpoint {
  const tensors: Record<string, Tensor> = {};
  for (const [k, t] of Object.entries(modelState)) tensors[`model.${k}`] = t;
  const scalars: CheckpointMeta['optimizer']['scalars'] = {};
  for (const [index, entry] of Object.entries(optimizerState.state)) {
    for (const [name, v] of Object.entries(entry)) {
      if (typeof v === 'number') (scalars[index] ??= {})[name] = v;
      else tensors[`optimizer.${index}.${name}`] = v;
    }
  }
  const meta = {
    format: CHECKPOINT_FORMAT,
    loop: {
      ...loop,
      shuffleState: encodeState(loop.shuffleState),
      generatorState: encodeState(loop.generatorState),
      ...(loop.augmentState === undefined ? {} : { augmentState: encodeState(loop.augmentState) }),
    },
    optimizer: { scalars, paramGroups: optimizerState.paramGroups },
    scheduler: schedulerState,
  };
  return { tensors, metadata: { [META_KEY]: JSON.stringify(meta) } };
}

export interface UnpackedCheckpoint {
  modelState: Record<string, Tensor>;
  optimizerState: OptimizerStateDict;
  meta: CheckpointMeta;
}

export function unpackCheckpoint(tensors: Record<string, Tensor>, metadata: Record<string, string> | undefined, file: string): UnpackedCheckpoint {
  const text = metadata?.[META_KEY];
  if (text === undefined)
    throw new Error(
      `${file} is not an NN Blocks checkpoint (no '${META_KEY}' metadata); model.safetensors holds weights only and cannot resume a run`,
    );
  const raw = JSON.parse(text) as CheckpointMeta & {
    loop: { shuffleState: (number | null)[]; generatorState: (number | null)[]; augmentState?: (number | null)[] };
  };
  if (raw.format !== CHECKPOINT_FORMAT)
    throw new Error(`${file}: checkpoint format '${raw.format}' is not supported (expected ${CHECKPOINT_FORMAT})`);
  const modelState: Record<string, Tensor> = {};
  const state: OptimizerStateDict['state'] = {};
  for (const [key, t] of Object.entries(tensors)) {
    if (key.startsWith('model.')) modelState[key.slice(6)] = t;
    else if (key.startsWith('optimizer.')) {
      const rest = key.slice(10);
      const dot = rest.indexOf('.');
      (state[Number(rest.slice(0, dot))] ??= {})[rest.slice(dot + 1)] = t;
    }
  }
  for (const [index, entry] of Object.entries(raw.optimizer.scalars)) Object.assign((state[Number(index)] ??= {}), entry);
  const meta: CheckpointMeta = {
    ...raw,
    loop: {
      ...raw.loop,
      shuffleState: decodeState(raw.loop.shuffleState),
      generatorState: decodeState(raw.loop.generatorState),
      ...(raw.loop.augmentState === undefined ? {} : { augmentState: decodeState(raw.loop.augmentState) }),
    },
  };
  return { modelState, optimizerState: { state, paramGroups: raw.optimizer.paramGroups }, meta };
}

/** `checkpoints/step-<n>.safetensors` → n, or null for other names. */
export function checkpointStep(fileName: string): number | null {
  const m = /^step-(\d+)\.safetensors$/.exec(fileName);
  return m === null ? null : Number(m[1]);
}

export const checkpointName = (step: number) => `step-${step}.safetensors`;
