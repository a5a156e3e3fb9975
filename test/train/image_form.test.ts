// The training form's image-data fields against the grammar: every number field of every transform,
// typed into the rule the form reads from its zod schema (webview/training/zod_rule.ts), is accepted
// exactly when a section holding it parses; the form lists every transform kind the grammar has. And
// the host's image requests (extension/training/images.ts) answer a bad source with what is wrong.
import test from 'node:test';
import assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { TransformSchema } from '../../engine/data/image_specs';
import { parseTrainingSection } from '../../engine/train/config';
import { parseNumber } from '../../webview/training/number_rule';
import { ruleOfZod, TRANSFORM_KINDS, TRANSFORM_SCHEMA } from '../../webview/training/zod_rule';
import { ImageDataHost } from '../../extension/training/images';
import type { HostToPanel } from '../../protocol/training';
import { CLASSES, SIZE, writeIdxSet } from './idx_bars';
import { tempDir, sequentialDoc, writeDoc } from './helpers';

const SWEEP = [-1, -0.5, 0, 0.25, 0.5, 1, 1.5, 2, 3, 27, 1e6];
const section = (transforms: unknown[]) => ({
  data: { kind: 'fashionMnist', transforms },
  loss: 'CrossEntropyLoss',
  optimizer: { type: 'SGD', lr: 0.1 },
  epochs: 1,
});
const accepts = (s: unknown) => {
  try {
    parseTrainingSection(s);
    return true;
  } catch {
    return false;
  }
};

test('every number of every transform: the form refuses exactly what the grammar refuses', () => {
  let checked = 0;
  for (const kind of TRANSFORM_KINDS) {
    const shape = TRANSFORM_SCHEMA.options.find((o) => o.shape.kind.value === kind)!.shape as Record<string, z.ZodTypeAny>;
    for (const [field, schema] of Object.entries(shape)) {
      let inner = schema;
      while (inner instanceof z.ZodOptional) inner = inner.unwrap();
      if (!(inner instanceof z.ZodNumber)) continue;
      const base: Record<string, unknown> = kind === 'randomCrop' ? { kind, padding: 1 } : { kind };
      for (const v of SWEEP) {
        const form = parseNumber(String(v), ruleOfZod(schema)).ok;
        const grammar = accepts(section([{ ...base, [field]: v }]));
        assert.equal(
          form,
          grammar,
          `${kind}.${field} = ${v}: the form ${form ? 'accepts' : 'refuses'} it, the grammar ${grammar ? 'accepts' : 'refuses'} it`,
        );
        checked++;
      }
    }
  }
  assert.ok(checked >= 2 * SWEEP.length, `${checked} values checked (flip p and crop padding at least)`);
});

test('the form offers every transform kind of the grammar, read from the same schema', () => {
  assert.equal(TRANSFORM_SCHEMA, TransformSchema);
  assert.deepEqual(
    TRANSFORM_KINDS,
    TransformSchema.options.map((o) => o.shape.kind.value),
  );
});

test('the host previews an IDX set, and answers a missing file or non-image data with what is wrong', async () => {
  const dir = await tempDir('image-host');
  const train = await writeIdxSet(dir, 'train', 30, 1);
  const training = { data: { kind: 'idx', ...train, classNames: CLASSES }, loss: 'CrossEntropyLoss', optimizer: { type: 'SGD', lr: 0.1 }, epochs: 1 };
  const doc = sequentialDoc('bars', [1, SIZE, SIZE], [['Flatten'], ['Linear', { inFeatures: SIZE * SIZE, outFeatures: 3 }]], training);
  const modelPath = await writeDoc(dir, 'bars.nnb.json', doc);
  const host = new ImageDataHost();
  const ask = async (m: Parameters<ImageDataHost['handle']>[0]) => {
    const posted: HostToPanel[] = [];
    await host.handle(m, { modelPath, document: doc, fashionMnistDir: undefined, post: (x) => posted.push(x), log: () => undefined });
    return posted;
  };

  const ok = await ask({ type: 'training/previewImages', section: training, seq: 1 });
  const preview = ok.find((m) => m.type === 'training/imagePreview');
  assert.ok(preview?.type === 'training/imagePreview' && preview.preview !== null, JSON.stringify(preview));
  assert.deepEqual(preview.preview.classCounts, [10, 10, 10]);
  assert.ok(
    ok.some((m) => m.type === 'training/imageProgress' && m.seq === 1 && m.bytes === m.totalBytes),
    'progress reaches the end',
  );
  const first = preview.preview.samples[0];
  const raw = new Uint8Array(Buffer.from(first.image.pixels, 'base64'));
  assert.deepEqual([first.image.channels, first.image.height, first.image.width, raw.length], [1, SIZE, SIZE, SIZE * SIZE]);

  await fsp.rm(path.join(dir, train.labels));
  const missing = await ask({ type: 'training/previewImages', section: training, seq: 2 });
  const err = missing.find((m) => m.type === 'training/imagePreview');
  assert.ok(err?.type === 'training/imagePreview' && err.preview === null);
  assert.match(err.error ?? '', new RegExp(`cannot read the IDX labels file .*${train.labels}: no such file`));

  const csv = await ask({ type: 'training/computeNormalization', section: { ...training, data: { kind: 'builtin', name: 'spiral' } }, seq: 3 });
  assert.deepEqual(csv, [{ type: 'training/normalizationError', seq: 3, message: 'the data section names builtin data, not images' }]);
});
