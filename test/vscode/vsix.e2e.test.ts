/**
 * The packaged extension: `vsce package` (what `npm run package` runs) produces a .vsix that installs into a
 * real VS Code (code-server --install-extension) and works from its own files alone: it holds the bundles,
 * the WASM kernels and onnxruntime-node but no other dependency, opens the spiral example as a graph, and
 * trains it.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '../helpers/poll';
import { ensureBuilt, ROOT, saveFailures, startStudio, type Studio } from './codeServer';

const SHOTS = join(__dirname, '../../test-results/vscode');
const dir = mkdtempSync(join(tmpdir(), 'nnb-vsix-'));
const vsix = join(dir, 'nn-blocks.vsix');
let studio: Studio | undefined;

before(() => {
  mkdirSync(SHOTS, { recursive: true });
  ensureBuilt();
  execFileSync(process.execPath, [join(ROOT, 'node_modules/@vscode/vsce/vsce'), 'package', '--allow-missing-repository', '-o', vsix], {
    cwd: ROOT,
    stdio: 'pipe',
  });
});
saveFailures('vsix', () => studio);
after(async () => {
  await studio?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('the .vsix lists only what the extension needs', () => {
  // A .vsix is a zip; Python (which the test set-up installs for PyTorch) lists it without unzip.
  const listing = execFileSync('python3', ['-c', 'import sys, zipfile; print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))', vsix], {
    encoding: 'utf8',
  })
    .split('\n')
    .filter(Boolean);
  for (const f of [
    'extension/package.json',
    'extension/dist/extension/extension.js',
    'extension/dist/extension/train-worker.js',
    'extension/dist/extension/wasm/gemm.wasm',
    'extension/dist/extension/wasm/small.wasm',
    'extension/dist/webview/editor.js',
    'extension/dist/webview/editor.css',
    'extension/media/icon.png',
    'extension/node_modules/onnxruntime-node/package.json',
  ]) {
    assert.ok(listing.includes(f), `${f} is in the package`);
  }
  const modules = new Set(listing.filter((f) => f.startsWith('extension/node_modules/')).map((f) => f.split('/')[2]));
  assert.deepEqual([...modules].sort(), ['onnxruntime-common', 'onnxruntime-node']);
  assert.ok(!listing.some((f) => /\.map$|\/test\/|\/engine\/|\.ts$/.test(f)), 'no sources, tests or source maps');
  assert.ok(!listing.some((f) => /onnxruntime-node\/bin\/.*\/(darwin|win32)\//.test(f)), 'no other platforms binaries');
  assert.ok(statSync(vsix).size < 40 * 1024 * 1024, `${(statSync(vsix).size / 2 ** 20).toFixed(1)} MiB`);
});

test('installed from the .vsix, the extension opens the spiral example and trains it', async () => {
  studio = await startStudio({ vsix });
  const s = studio;
  const installed = readdirSync(join(s.workspace, '..', 'extensions')).filter((n) => n.startsWith('nnblocks.nn-blocks-'));
  assert.equal(installed.length, 1, 'installed, not linked');
  // The onnxruntime-node the package ships loads and runs a model exported by the extension's Export ONNX.
  const extDir = join(s.workspace, '..', 'extensions', installed[0]);
  const onnxFile = join(dir, 'spiral.onnx');
  const { exportOnnx } = await import('../../engine/graph/onnx/file');
  const { parseDocument } = await import('../../engine/graph');
  exportOnnx(parseDocument(readFileSync(join(ROOT, 'examples/flower.nnb.json'), 'utf8'), 'flower.nnb.json'), null, onnxFile);
  const script = `const ort = require(${JSON.stringify(join(extDir, 'node_modules/onnxruntime-node'))});
ort.InferenceSession.create(${JSON.stringify(onnxFile)}).then(async (s) => {
  const out = await s.run({ [s.inputNames[0]]: new ort.Tensor('float32', new Float32Array([0.5, -1]), [1, 2]) });
  process.stdout.write(JSON.stringify(out[s.outputNames[0]].dims));
});`;
  assert.equal(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', cwd: dir }), '[1,1]');
  await s.open('flower.nnb.json');
  const frame = await s.webview();
  await frame.locator('[data-testid=node-fc1]').waitFor({ timeout: 30000 });
  assert.match(await frame.locator('[data-testid=node-fc1]').innerText(), /2 → 4[\s\S]*12 params/);
  await s.command('NN Blocks: Train');
  const runs = join(s.workspace, 'runs', 'flower');
  const runDir = await waitFor(
    'a finished run',
    () => {
      if (!existsSync(runs)) return undefined;
      const done = readdirSync(runs)
        .map((d) => join(runs, d))
        .find((d) => existsSync(join(d, 'result.json')));
      return done;
    },
    { timeoutMs: 120000 },
  );
  const result = JSON.parse(readFileSync(join(runDir, 'result.json'), 'utf8'));
  assert.equal(result.status, 'completed', result.message);
  assert.ok(existsSync(join(runDir, 'model.safetensors')));
  await s.page.screenshot({ path: join(SHOTS, 'vsix-trained.png') });
});
