/**
 * NN Blocks inside a real VS Code (code-server, see codeServer.ts), driven from headless Chromium as a user
 * would: open the spiral example, see the graph in the custom editor, train it, add a layer, undo and redo
 * with the focus in the canvas, save and find the change on disk, change the file on disk and see the
 * canvas follow, generate TypeScript, PyTorch (the CLI's code) and ONNX next to the model, and export a
 * fresh run's weights to ONNX. Checks that need the `vscode` API
 * read the extension's in-host test report. Screenshots go to test-results/vscode/.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import type { Frame } from 'playwright-core';
import { runOnnx } from '../../engine/graph/onnx/run';
import { loadSafetensors } from '../../engine/io';
import { waitFor } from '../helpers/poll';
import { saveFailures, startStudio, type Studio } from './codeServer';

const SHOTS = join(__dirname, '../../test-results/vscode');
const REPO = join(__dirname, '../..');
let studio: Studio;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  studio = await startStudio({ settings: { 'nnblocks.generatedCode': 'file' } });
});
saveFailures('extension', () => studio);
after(async () => studio?.close());

/**
 * Each test that edits, trains or writes next to a model works on its own copy of the spiral example, under
 * its own model name (so its run folder is its own too), and opens it itself: no test depends on another.
 */
function openCopy(stem: string): { file: string; path: string } {
  const file = `${stem}.nnb.json`;
  const doc = JSON.parse(readFileSync(join(studio.workspace, 'flower.nnb.json'), 'utf8'));
  doc.name = stem;
  writeFileSync(join(studio.workspace, file), `${JSON.stringify(doc, null, 2)}\n`);
  return { file, path: join(studio.workspace, file) };
}
async function openGraph(file: string): Promise<Frame> {
  await studio.open(file);
  await waitFor(`the host to report ${file} as the active model`, () => studio.report()?.activeModel === file, { timeoutMs: 30000 });
  // Another model may be open beside it (Generate TypeScript opens its code in a second group): the page
  // names its document.
  return studio.webview(`body[data-document="${file}"] [data-testid=node-fc1]`);
}
const docState = (file: string) => studio.report()?.documents.find((d) => d.file === file);
const childOps = (path: string) => (JSON.parse(readFileSync(path, 'utf8')).model.children as { op: string }[]).map((c) => c.op);
const nodeCount = (frame: Frame) => frame.locator('.react-flow__node[data-id]').count();

test('the spiral example opens in the graph editor with shapes, and the extension is active', async () => {
  await studio.open('flower.nnb.json');
  const frame = await studio.webview('[data-testid=node-fc1]');
  assert.match(await frame.locator('[data-testid=node-fc1]').innerText(), /Linear[\s\S]*2 → 4[\s\S]*12 params/);
  const labels = await frame.locator('.nnb-edge-label').allInnerTexts();
  assert.ok(labels.includes('[N, 2]') && labels.includes('[N, 4]') && labels.includes('[N, 1]'), labels.join(' | '));
  const report = await waitFor(
    'the host report to name the model',
    () => (studio.report()?.activeModel === 'flower.nnb.json' ? studio.report() : undefined),
    { timeoutMs: 30000 },
  );
  for (const c of ['nnblocks.train', 'nnblocks.generateTypeScript', 'nnblocks.exportOnnx', 'nnblocks.checkModel', 'nnblocks.newModel'])
    assert.ok(report!.commands.includes(c), c);
  assert.equal(report!.trusted, true, 'the workspace is trusted (code-server runs with --disable-workspace-trust), so Train is enabled');
  await studio.page.screenshot({ path: join(SHOTS, 'spiral-open.png') });
});

