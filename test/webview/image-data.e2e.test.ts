/**
 * Image data in the training panel, in headless Chromium with the extension's own training host
 * (trainingBridge.ts): an IDX set written here previews as a grid of its images with their labels and
 * the images per class; transforms are added and edited through the document (normalize's mean and std
 * computed by the host from the training images); a short run ends with the test set's confusion matrix
 * with class names, per-class accuracy and the worst misclassified images; and an image file, picked or
 * dropped, is classified by the engine and onnxruntime side by side.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { computeNormalization, encodeIdx, parseIdx, readIdxDataset } from '../../engine/data';
import { waitFor } from '../helpers/poll';
import { CLASSES, SIZE, writeIdxSet } from '../train/idx_bars';
import { cspViolations, hostText, openEditor } from './hostPage';
import { attachTrainingBridge } from './trainingBridge';
import { SHOTS, useTrainingPage } from './trainingPage';

const t = useTrainingPage('image-data', { width: 1400, height: 1100 });

const section = async () => JSON.parse(await hostText(t.page)).training as { data: { transforms?: Record<string, unknown>[] } };
const problems = async () => (await t.page.getByTestId('training-problems').allInnerTexts()).join('\n');

/** Image k of an 8x8 gray set as PNG bytes (gray written as RGB). */
function png(pixels: Uint8Array, k: number): Buffer {
  const img = new PNG({ width: SIZE, height: SIZE });
  for (let p = 0; p < SIZE * SIZE; p++) {
    const v = pixels[k * SIZE * SIZE + p];
    img.data.set([v, v, v, 255], 4 * p);
  }
  return PNG.sync.write(img);
}

