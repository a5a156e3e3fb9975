/**
 * A run's result, built in one place for every way a run ends (completed, stopped, diverged, failed, or
 * stopped while its data was still being read): what is not given is nothing (no step, no checkpoint,
 * no model), and the fields keep one order in result.json.
 */
import type { RunResult } from '../protocol';

export type ResultFields = Pick<RunResult, 'status' | 'message' | 'runDir' | 'elapsedSec'> &
  Partial<Omit<RunResult, 'status' | 'message' | 'runDir' | 'elapsedSec'>>;

export function runResult(r: ResultFields): RunResult {
  const result: RunResult = {
    status: r.status,
    message: r.message,
    runDir: r.runDir,
    step: r.step ?? 0,
    totalSteps: r.totalSteps ?? 0,
    elapsedSec: r.elapsedSec,
    final: r.final ?? null,
    checkpoints: r.checkpoints ?? [],
    hasModel: r.hasModel ?? false,
  };
  if (r.timing !== undefined) result.timing = r.timing;
  return result;
}
