// The image data specs: their schemas (strict, and usable inside a discriminated union as the document's
// DataSpecSchema uses them), and loadImageData on IDX files with a test set, relative paths and shape checks.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { z } from 'zod';
import { IMAGE_DATA_SPEC_SCHEMAS, ImageDataSpecSchema, IdxSpecSchema, encodeIdx, isImageDataSpec, loadImageData } from '../../engine/data';

test('the specs are strict JSON schemas that join a discriminated union on kind', () => {
  const DataSpec = z.discriminatedUnion('kind', [z.object({ kind: z.literal('csv'), path: z.string() }).strict(), ...IMAGE_DATA_SPEC_SCHEMAS]);
  const idx = {
    kind: 'idx',
    images: 'a.gz',
    labels: 'b.gz',
    test: { images: 'c.gz', labels: 'd.gz' },
    transforms: [{ kind: 'scale' }, { kind: 'randomCrop', padding: 2 }],
  };
  assert.deepEqual(DataSpec.parse(idx), idx);
  assert.deepEqual(DataSpec.parse({ kind: 'fashionMnist' }), { kind: 'fashionMnist' });
  assert.deepEqual(DataSpec.parse({ kind: 'imageFolder', path: 'data', size: [32, 32], resize: true }), {
    kind: 'imageFolder',
    path: 'data',
    size: [32, 32],
    resize: true,
  });
  assert.equal(DataSpec.parse({ kind: 'csv', path: 'x.csv' }).kind, 'csv');
  // A typo, a half test set and a bad transform are refused, each at its path.
  const paths = (value: unknown) => {
    const r = DataSpec.safeParse(value);
    assert.equal(r.success, false);
    return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
  };
  assert.deepEqual(paths({ kind: 'idx', images: 'a', labels: 'b', testImages: 'c' }), ['']);
  assert.deepEqual(paths({ kind: 'idx', images: 'a', labels: 'b', test: { images: 'c' } }), ['test.labels']);
  assert.deepEqual(paths({ kind: 'imageFolder', path: 'd', transforms: [{ kind: 'normalize', mean: [], std: [1] }] }), ['transforms.0.mean']);
  assert.deepEqual(paths({ kind: 'imageFolder', path: 'd', size: [0, 28] }), ['size.0']);
  assert.equal(isImageDataSpec({ kind: 'fashionMnist' }), true);
  assert.equal(isImageDataSpec({ kind: 'csv' }), false);
  assert.equal(ImageDataSpecSchema.safeParse({ kind: 'csv', path: 'x' }).success, false);
});

test('loadImageData reads IDX train and test files relative to the model folder, with class names and progress over both', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nnb-idx-spec-'));
  const write = (name: string, dims: number[], data: Uint8Array) => writeFileSync(join(dir, name), gzipSync(encodeIdx(dims, data)));
  write(
    'train-images.gz',
    [6, 2, 2],
    Uint8Array.from({ length: 24 }, (_, i) => i * 10),
  );
  write('train-labels.gz', [6], Uint8Array.from([0, 1, 2, 0, 1, 2]));
  write(
    'test-images.gz',
    [2, 2, 2],
    Uint8Array.from({ length: 8 }, (_, i) => 255 - i),
  );
  write('test-labels.gz', [2], Uint8Array.from([2, 2]));
  write('wide-images.gz', [2, 2, 3], new Uint8Array(12));
  const spec = IdxSpecSchema.parse({
    kind: 'idx',
    images: 'train-images.gz',
    labels: 'train-labels.gz',
    test: { images: 'test-images.gz', labels: 'test-labels.gz' },
    classNames: ['cat', 'dog', 'fox'],
  });
  const progress: [number, number][] = [];
  const data = await loadImageData(spec, dir, [4], { onProgress: (b, t) => progress.push([b, t]) });
  assert.deepEqual(data.train.classNames, ['cat', 'dog', 'fox']);
  assert.deepEqual(data.test?.classNames, ['cat', 'dog', 'fox']);
  assert.deepEqual([...(data.test?.images ?? [])], [255, 254, 253, 252, 251, 250, 249, 248]);
  assert.deepEqual(data.transforms, [{ kind: 'scale' }]);
  assert.equal(data.describe, `IDX ${join(dir, 'train-images.gz')}`);
  for (let k = 1; k < progress.length; k++) assert.ok(progress[k][0] > progress[k - 1][0], 'progress grows over the four files');
  assert.equal(progress.at(-1)![0], progress.at(-1)![1]);

  await assert.rejects(loadImageData({ ...spec, classNames: undefined }, dir, [3, 2, 2]), {
    message: "the images are [1, 2, 2] (4 values) but the model's input is [3, 2, 2] (12 values): change the input shape to [1, 2, 2] or [4]",
  });
  await assert.rejects(loadImageData({ ...spec, test: { images: 'wide-images.gz', labels: 'test-labels.gz' } }, dir, [4]), {
    message: `the test images ${join(dir, 'wide-images.gz')} are 2x3 but the training images ${join(dir, 'train-images.gz')} are 2x2`,
  });
  await assert.rejects(loadImageData({ ...spec, transforms: [{ kind: 'normalize', mean: [0, 0, 0], std: [1] }] }, dir, [4]), {
    message: 'transform 1 (normalize): mean has 3 values but the images have 1 channel(s): give one value',
  });
});
