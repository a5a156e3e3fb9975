// The PyTorch project's files for every example and fixture (engine/train/pytorch_project.ts) are valid
// Python (py_compile, no torch needed), its run_config.json is the config.json the editor's readers
// expect, and the CLI writes the project with --project (refusing it for --lang ts with a usage error).
import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { generatePyTorchProject, PROJECT_FILES, writePyTorchProject } from '../../engine/train/pytorch_project';
import { resolveRunConfig } from '../../engine/train/config';
import { loadCases, REPO } from '../graph/helpers';
import { tempDir } from '../train/helpers';
import { PYTHON } from '../helpers/system';

test('every example and fixture gets a project of valid Python whose run_config.json is a run config', async () => {
  const dir = await tempDir('pyproject-files');
  const compiled: string[] = [];
  for (const c of loadCases()) {
    const files = generatePyTorchProject(c.doc, { sourceName: path.basename(c.file) });
    assert.deepEqual(Object.keys(files).sort(), [...PROJECT_FILES].sort());
    const project = path.join(dir, c.doc.name);
    await writePyTorchProject(project, files);
    for (const f of ['model.py', 'data.py', 'train.py', 'run_folder.py']) compiled.push(path.join(project, f));
    const config = JSON.parse(files['run_config.json']) as { format: string; document: unknown; resolved: unknown; documentName: string };
    assert.equal(config.format, 'nnblocks.run/1');
    assert.equal(config.documentName, path.basename(c.file));
    assert.deepEqual(config.document, JSON.parse(JSON.stringify(c.doc)));
    assert.deepEqual(config.resolved, resolveRunConfig(c.doc.name, c.doc.training));
  }
  // One interpreter compiles them all; a syntax error names the file and line.
  const r = spawnSync(PYTHON, ['-c', 'import py_compile, sys\nfor f in sys.argv[1:]: py_compile.compile(f, doraise=True)', ...compiled], {
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
});

test('nnb codegen --lang py --project writes the project; --project with --lang ts is a usage error', async () => {
  const dir = await tempDir('pyproject-cli');
  const nnb = path.join(REPO, 'bin', 'nnb.js');
  const out = path.join(dir, 'spiral_pytorch');
  const ok = spawnSync(process.execPath, [nnb, 'codegen', path.join(REPO, 'examples', 'flower.nnb.json'), '--lang', 'py', '--project', out], {
    encoding: 'utf8',
  });
  assert.equal(ok.status, 0, ok.stderr);
  for (const f of PROJECT_FILES) assert.ok(existsSync(path.join(out, f)), f);
  // The data paths lead from the project back to the document's folder.
  const relative = path.relative(out, path.join(REPO, 'examples')).split(path.sep).join('/');
  assert.match(
    readFileSync(path.join(out, 'data.py'), 'utf8'),
    new RegExp(`DOCUMENT_DIR = os\\.path\\.normpath\\(os\\.path\\.join\\(HERE, '${relative.replace(/\./g, '\\.')}'\\)\\)`),
  );
  const bad = spawnSync(process.execPath, [nnb, 'codegen', path.join(REPO, 'examples', 'flower.nnb.json'), '--lang', 'ts', '--project', out], {
    encoding: 'utf8',
  });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--project writes a PyTorch project: use it with --lang py/);
});
