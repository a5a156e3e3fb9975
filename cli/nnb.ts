#!/usr/bin/env -S node --import tsx
/**
 * `nnb`: NN Blocks model documents from the shell and CI.
 *   nnb check <model.nnb.json> [--json] [--warn-params N]
 *   nnb codegen <model.nnb.json> --lang ts|py [-o file] [--engine-import spec] [--no-training]
 *   nnb codegen <model.nnb.json> --lang py --project <dir>   (model.py, data.py, train.py for torchrun, README)
 *   nnb export-onnx <model.nnb.json> [--weights w.safetensors] -o model.onnx
 *   nnb infer <model.onnx> --input data.csv [-o out.csv] [--provider cpu|cuda] [--no-fallback]   (several inputs: --input x=a.csv --input y=b.csv)
 *   nnb train <model.nnb.json> [--epochs N] [--data file] [--out runs/] [--resume <run dir>] ...
 *   nnb make-data digits -o data.csv [--rows N] [--seed S]
 * Exit codes: 0 success, 1 the model or data has a problem (messages on stderr), 2 bad usage.
 */
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { parseArgs } from './args';
import { UsageError } from './errors';
import { inferCommand } from './infer';
import { readText, writeOut } from './files';
import { checkCommand, formatDiagnostics } from './check';
import {
  parseDocument,
  DocumentError,
  generatePyTorch,
  generateTypeScript,
  analyzeDocument,
  toOnnxBytes,
  ONNX_OPSET,
  type AnalysisOptions,
  type ModelDocument,
} from '../engine/graph';
import { writeOnnxFile } from '../engine/graph/onnx/file';
// A static import: a dynamic import() of a folder fails when bin/nnb.js runs the sources through tsx/cjs.
import { loadSafetensors } from '../engine/io';
import { ProviderError } from '../engine/graph/onnx/run';
import { runTrainCommand } from '../engine/train/cli';
import { writeDigitsCsv } from '../engine/data/digits';
import { generatePyTorchProject, writePyTorchProject } from '../engine/train/pytorch_project';

export const USAGE = `usage:
  nnb check <model.nnb.json> [--json] [--warn-params N]   (warn above N parameters; default 100000000)
  nnb codegen <model.nnb.json> --lang ts|py [-o file] [--engine-import spec] [--no-training]
  nnb codegen <model.nnb.json> --lang py --project <dir>     (a PyTorch project: python train.py, or torchrun for DDP)
  nnb export-onnx <model.nnb.json> [--weights weights.safetensors] -o model.onnx [--warn-params N]
  nnb infer <model.onnx> --input data.csv [-o out.csv] [--provider cpu|cuda] [--no-fallback]   (several inputs: --input x=a.csv --input y=b.csv)
  nnb train <model.nnb.json> [--epochs N] [--data file.csv|file.safetensors] [--out runs/] [--resume <run dir> [--force]] [--seed N] [--lr X] [--batch-size N]
  nnb make-data digits -o data.csv [--rows N] [--seed S]     (synthetic 28x28 digits for the MLP examples)`;

