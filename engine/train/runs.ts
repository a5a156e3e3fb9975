/**
 * Reading past runs: the listing behind the "Runs" view (newest first, with status and final metrics)
 * and the full record of one run for charts and comparisons.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { MetricsRecord, RunResult } from './protocol';
import { CONFIG_FILE, MODEL_FILE, RESULT_FILE, listCheckpoints, readMetrics, readRunConfig, safeName, type RunConfigFile } from './run_folder';

export interface RunSummary {
  runDir: string;
  modelName: string;
  /** The folder name, YYYYMMDD-HHMMSS. */
  stamp: string;
  createdAt: string;
  /** 'running' when no result.json exists yet (in progress, or the process died: resume it). */
  status: RunResult['status'] | 'running';
  message: string;
  step: number;
  totalSteps: number;
  final: RunResult['final'];
  hasModel: boolean;
  checkpoints: string[];
  /** Who trained it: absent for the editor's own runs; a generated PyTorch project's train.py says so in config.json. */
  trainer?: { name: 'pytorch'; worldSize: number; device: string };
}

export interface RunDetails {
  summary: RunSummary;
  config: RunConfigFile;
  metrics: MetricsRecord[];
}

async function exists(p: string): Promise<boolean> {
  try {
    await fsp.access(p);
    return true;
  } catch {
    return false;
  }
}

async function readResult(runDir: string): Promise<RunResult | null> {
  try {
    return JSON.parse(await fsp.readFile(path.join(runDir, RESULT_FILE), 'utf8')) as RunResult;
  } catch {
    return null;
  }
}

export async function summarizeRun(runDir: string): Promise<RunSummary> {
  const config = await readRunConfig(runDir);
  const result = await readResult(runDir);
  const checkpoints = await listCheckpoints(runDir);
  const metrics = result === null ? await readMetrics(runDir) : [];
  const last = metrics[metrics.length - 1];
  return {
    runDir,
    modelName: config.resolved.modelName,
    stamp: path.basename(runDir),
    createdAt: config.createdAt,
    status: result?.status ?? 'running',
    message: result?.message ?? '',
    step: result?.step ?? last?.step ?? 0,
    totalSteps: result?.totalSteps ?? 0,
    final: result?.final ?? null,
    hasModel: await exists(path.join(runDir, MODEL_FILE)),
    checkpoints,
    ...(config.trainer?.name === 'pytorch'
      ? { trainer: { name: 'pytorch', worldSize: config.trainer.worldSize, device: config.trainer.device } }
      : {}),
  };
}

/** Runs under `root` (the runs/ folder), of one model or of all, newest first. */
export async function listRuns(root: string, modelName?: string): Promise<RunSummary[]> {
  let modelDirs: string[];
  try {
    modelDirs = modelName !== undefined ? [safeName(modelName)] : await fsp.readdir(root);
  } catch {
    return [];
  }
  const out: RunSummary[] = [];
  for (const m of modelDirs) {
    let stamps: string[];
    try {
      stamps = await fsp.readdir(path.join(root, m));
    } catch {
      continue;
    }
    for (const s of stamps) {
      const dir = path.join(root, m, s);
      if (!(await exists(path.join(dir, CONFIG_FILE)))) continue;
      try {
        out.push(await summarizeRun(dir));
      } catch {
        // A folder being created or damaged by hand is not a run to list.
      }
    }
  }
  return out.sort((a, b) => (a.stamp < b.stamp ? 1 : a.stamp > b.stamp ? -1 : 0));
}

/**
 * What to say before resuming `run`, or undefined when resuming is plain: a diverged run resumes from its
 * last checkpoint with the same learning rate, so it will most likely diverge again.
 */
export function resumeWarning(run: Pick<RunSummary, 'status' | 'stamp' | 'message'>): string | undefined {
  if (run.status !== 'diverged') return undefined;
  return `run ${run.stamp} diverged${run.message ? ` (${run.message})` : ''}. Resuming continues from its last checkpoint with the same learning rate, so it will likely diverge again: lower the learning rate and train a new run instead.`;
}

export async function readRun(runDir: string): Promise<RunDetails> {
  return { summary: await summarizeRun(runDir), config: await readRunConfig(runDir), metrics: await readMetrics(runDir) };
}

/** Two runs' curves on one step axis, for the comparison chart. */
export async function compareRuns(a: string, b: string): Promise<{ a: RunDetails; b: RunDetails }> {
  return { a: await readRun(a), b: await readRun(b) };
}