test('image data: sample grid and class counts, transforms with computed normalization, confusion matrix and worst images after a run, predict on an image', async () => {
  const { page, work, pageErrors } = t;
  const train = await writeIdxSet(work, 'train', 120, 1);
  const testSet = await writeIdxSet(work, 'test', 90, 2);
  // Five test images labelled as the next class: a model that learned the bars gets them wrong, and they are the worst.
  const mislabeled = [3, 10, 20, 41, 77];
  const testLabels = Uint8Array.from({ length: 90 }, (_, i) => ((i % 3) + (mislabeled.includes(i) ? 1 : 0)) % 3);
  writeFileSync(join(work, testSet.labels), encodeIdx([90], testLabels));
  const doc = {
    format: 'nnblocks.model/1',
    name: 'bars',
    input: { shape: [1, SIZE, SIZE] },
    model: {
      id: 'net',
      op: 'Sequential',
      children: [
        { id: 'flat', op: 'Flatten' },
        { id: 'fc', op: 'Linear', args: { inFeatures: SIZE * SIZE, outFeatures: 3 } },
      ],
    },
    training: {
      data: { kind: 'idx', ...train, test: testSet, classNames: CLASSES },
      loss: 'CrossEntropyLoss',
      optimizer: { type: 'Adam', lr: 0.01 },
      epochs: 3,
      batchSize: 30,
      seed: 1,
    },
  };
  const modelPath = join(work, 'bars.nnb.json');
  const text = `${JSON.stringify(doc, null, 2)}\n`;
  writeFileSync(modelPath, text);
  const bridge = (t.bridge = await attachTrainingBridge(page, modelPath));
  await openEditor(page, text, 'dark', 'bars.nnb.json');
  await page.getByTestId('tab-training').click();

  // The grid: 6 images of each of the 3 classes, labelled, drawn from the files' own pixels; 40 images per class.
  await page.getByTestId('sample-grid').waitFor({ timeout: 15000 });
  const samples = page.locator('[data-testid=sample]');
  assert.equal(await samples.count(), 18);
  assert.deepEqual(
    await page.locator('[data-testid=sample] figcaption').allInnerTexts(),
    CLASSES.flatMap((c) => Array(6).fill(c)),
  );
  assert.deepEqual(await page.locator('[data-testid=class-counts] td:nth-child(2)').allInnerTexts(), ['40', '40', '40']);
  assert.match(await page.getByTestId('image-preview').innerText(), /120 training images, 90 test images/);
  const trainPixels = parseIdx(gunzipSync(readFileSync(join(work, train.images))), train.images).data;
  // Samples are the first images of each class in file order: class 1's first is image 1.
  const drawn = await samples
    .nth(6)
    .locator('canvas')
    .evaluate((c: HTMLCanvasElement) =>
      Array.from(
        c
          .getContext('2d')!
          .getImageData(0, 0, c.width, c.height)
          .data.filter((_, i) => i % 4 === 0),
      ),
    );
  assert.deepEqual(drawn, Array.from(trainPixels.subarray(SIZE * SIZE, 2 * SIZE * SIZE)), 'the canvas shows training image 1');

  // Transforms: the default (scale) is shown; adding normalize writes the list, Compute fills in the training images' statistics.
  assert.equal(await page.getByTestId('transform-0').getAttribute('data-kind'), 'scale');
  await page.getByTestId('transform-add').selectOption('normalize');
  await waitFor('scale, normalize in the document', async () => (await section()).data.transforms?.map((x) => x.kind).join() === 'scale,normalize');
  await page.getByTestId('normalize-compute-1').click();
  const expected = computeNormalization(await readIdxDataset({ images: join(work, train.images), labels: join(work, train.labels) }), [
    { kind: 'scale' },
  ]);
  const round = (v: number) => Math.round(v * 1e4) / 1e4;
  await waitFor(
    'the computed mean and std',
    async () => {
      const n = (await section()).data.transforms?.[1];
      return (
        n !== undefined && n.mean?.toString() === [round(expected.mean[0])].toString() && n.std?.toString() === [round(expected.std[0])].toString()
      );
    },
    { explain: async () => JSON.stringify((await section()).data.transforms) },
  );
  assert.equal(await page.getByTestId('normalize-mean-1').inputValue(), String(round(expected.mean[0])));

  // A random crop, its padding held to the grammar's limit (a whole number, at least 1), then moved before normalize.
  await page.getByTestId('transform-add').selectOption('randomCrop');
  await waitFor('the crop', async () => (await section()).data.transforms?.[2]?.padding === 2);
  await page.getByTestId('crop-padding-2').fill('0');
  await page.locator('[data-testid=crop-padding-2][aria-invalid=true]').waitFor();
  assert.match(await page.getByTestId('transform-2').innerText(), /at least 1/);
  await page.getByTestId('crop-padding-2').fill('1');
  await waitFor('padding 1', async () => (await section()).data.transforms?.[2]?.padding === 1);
  await page.getByTestId('transform-2').getByTitle('Earlier').click();
  await waitFor('scale, crop, normalize', async () => (await section()).data.transforms?.map((x) => x.kind).join() === 'scale,randomCrop,normalize');
  await waitFor('no problems', async () => (await problems()) === '', { explain: problems });
  await page.screenshot({ path: join(SHOTS, 'image-data-form.png'), fullPage: true });

  // Train: the run ends with the test set's evaluation.
  await page.getByTestId('train-button').click();
  await waitFor('the run to finish', async () => bridge.results.length === 1, { timeoutMs: 60000 });
  assert.equal(bridge.results[0].status, 'completed', bridge.results[0].message);
  const matrix = page.getByTestId('confusion-matrix');
  await matrix.waitFor({ timeout: 30000 });
  assert.equal(await page.getByTestId('training-evaluation').getAttribute('data-split'), 'test');
  assert.deepEqual(await matrix.locator('thead th').allInnerTexts(), ['true \\ predicted', ...CLASSES, 'accuracy']);
  const rows = await matrix
    .locator('tbody tr')
    .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
  const counts = rows.map((r) => r.slice(0, 3).map(Number));
  counts.forEach((r, i) => {
    const n = testLabels.filter((l) => l === i).length;
    assert.equal(
      r.reduce((a, b) => a + b, 0),
      n,
      `class ${CLASSES[i]} has ${n} test images`,
    );
    assert.equal(rows[i][3], `${((100 * r[i]) / n).toFixed(1)}%`, `class ${CLASSES[i]}'s accuracy`);
  });
  const wrong = 90 - counts.reduce((a, r, i) => a + r[i], 0);
  assert.ok(wrong >= mislabeled.length, `the mislabeled test images are counted wrong (${wrong} wrong)`);
  const worst = page.locator('[data-testid=worst]');
  assert.equal(await worst.count(), Math.min(16, wrong));
  const worstIndices = await worst.evaluateAll((fs) => fs.map((f) => Number(f.getAttribute('data-index'))));
  for (const i of mislabeled) assert.ok(worstIndices.includes(i), `mislabeled test image ${i} is among the worst (${worstIndices})`);
  for (const w of await worst.all()) {
    const [truth, predicted] = [Number(await w.getAttribute('data-truth')), Number(await w.getAttribute('data-predicted'))];
    assert.notEqual(truth, predicted);
    assert.equal(truth, testLabels[Number(await w.getAttribute('data-index'))], "the true class is the file's label");
    assert.ok(counts[truth][predicted] > 0, `a ${CLASSES[truth]} image taken for ${CLASSES[predicted]} is counted in the matrix`);
    assert.match(await w.innerText(), new RegExp(`true ${CLASSES[truth]}[\\s\\S]*→ ${CLASSES[predicted]} \\d+\\.\\d%`));
  }

  // Predict on an image file: picked, then dropped; engine and onnxruntime agree.
  const testPixels = parseIdx(gunzipSync(readFileSync(join(work, testSet.images))), testSet.images).data;
  const picked = join(work, 'middle.png');
  writeFileSync(picked, png(testPixels, 1));
  const runStamp = bridge.results[0].runDir.split('/').pop()!;
  await page.getByTestId(`run-${runStamp}`).getByRole('radio').check();
  await page.getByTestId('predict-image-file').setInputFiles(picked);
  const prediction = page.getByTestId('image-prediction');
  await prediction.waitFor({ timeout: 20000 });
  const probabilities = async () =>
    prediction
      .locator('tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [tr.querySelector('th')?.textContent ?? '', ...[...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')]),
      );
  const checkProbabilities = async (name: string) => {
    assert.match(await prediction.innerText(), new RegExp(name));
    const table = await probabilities();
    assert.deepEqual(
      table.map((r) => r[0]),
      CLASSES,
    );
    const engine = table.map((r) => parseFloat(r[1]));
    const ort = table.map((r) => parseFloat(r[2]));
    assert.ok(Math.abs(engine.reduce((a, b) => a + b, 0) - 100) < 0.05, `engine probabilities ${engine} add to 100%`);
    engine.forEach((p, i) => assert.ok(Math.abs(p - ort[i]) <= 0.01, `${CLASSES[i]}: engine ${p}%, onnxruntime ${ort[i]}%`));
    assert.equal(Number(await prediction.getAttribute('data-predicted')), engine.indexOf(Math.max(...engine)));
  };
  await checkProbabilities('middle.png');
  const shown = await page.getByTestId('predicted-image').evaluate((c: HTMLCanvasElement) =>
    Array.from(
      c
        .getContext('2d')!
        .getImageData(0, 0, c.width, c.height)
        .data.filter((_, i) => i % 4 === 0),
    ),
  );
  assert.deepEqual(shown, Array.from(testPixels.subarray(SIZE * SIZE, 2 * SIZE * SIZE)), 'the image as the model saw it');

  const dropped = png(testPixels, 2).toString('base64');
  await page.getByTestId('predict-image-drop').evaluate((el, b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const dt = new DataTransfer();
    dt.items.add(new File([bytes], 'bottom.png', { type: 'image/png' }));
    el.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, dropped);
  await waitFor('the dropped image', async () => /bottom\.png/.test(await prediction.innerText()));
  await checkProbabilities('bottom.png');
  assert.ok(bridge.received.some((m) => m.type === 'training/predictImage' && m.name === 'bottom.png'));
  await page.screenshot({ path: join(SHOTS, 'image-data-after.png'), fullPage: true });

  assert.deepEqual(await cspViolations(page), []);
  assert.deepEqual(pageErrors, []);
});