/** `--warn-params N`: the parameter count above which the analysis warns (a whole number; default in the engine). */
function sizeOptions(value: string | undefined): AnalysisOptions {
  if (value === undefined) return {};
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--warn-params expects a whole number of parameters, got '${value}'`);
  return { warnParams: n };
}

/**
 * The document at `path`, refused with every analysis error, so codegen and export never produce code
 * for a broken model. Warnings (a model above the size limit) are printed before anything is built.
 */
function readValidDocument(path: string, options: AnalysisOptions = {}): ModelDocument {
  const text = readText(path);
  const doc = parseDocument(text, path);
  const diagnostics = analyzeDocument(doc, options).diagnostics;
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    throw new Error(
      `${path}: the model has ${errors.length} error(s):\n${formatDiagnostics(path, text, doc, errors).join('\n')}\n(run 'nnb check ${path}' for details)`,
    );
  }
  const warnings = diagnostics.filter((d) => d.severity === 'warning');
  if (warnings.length > 0) console.error(formatDiagnostics(path, text, doc, warnings).join('\n'));
  return doc;
}

async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    console.log(USAGE);
    return command === undefined ? 2 : 0;
  }
  switch (command) {
    case 'check': {
      const a = parseArgs(rest, { flags: ['json'], values: ['warn-params'] }, 1);
      const path = a.positional[0];
      const r = checkCommand(readText(path), path, a.flags.has('json'), sizeOptions(a.values.get('warn-params')));
      process.stdout.write(r.stdout);
      if (r.stderr) process.stderr.write(r.stderr);
      return r.ok ? 0 : 1;
    }
    case 'codegen': {
      const a = parseArgs(rest, { flags: ['no-training'], values: ['lang', 'o', 'engine-import', 'project'] }, 1);
      const lang = a.values.get('lang');
      if (lang !== 'ts' && lang !== 'py') throw new UsageError(`codegen needs --lang ts or --lang py${lang ? ` (got '${lang}')` : ''}`);
      const path = a.positional[0];
      const doc = readValidDocument(path);
      const sourceName = basename(path);
      const project = a.values.get('project');
      if (project !== undefined) {
        if (lang !== 'py') throw new UsageError('--project writes a PyTorch project: use it with --lang py');
        // The project's data paths are relative to the document, from wherever the project folder is.
        const fromProject = relative(resolve(project), dirname(resolve(path)))
          .split(sep)
          .join('/');
        const written = await writePyTorchProject(project, generatePyTorchProject(doc, { sourceName, documentDir: fromProject }));
        console.error(
          `wrote ${written.length} files to ${project}: python ${join(project, 'train.py')}, or torchrun --nproc_per_node=N ${join(project, 'train.py')} (see its README.md)`,
        );
        return 0;
      }
      const out = a.values.get('o');
      // The training script reads the document's data relative to the document: from the output file's
      // folder (or, on stdout, the current directory, where `> file.py` puts it) back to the model's.
      const documentDir = relative(out ? dirname(resolve(out)) : process.cwd(), dirname(resolve(path)))
        .split(sep)
        .join('/');
      const code =
        lang === 'ts'
          ? await generateTypeScript(doc, { engineImport: a.values.get('engine-import'), sourceName })
          : generatePyTorch(doc, { training: !a.flags.has('no-training'), sourceName, documentDir });
      if (out) {
        writeOut(out, code);
        console.error(`wrote ${out}`);
      } else process.stdout.write(code);
      return 0;
    }
    case 'export-onnx': {
      const a = parseArgs(rest, { flags: [], values: ['weights', 'o', 'warn-params'] }, 1);
      const out = a.values.get('o');
      if (!out) throw new UsageError('export-onnx needs -o <model.onnx>');
      const path = a.positional[0];
      const doc = readValidDocument(path, sizeOptions(a.values.get('warn-params')));
      const weightsPath = a.values.get('weights');
      const weights = weightsPath ? loadSafetensors(weightsPath).tensors : null;
      let bytes: Uint8Array;
      try {
        bytes = toOnnxBytes(doc, weights);
      } catch (e) {
        // The document is valid by now: what can still fail is the weights not fitting it.
        throw new Error(weightsPath ? `${weightsPath}: ${(e as Error).message}` : (e as Error).message);
      }
      writeOnnxFile(out, bytes);
      console.error(
        `wrote ${out} (${bytes.byteLength} bytes, opset ${ONNX_OPSET}, ${weightsPath ? `weights from ${weightsPath}` : 'freshly initialised weights'})`,
      );
      return 0;
    }
    case 'infer':
      return inferCommand(parseArgs(rest, { flags: ['no-fallback'], values: ['input', 'o', 'provider'] }, 1));
    case 'train':
      // Its own argument parsing, progress bar and exit codes (engine/train/cli.ts).
      return runTrainCommand(rest);
    case 'make-data': {
      const a = parseArgs(rest, { flags: [], values: ['o', 'rows', 'seed'] }, 1);
      if (a.positional[0] !== 'digits') throw new UsageError(`make-data knows the set 'digits' (got '${a.positional[0]}')`);
      const out = a.values.get('o');
      if (out === undefined) throw new UsageError('make-data needs -o <file.csv>');
      const int = (name: string, fallback: number) => {
        const v = a.values.get(name);
        const n = v === undefined ? fallback : Number(v);
        if (!Number.isInteger(n) || n < 0 || (name === 'rows' && n === 0))
          throw new UsageError(`--${name} expects a whole number${name === 'rows' ? ' > 0' : ''}, got '${v}'`);
        return n;
      };
      const rows = await writeDigitsCsv(out, { n: int('rows', 1000), seed: int('seed', 42) });
      console.error(`wrote ${out} (${rows} rows of 784 pixels and a label)`);
      return 0;
    }
    default:
      throw new UsageError(`unknown command '${command}'`);
  }
}

/** Runs one nnb command and returns its exit code; messages go to stdout/stderr. Never throws. */
export async function main(argv: string[]): Promise<number> {
  try {
    return await run(argv);
  } catch (e: unknown) {
    if (e instanceof UsageError) {
      console.error(`nnb: ${e.message}\n${USAGE}`);
      return 2;
    }
    if (e instanceof DocumentError || e instanceof ProviderError) {
      console.error(e.message);
      return 1;
    }
    console.error(`nnb: ${(e as Error).message}`);
    return 1;
  }
}

if (require.main === module) {
  // exitCode rather than exit(): lets stdout drain when it is a pipe.
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
