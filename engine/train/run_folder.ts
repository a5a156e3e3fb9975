/**
 * The run folder on disk: `runs/<model-name>/<YYYYMMDD-HHMMSS>/` with config.json, metrics.jsonl,
 * checkpoints/, model.safetensors, plots/ and result.json. RunWriter turns a session's events into those
 * files; every binary file is written atomically (temp file, then rename) so a crash or a reader in the
 * Runs view never sees half a checkpoint.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { RunConfig } from './config';
import type { MetricsRecord, RunResult, TrainEvent } from './protocol';
import { checkpointStep } from './checkpoint';
import { writeFileAtomicAsync as writeFileAtomic } from '../io/atomic_write';

export const CONFIG_FILE = 'config.json';
export const METRICS_FILE = 'metrics.jsonl';
export const RESULT_FILE = 'result.json';
export const MODEL_FILE = 'model.safetensors';
export const CHECKPOINT_DIR = 'checkpoints';
export const PLOTS_DIR = 'plots';

/** What config.json holds: the exact document and training section used, and the resolved config. */
export interface RunConfigFile {
  format: 'nnblocks.run/1';
  createdAt: string;
  documentPath: string | null;
  document: unknown;
  training: unknown;
  resolved: RunConfig;
  resumedFrom?: { checkpoint: string; at: string }[];
  /** Written by a generated PyTorch project's train.py (engine/train/pytorch_project.ts); the editor's runs have none. */
  trainer?: { name: 'pytorch'; torch: string; worldSize: number; device: string; backend: string | null; amp: boolean };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** YYYYMMDD-HHMMSS in local time: the name the user sees next to their clock. */
export function runStamp(d: Date): string {
  return `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`;
}

/** Model names become folder names: anything outside [A-Za-z0-9._-] is replaced. */
export const safeName = (name: string) => name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '_') || 'model';

/** Creates a fresh run folder; a second run in the same second gets a -2, -3 suffix. */
export async function createRunDir(outRoot: string, modelName: string, now = new Date()): Promise<string> {
  const base = path.join(outRoot, safeName(modelName), runStamp(now));
  for (let i = 1; ; i++) {
    const dir = i === 1 ? base : `${base}-${i}`;
    try {
      await fsp.mkdir(path.dirname(dir), { recursive: true });
      await fsp.mkdir(dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw e;
    }
    await fsp.mkdir(path.join(dir, CHECKPOINT_DIR));
    await fsp.mkdir(path.join(dir, PLOTS_DIR));
    return dir;
  }
}

// Temp file, fsync, rename: a reader (the Runs view, a resume after a crash) sees the old file or the new
// one, never half of one, and a failed write leaves the folder as it was.
export { writeFileAtomic };

export async function writeRunConfig(runDir: string, content: RunConfigFile): Promise<void> {
  await writeFileAtomic(path.join(runDir, CONFIG_FILE), JSON.stringify(content, null, 2) + '\n');
}

export async function readRunConfig(runDir: string): Promise<RunConfigFile> {
  const file = path.join(runDir, CONFIG_FILE);
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch {
    throw new Error(`${runDir} is not a run folder: ${CONFIG_FILE} is missing`);
  }
  return JSON.parse(text) as RunConfigFile;
}

export async function readMetrics(runDir: string): Promise<MetricsRecord[]> {
  let text: string;
  try {
    text = await fsp.readFile(path.join(runDir, METRICS_FILE), 'utf8');
  } catch {
    return [];
  }
  const lines = text.split('\n');
  // Records are appended whole lines at a time; text after the last newline is a record the process was
  // writing when it died (a crash, a killed editor). It is dropped so the run can still be listed and resumed.
  lines.pop();
  return lines.flatMap((l, i) => {
    if (l.trim() === '') return [];
    try {
      return [JSON.parse(l) as MetricsRecord];
    } catch {
      throw new Error(`${path.join(runDir, METRICS_FILE)}:${i + 1}: not a metrics record`);
    }
  });
}

/** Checkpoint file names, oldest step first. */
export async function listCheckpoints(runDir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await fsp.readdir(path.join(runDir, CHECKPOINT_DIR));
  } catch {
    return [];
  }
  return names.filter((n) => checkpointStep(n) !== null).sort((a, b) => checkpointStep(a)! - checkpointStep(b)!);
}