test('NN Blocks: Train trains the spiral example to a run folder with model.safetensors, and Export ONNX then uses its weights', async () => {
  const { file } = openCopy('train_command');
  await openGraph(file);
  await studio.command('NN Blocks: Train');
  const runs = join(studio.workspace, 'runs', 'train_command');
  const model = await waitFor(
    'runs/flower/<stamp>/model.safetensors',
    () => {
      if (!existsSync(runs)) return undefined;
      for (const stamp of readdirSync(runs)) {
        const f = join(runs, stamp, 'model.safetensors');
        if (existsSync(f) && existsSync(join(runs, stamp, 'result.json'))) return join(runs, stamp);
      }
      return undefined;
    },
    { timeoutMs: 120000 },
  );
  const result = JSON.parse(readFileSync(join(model, 'result.json'), 'utf8'));
  assert.equal(result.status, 'completed', result.message);
  assert.ok(result.final.accuracy >= 0.85, `training accuracy ${result.final.accuracy}`);
  const weights = loadSafetensors(join(model, 'model.safetensors')).tensors;
  assert.deepEqual(Object.keys(weights).sort(), ['0.bias', '0.weight', '2.bias', '2.weight']);
  assert.ok(existsSync(join(model, 'plots', 'decision_boundary.png')));
  await studio.page.screenshot({ path: join(SHOTS, 'spiral-trained.png') });

  // Export ONNX right after training exports the run's weights, not fresh ones, and says which run.
  await studio.command('NN Blocks: Export ONNX');
  const stamp = basename(model);
  await studio.page
    .locator('.notification-list-item-message', { hasText: `the weights of the latest run, ${stamp}` })
    .first()
    .waitFor({ timeout: 30000 });
  const onnx = join(studio.workspace, 'train_command.onnx');
  const x = [0.5, -1, 2, 0.25];
  const out = Object.values((await runOnnx(onnx, { input: { data: new Float32Array(x), shape: [2, 2] } })).outputs)[0];
  // Linear(2, 4), Tanh, Linear(4, 1) by hand from the run's model.safetensors.
  const w = (k: string) => Array.from(weights[k].data);
  for (let n = 0; n < 2; n++) {
    const hidden = [0, 1, 2, 3].map((j) => Math.tanh(w('0.bias')[j] + w('0.weight')[j * 2] * x[n * 2] + w('0.weight')[j * 2 + 1] * x[n * 2 + 1]));
    const expected = w('2.bias')[0] + hidden.reduce((sum, h, j) => sum + h * w('2.weight')[j], 0);
    assert.ok(Math.abs(out.data[n] - expected) < 1e-4, `row ${n}: onnx ${out.data[n]}, the run's weights give ${expected}`);
  }
});

test('add a layer, undo and redo with the focus in the canvas, save, and find the change on disk', async () => {
  const { file, path } = openCopy('undo_redo');
  const frame = await openGraph(file);
  const before = await nodeCount(frame);
  await frame.locator('[data-testid=node-tanh1]').click();
  await frame.locator('[data-testid=palette-ReLU]').dblclick();
  await waitFor('a ReLU node on the canvas', async () => ((await nodeCount(frame)) === before + 1 ? true : undefined), { timeoutMs: 30000 });
  await waitFor('the document to be dirty', () => docState(file)?.dirty, { timeoutMs: 30000 });
  assert.deepEqual(childOps(path), ['Linear', 'Tanh', 'Linear'], 'nothing is written before save');

  // Undo and redo go to VS Code's undo stack for the document, with the keyboard focus in the webview.
  await frame.locator('.react-flow__pane').click({ position: { x: 30, y: 30 } });
  await studio.page.keyboard.press('Control+z');
  await waitFor('undo to remove the ReLU', async () => ((await nodeCount(frame)) === before ? true : undefined), { timeoutMs: 30000 });
  await waitFor('the document to be clean again', () => docState(file)?.dirty === false, { timeoutMs: 30000 });
  await studio.page.keyboard.press('Control+Shift+z');
  await waitFor('redo to bring the ReLU back', async () => ((await nodeCount(frame)) === before + 1 ? true : undefined), { timeoutMs: 30000 });

  await studio.page.keyboard.press('Control+s');
  await waitFor('the file on disk to hold the ReLU', () => (childOps(path).join() === 'Linear,Tanh,ReLU,Linear' ? true : undefined), {
    timeoutMs: 30000,
  });
  await waitFor('the document to be saved', () => docState(file)?.dirty === false, { timeoutMs: 30000 });
  await studio.page.screenshot({ path: join(SHOTS, 'spiral-edited.png') });
});

test('a change to the file on disk redraws the canvas and reaches the Problems panel', async () => {
  const { file, path } = openCopy('disk_change');
  const frame = await openGraph(file);
  const doc = JSON.parse(readFileSync(path, 'utf8'));
  doc.model.children[0].args.outFeatures = 3; // fc1 now gives 3 features to a Linear that expects 4
  writeFileSync(path, `${JSON.stringify(doc, null, 2)}\n`);
  await waitFor(
    'the canvas to show fc1 as 2 → 3',
    async () => (/2 → 3/.test(await frame.locator('[data-testid=node-fc1]').innerText()) ? true : undefined),
    { timeoutMs: 30000 },
  );
  const diag = await waitFor(`a diagnostic for ${file}`, () => studio.report()?.diagnostics.find((d) => d.file === file && d.messages.length > 0), {
    timeoutMs: 30000,
  });
  assert.match(diag.messages.map((m) => m.message).join('\n'), /expects 4 input features but receives 3/);
  assert.match(await frame.getByTestId('problems').innerText(), /expects 4 input features but receives 3/);
  await studio.page.screenshot({ path: join(SHOTS, 'spiral-error.png') });
  doc.model.children[0].args.outFeatures = 4;
  writeFileSync(path, `${JSON.stringify(doc, null, 2)}\n`);
  await waitFor('the problem to clear', async () => (/No problems/.test(await frame.getByTestId('problems').innerText()) ? true : undefined), {
    timeoutMs: 30000,
  });
});

