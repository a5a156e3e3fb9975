/**
 * `nnb train <model.nnb.json> [--epochs N] [--data file.csv] [--out runs/] [--resume <runDir> [--force]]`:
 * the editor's training run, headless (a diverged run resumes only with --force). A progress bar on stderr when it is a terminal (a line per
 * metrics record otherwise), Ctrl-C stops like the Stop button (weights and a checkpoint kept), and the
 * exit code is 0 only when the run completed.
 */
import { parseArgs } from 'node:util';
import * as path from 'node:path';
import { SingleBar } from 'cli-progress';
import { startRun } from './host';
import { resumeWarning, summarizeRun } from './runs';
import type { MetricsRecord } from './protocol';

const USAGE =
  'usage: nnb train <model.nnb.json> [--epochs N] [--data file.csv|file.safetensors] [--out runs/] [--resume <runDir> [--force]] [--seed N] [--lr X] [--batch-size N]';

export interface CliIO {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Progress bars only on a terminal; tests and CI logs get plain lines. */
  tty: boolean;
}

const defaultIO: CliIO = {
  out: (l) => process.stdout.write(l + '\n'),
  err: (l) => process.stderr.write(l + '\n'),
  tty: process.stderr.isTTY === true,
};

function positiveInt(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} expects a whole number > 0, got '${v}'`);
  return n;
}

const fmtTime = (s: number) =>
  s >= 3600
    ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`
    : s >= 60
      ? `${Math.floor(s / 60)}m${String(Math.floor(s % 60)).padStart(2, '0')}s`
      : `${s.toFixed(1)}s`;

function describe(r: MetricsRecord): string {
  const parts = [`loss ${r.loss.toFixed(4)}`];
  if (r.valLoss !== undefined) parts.push(`val ${r.valLoss.toFixed(4)}`);
  if (r.accuracy !== undefined) parts.push(`acc ${r.accuracy.toFixed(3)}`);
  if (r.valAccuracy !== undefined) parts.push(`val acc ${r.valAccuracy.toFixed(3)}`);
  if (r.mse !== undefined) parts.push(`mse ${r.mse.toPrecision(4)}`);
  return parts.join(', ');
}

export async function runTrainCommand(argv: string[], io: CliIO = defaultIO): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        epochs: { type: 'string' },
        data: { type: 'string' },
        out: { type: 'string' },
        resume: { type: 'string' },
        force: { type: 'boolean' },
        seed: { type: 'string' },
        lr: { type: 'string' },
        'batch-size': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    io.err(`nnb train: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    io.err(`nnb train: expected one model file, got ${positionals.length}\n${USAGE}`);
    return 2;
  }
  if (values.force && values.resume === undefined) {
    io.err(`nnb train: --force goes with --resume (it resumes a diverged run)\n${USAGE}`);
    return 2;
  }
  let run;
  try {
    // A diverged run resumed repeats what diverged (same weights, same learning rate): as the editor's Resume
    // Anyway, it resumes only when asked twice, here with --force, and says so either way.
    if (values.resume !== undefined) {
      const warning = resumeWarning(await summarizeRun(path.resolve(values.resume)));
      if (warning !== undefined && !values.force) {
        io.err(`nnb train: ${warning} Pass --force to resume it anyway.`);
        return 1;
      }
      if (warning !== undefined) io.err(`nnb train: warning: ${warning}`);
    }
    const lr = values.lr === undefined ? undefined : Number(values.lr);
    if (lr !== undefined && !(lr > 0)) throw new Error(`--lr expects a number > 0, got '${values.lr}'`);
    const seed = values.seed === undefined ? undefined : Number(values.seed);
    if (seed !== undefined && !Number.isInteger(seed)) throw new Error(`--seed expects a whole number, got '${values.seed}'`);
    run = await startRun({
      documentPath: positionals[0],
      overrides: {
        epochs: positiveInt('epochs', values.epochs),
        data: values.data === undefined ? undefined : path.resolve(values.data),
        batchSize: positiveInt('batch-size', values['batch-size']),
        lr,
        seed,
      },
      outDir: values.out,
      resume: values.resume,
      mode: 'inline',
    });
  } catch (e) {
    io.err(`nnb train: ${(e as Error).message}`);
    return 1;
  }

  // Ctrl-C asks the run to stop between two steps; a second Ctrl-C leaves at once.
  let interrupts = 0;
  const onSigint = () => {
    if (++interrupts > 1) process.exit(130);
    io.err('\nnnb train: stopping after the current step (Ctrl-C again to abort)...');
    run.stop();
  };
  process.on('SIGINT', onSigint);
  // A big CSV takes seconds to read: its progress comes first, as a bar of its own or (files of 1 MB and
  // more) a line per quarter.
  const mb = (b: number) => (b / 1e6).toFixed(1);
  const readBar = io.tty
    ? new SingleBar({ format: 'reading data |{bar}| {percentage}% | {done} of {size} MB', hideCursor: true, stream: process.stderr })
    : null;
  let nextQuarter = 0.25;
  run.on('loading', ({ bytes, totalBytes }) => {
    if (readBar !== null) {
      if (!readBar.isActive) readBar.start(totalBytes, 0, { done: mb(0), size: mb(totalBytes) });
      readBar.update(bytes, { done: mb(bytes) });
    } else if (totalBytes >= 1e6 && bytes >= nextQuarter * totalBytes) {
      io.out(`reading data: ${Math.floor((100 * bytes) / totalBytes)}% (${mb(bytes)} of ${mb(totalBytes)} MB)`);
      while (bytes >= nextQuarter * totalBytes) nextQuarter += 0.25;
    }
  });
  const bar = io.tty
    ? new SingleBar({
        format: 'training |{bar}| {percentage}% | step {value}/{total} | {metrics} | {rate} steps/s | ETA {eta_t}',
        hideCursor: true,
        stream: process.stderr,
      })
    : null;
  run.on('started', (info) => {
    readBar?.stop();
    io.out(
      `training ${info.modelName}: ${info.trainSize} training / ${info.valSize} validation samples, ${info.totalSteps} steps${info.startStep > 0 ? ` (resuming at step ${info.startStep})` : ''}`,
    );
    io.out(`run folder: ${info.runDir}`);
    bar?.start(info.totalSteps, info.startStep, { metrics: '', rate: '-', eta_t: '-' });
  });
  // Without a terminal, one line per tenth of the run keeps CI logs short.
  let nextLine = 0;
  let total = 1;
  run.on('started', (info) => {
    total = info.totalSteps;
    nextLine = info.startStep + total / 10;
  });
  run.on('log', (message) => {
    if (bar === null) io.out(message);
  });
  run.on('metrics', (r) => {
    if (bar !== null) bar.update(r.step, { metrics: describe(r), rate: r.stepsPerSec.toFixed(0), eta_t: fmtTime(r.etaSec) });
    else if (r.step >= nextLine || r.step === total) {
      nextLine = r.step + total / 10;
      io.out(`step ${r.step}/${total}: ${describe(r)} (${r.stepsPerSec.toFixed(0)} steps/s, ETA ${fmtTime(r.etaSec)})`);
    }
  });
  const result = await run.result;
  readBar?.stop();
  bar?.stop();
  process.off('SIGINT', onSigint);
  const line = `${result.status}: ${result.message}`;
  if (result.status === 'completed') io.out(line);
  else io.err(line);
  io.out(`run folder: ${result.runDir}`);
  return result.status === 'completed' ? 0 : 1;
}