/**
 * Prepares a run folder to continue from its last checkpoint: metrics recorded after that step are
 * dropped (the resumed run records them again, identically). Returns the checkpoint and the kept metrics.
 */
export async function prepareResume(runDir: string): Promise<{ checkpoint: string; bytes: Uint8Array; metrics: MetricsRecord[] }> {
  const names = await listCheckpoints(runDir);
  if (names.length === 0) throw new Error(`${runDir} has no checkpoints to resume from`);
  const checkpoint = names[names.length - 1];
  const step = checkpointStep(checkpoint)!;
  const metrics = (await readMetrics(runDir)).filter((r) => r.step <= step);
  await writeFileAtomic(path.join(runDir, METRICS_FILE), metrics.map((r) => JSON.stringify(r) + '\n').join(''));
  await fsp.rm(path.join(runDir, RESULT_FILE), { force: true });
  const bytes = new Uint8Array(await fsp.readFile(path.join(runDir, CHECKPOINT_DIR, checkpoint)));
  return { checkpoint, bytes, metrics };
}

/**
 * Writes a session's events into the run folder, in order, off the training thread's time. Appends to
 * metrics.jsonl are batched (at most one append per METRICS_FLUSH_MS): on two cores, hundreds of tiny
 * appends compete with the training thread for the CPU. Pending records are flushed before any other
 * file is written, so metrics.jsonl always covers every checkpoint on disk.
 *
 * The first write that fails is reported once to `onError` (the host stops the run then: training on
 * with a full disk would only lose more work) and again by flush(); later writes are still attempted, so
 * result.json can say what happened. result.json is written by writeResult, after everything else.
 */
export const METRICS_FLUSH_MS = 250;

export class RunWriter {
  private chain: Promise<void> = Promise.resolve();
  private pendingMetrics: string[] = [];
  private flushTimer: NodeJS.Timeout | null = null;
  private error: Error | null = null;

  constructor(
    readonly runDir: string,
    private readonly onError: (e: Error) => void = () => {},
  ) {}

  handle(event: TrainEvent): void {
    if (event.type !== 'metrics' && this.pendingMetrics.length > 0) this.flushSoon(true);
    switch (event.type) {
      case 'metrics':
        this.pendingMetrics.push(JSON.stringify(event.record) + '\n');
        this.flushSoon(false);
        break;
      case 'checkpoint':
        this.write(`${CHECKPOINT_DIR}/${event.name}`, event.bytes);
        break;
      case 'model':
        this.write(MODEL_FILE, event.bytes);
        break;
      case 'plot':
        this.write(`${PLOTS_DIR}/${event.name}`, event.bytes);
        break;
      default:
        break;
    }
  }

  private write(relative: string, bytes: Uint8Array): void {
    this.enqueue(relative, () => writeFileAtomic(path.join(this.runDir, relative), bytes));
  }

  private flushSoon(now: boolean): void {
    if (now) {
      if (this.flushTimer !== null) clearTimeout(this.flushTimer);
      this.flushTimer = null;
      const lines = this.pendingMetrics.join('');
      this.pendingMetrics = [];
      this.enqueue(METRICS_FILE, () => fsp.appendFile(path.join(this.runDir, METRICS_FILE), lines));
    } else if (this.flushTimer === null) {
      this.flushTimer = setTimeout(() => {
        this.flushTimer = null;
        if (this.pendingMetrics.length > 0) this.flushSoon(true);
      }, METRICS_FLUSH_MS);
    }
  }

  private enqueue(what: string, job: () => Promise<void>): void {
    this.chain = this.chain.then(job).catch((e: unknown) => {
      if (this.error !== null) return;
      this.error = new Error(`cannot write ${what}: ${(e as Error).message}`);
      this.onError(this.error);
    });
  }

  /** Resolves when everything handled so far is on disk; rejects with the first write error. */
  async flush(): Promise<void> {
    if (this.pendingMetrics.length > 0) this.flushSoon(true);
    await this.chain;
    if (this.error !== null) throw this.error;
  }

  /** Writes result.json (with the checkpoints actually on disk) once every other write has settled. */
  async writeResult(result: RunResult): Promise<void> {
    if (this.pendingMetrics.length > 0) this.flushSoon(true);
    await this.chain;
    result.checkpoints = await listCheckpoints(this.runDir);
    await writeFileAtomic(path.join(this.runDir, RESULT_FILE), JSON.stringify(result, null, 2) + '\n');
  }
}