test("Generate TypeScript, Generate PyTorch (the CLI's file) and Export ONNX write their outputs next to the model", async () => {
  const { file } = openCopy('generated');
  const frame = await openGraph(file);
  await frame.locator('[data-testid=node-fc1]').click();
  await studio.command('NN Blocks: Generate TypeScript');
  const ts = join(studio.workspace, 'generated.ts');
  // VS Code writes the file in place, so it can be seen half-written: wait for the whole expression.
  const expected = /new nn\.Sequential\(new nn\.Linear\(2, 4\), new nn\.Tanh\(\), new nn\.Linear\(4, 1\)\)/;
  await waitFor('generated.ts with the model', () => (existsSync(ts) && expected.test(readFileSync(ts, 'utf8')) ? true : undefined), {
    timeoutMs: 30000,
  }).catch((e: Error) => {
    throw new Error(`${e.message}; generated.ts holds:\n${existsSync(ts) ? readFileSync(ts, 'utf8') : '(no file)'}`);
  });

  // The code opens beside the model; let that finish before the next command opens the palette.
  await studio.page.locator('.tab', { hasText: 'generated.ts' }).first().waitFor({ timeout: 15000 });

  // Generate PyTorch writes what `nnb codegen --lang py` writes beside the model: the training script too.
  await studio.command('NN Blocks: Generate PyTorch');
  const cli = spawnSync(
    process.execPath,
    [
      join(REPO, 'bin', 'nnb.js'),
      'codegen',
      join(studio.workspace, 'generated.nnb.json'),
      '--lang',
      'py',
      '-o',
      join(studio.workspace, 'generated_cli.py'),
    ],
    { encoding: 'utf8' },
  );
  assert.equal(cli.status, 0, cli.stderr);
  const fromCli = readFileSync(join(studio.workspace, 'generated_cli.py'), 'utf8');
  assert.match(fromCli, /if __name__ == '__main__':/);
  const py = join(studio.workspace, 'generated.py');
  await waitFor("generated.py to be the CLI's code", () => (existsSync(py) && readFileSync(py, 'utf8') === fromCli ? true : undefined), {
    timeoutMs: 30000,
  }).catch((e: Error) => {
    throw new Error(`${e.message}; generated.py holds:\n${existsSync(py) ? readFileSync(py, 'utf8') : '(no file)'}`);
  });
  await studio.page.locator('.tab', { hasText: 'generated.py' }).first().waitFor({ timeout: 15000 });

  await studio.command('NN Blocks: Export ONNX');
  await studio.page
    .locator('.notification-list-item-message', { hasText: 'generated.onnx' })
    .filter({ hasText: 'freshly initialised weights' })
    .first()
    .waitFor({ timeout: 30000 });
  const onnx = join(studio.workspace, 'generated.onnx');
  await waitFor('generated.onnx', () => existsSync(onnx) && statSync(onnx).size > 0, { timeoutMs: 30000 });
  const out = await runOnnx(onnx, { input: { data: new Float32Array([0.5, -1, 2, 0.25]), shape: [2, 2] } });
  const [first] = Object.values(out.outputs);
  assert.deepEqual(first.shape, [2, 1]);
  await studio.page.screenshot({ path: join(SHOTS, 'generated.png') });
});

test('the Training tab trains through the extension host: live chart, result, and a new run folder', async () => {
  const { file } = openCopy('training_tab');
  const frame = await openGraph(file);
  const runs = join(studio.workspace, 'runs', 'training_tab');
  const before = existsSync(runs) ? readdirSync(runs).length : 0;
  await frame.getByTestId('tab-training').click();
  const train = frame.getByTestId('train-button');
  await train.waitFor({ timeout: 15000 });
  assert.equal(await train.isDisabled(), false, `Train is disabled: ${await train.getAttribute('title')}`);
  await train.click();
  await waitFor(
    'the loss chart to fill',
    async () =>
      Number(
        await frame
          .getByTestId('chart-loss')
          .getAttribute('data-points')
          .catch(() => '0'),
      ) >= 3
        ? true
        : undefined,
    { timeoutMs: 60000 },
  );
  const result = frame.getByTestId('training-result');
  await result.waitFor({ timeout: 120000 });
  assert.equal(await result.getAttribute('data-status'), 'completed');
  assert.match(await result.innerText(), /Trained 10000 steps: loss \d\.\d+, training accuracy \d\.\d+/);
  await frame.getByTestId('boundary-canvas').waitFor();
  assert.equal(readdirSync(runs).length, before + 1, 'one more run folder');
  await studio.page.screenshot({ path: join(SHOTS, 'training-panel.png') });
});
