/**
 * The shipped Fashion-MNIST CNN example, trained briefly: one epoch on the first 2,000 training images
 * (written here as IDX files from the Debian package's set), with the example's own model, transforms
 * and optimizer. Accuracy must clearly rise, and the 1,000 test images must be mostly right. The full
 * check (all 60,000 images, >= 0.91 test accuracy) is scripts/fashion-accuracy.mjs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { encodeIdx, fashionMnistFiles, readIdxDataset, FASHION_MNIST_DIR, FASHION_MNIST_PACKAGE } from '../../engine/data';
import type { ByteImageDataset } from '../../engine/data';
import { startRun } from '../../engine/train/host';
import type { MetricsRecord } from '../../engine/train/protocol';
import { tempDir, writeDoc } from './helpers';

const EXAMPLE = path.join(__dirname, '..', '..', 'examples', 'fashion_cnn.nnb.json');
const present = existsSync(path.join(FASHION_MNIST_DIR, 't10k-labels-idx1-ubyte.gz'));

async function writeHead(ds: ByteImageDataset, n: number, dir: string, name: string): Promise<{ images: string; labels: string }> {
  const head = ds.take(Int32Array.from({ length: n }, (_, i) => i));
  await fsp.writeFile(path.join(dir, `${name}-images`), encodeIdx([n, 28, 28], head.images));
  await fsp.writeFile(path.join(dir, `${name}-labels`), encodeIdx([n], Uint8Array.from(head.labels)));
  return { images: `${name}-images`, labels: `${name}-labels` };
}

test(
  'the Fashion-MNIST CNN example learns on 2,000 images in one epoch',
  { skip: present ? false : `Fashion-MNIST is not installed (apt-get install ${FASHION_MNIST_PACKAGE})` },
  async () => {
    const dir = await tempDir('fashion-short');
    const files = fashionMnistFiles();
    const train = await writeHead(await readIdxDataset(files.train), 2000, dir, 'train');
    const testSet = await writeHead(await readIdxDataset(files.test), 1000, dir, 'test');
    const example = JSON.parse(await fsp.readFile(EXAMPLE, 'utf8'));
    assert.equal(example.training.data.kind, 'fashionMnist');
    const doc = {
      ...example,
      training: {
        ...example.training,
        data: { kind: 'idx', ...train, test: testSet, classNames: files.train.classNames, transforms: example.training.data.transforms },
        epochs: 1,
        logEvery: 4,
      },
    };
    const file = await writeDoc(dir, 'fashion_short.nnb.json', doc);
    const run = await startRun({ documentPath: file, outDir: path.join(dir, 'runs'), mode: 'inline' });
    const records: MetricsRecord[] = [];
    run.on('metrics', (r) => records.push(r));
    const result = await run.result;
    assert.equal(result.status, 'completed', result.message);
    const acc = records.map((r) => r.accuracy!);
    assert.ok(acc.length >= 5, `${acc.length} records`);
    // Running accuracy of the first 4 batches against the last 4: from near chance to well above it.
    assert.ok(acc[0] < 0.5 && acc[acc.length - 1] > acc[0] + 0.2, `training accuracy went ${acc.map((a) => a.toFixed(2)).join(' ')}`);
    assert.ok(result.final?.testAccuracy !== undefined && result.final.testAccuracy > 0.65, `test accuracy ${result.final?.testAccuracy}`);
  },
);
