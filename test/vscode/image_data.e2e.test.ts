/**
 * Image data in a real VS Code (code-server, codeServer.ts): its own copy of the Fashion-MNIST CNN
 * example opens in the graph editor, the Training panel previews the images (a grid with labels and the
 * ten class counts) read from the folder the nnblocks.fashionMnistDir setting names, one short run trains,
 * and the run ends with the test set's confusion matrix with class names and the worst misclassified
 * images. The folder holds the first 1,000 training and 300 test images of the Debian package's
 * Fashion-MNIST (written here as gzipped IDX files), so the run takes seconds on two cores.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Frame } from 'playwright-core';
import { encodeIdx, readIdxFile, FASHION_MNIST_CLASSES, FASHION_MNIST_DIR } from '../../engine/data';
import { waitFor } from '../helpers/poll';
import { saveFailures, startStudio, type Studio } from './codeServer';

const SHOTS = join(__dirname, '../../test-results/vscode');
const TRAIN = 1000;
const TEST = 300;
const subset = mkdtempSync(join(tmpdir(), 'nnb-fashion-subset-'));
let studio: Studio;

/** The first `n` images and labels of one Fashion-MNIST pair, as the four files' names expect. */
async function writeSubset(stem: 'train' | 't10k', n: number): Promise<void> {
  const images = await readIdxFile(join(FASHION_MNIST_DIR, `${stem}-images-idx3-ubyte.gz`));
  const labels = await readIdxFile(join(FASHION_MNIST_DIR, `${stem}-labels-idx1-ubyte.gz`));
  const [, h, w] = images.dims;
  writeFileSync(join(subset, `${stem}-images-idx3-ubyte.gz`), gzipSync(encodeIdx([n, h, w], images.data.subarray(0, n * h * w))));
  writeFileSync(join(subset, `${stem}-labels-idx1-ubyte.gz`), gzipSync(encodeIdx([n], labels.data.subarray(0, n))));
}

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  if (!existsSync(join(FASHION_MNIST_DIR, 'train-images-idx3-ubyte.gz')))
    throw new Error(`Fashion-MNIST is not in ${FASHION_MNIST_DIR}: install the Debian package dataset-fashion-mnist (scripts/install-test-deps)`);
  await writeSubset('train', TRAIN);
  await writeSubset('t10k', TEST);
  studio = await startStudio({ settings: { 'nnblocks.fashionMnistDir': subset }, viewport: { width: 1600, height: 1000 } });
});
saveFailures('image_data', () => studio);
after(async () => {
  await studio?.close();
  rmSync(subset, { recursive: true, force: true });
});

test('fashion_cnn: the sample grid and class counts, one short run, then the confusion matrix with class names', async () => {
  // Its own copy, trained for one epoch of the subset with no validation split.
  const file = studio.copyExample('fashion_cnn.nnb.json', 'fashion_cnn_images.nnb.json');
  const full = join(studio.workspace, file);
  const doc = JSON.parse(readFileSync(full, 'utf8'));
  doc.training.epochs = 1;
  delete doc.training.validationSplit;
  writeFileSync(full, `${JSON.stringify(doc, null, 2)}\n`);

  await studio.open(file);
  const frame: Frame = await studio.webview('[data-testid=node-s1_conv]');
  await frame.getByTestId('tab-training').click();

  // The grid and the counts, from the setting's folder.
  await frame.getByTestId('sample-grid').waitFor({ timeout: 60000 });
  assert.deepEqual(await frame.locator('[data-testid=class-counts] th').allInnerTexts(), [...FASHION_MNIST_CLASSES]);
  const counts = (await frame.locator('[data-testid=class-counts] td:nth-child(2)').allInnerTexts()).map(Number);
  assert.equal(
    counts.reduce((a, b) => a + b, 0),
    TRAIN,
  );
  assert.match(
    await frame.getByTestId('image-preview').innerText(),
    new RegExp(`Fashion-MNIST \\(${subset.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\): ${TRAIN} training images, ${TEST} test images`),
  );
  assert.ok((await frame.locator('[data-testid=sample]').count()) >= 10, 'samples of every class');
  await studio.page.screenshot({ path: join(SHOTS, 'fashion-preview.png') });

  // One short run; it ends with the test set's evaluation.
  const train = frame.getByTestId('train-button');
  assert.equal(await train.isDisabled(), false, `Train is disabled: ${await train.getAttribute('title')}`);
  await train.click();
  const result = frame.getByTestId('training-result');
  await result.waitFor({ timeout: 120000 });
  assert.equal(await result.getAttribute('data-status'), 'completed', await result.innerText());
  assert.match(await result.innerText(), /test accuracy 0\.\d{4}/);
  const matrix = frame.getByTestId('confusion-matrix');
  await matrix.waitFor({ timeout: 60000 });
  assert.equal(await frame.getByTestId('training-evaluation').getAttribute('data-split'), 'test');
  assert.deepEqual(await matrix.locator('thead th').allInnerTexts(), ['true \\ predicted', ...FASHION_MNIST_CLASSES, 'accuracy']);
  const cells = await matrix
    .locator('tbody tr')
    .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 10).map((td) => Number(td.textContent))));
  assert.equal(
    cells.flat().reduce((a, b) => a + b, 0),
    TEST,
    'every test image is counted once',
  );
  const right = cells.reduce((a, row, i) => a + row[i], 0);
  assert.ok(right / TEST > 0.3, `one epoch of 1,000 images is well above chance (${right} of ${TEST} right)`);
  await waitFor('the worst misclassified images', async () => (await frame.locator('[data-testid=worst]').count()) === Math.min(16, TEST - right));
  await frame.getByTestId('worst-grid').scrollIntoViewIfNeeded();
  await studio.page.screenshot({ path: join(SHOTS, 'fashion-evaluated.png') });
});
