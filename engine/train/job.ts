/**
 * A training job as plain data: what the host hands to the training thread (structured-clone safe), and
 * the function that runs it there, turning the document into a model and the data spec into tensors.
 */
import * as path from 'node:path';
import type { RunConfig } from './config';
import type { MetricsRecord, RunResult, TrainEvent } from './protocol';
import { TrainingSession } from './session';
import { modelFromDocument } from './document';
import { loadData } from './sources';

export interface TrainJob {
  /** The document (parsed JSON) exactly as used; config.json keeps a copy. */
  document: unknown;
  /** Data paths in the training section are relative to this folder (the model file's folder). */
  baseDir: string;
  config: RunConfig;
  runDir: string;
  resume?: { bytes: Uint8Array; name: string; metrics: MetricsRecord[] };
  gridIntervalMs?: number;
}

/** Runs a job on this thread; `register` receives the session so a stop request can reach it. */
export async function runJob(job: TrainJob, emit: (e: TrainEvent) => void, register: (s: TrainingSession) => void): Promise<RunResult> {
  const model = modelFromDocument(job.document);
  const session = new TrainingSession(
    {
      config: job.config,
      runDir: job.runDir,
      buildModel: model.build,
      inputShape: model.inputShape,
      loadData: (options) => loadData(job.config.data, path.resolve(job.baseDir), job.config.seed, model.inputShape, options),
      resume: job.resume,
      gridIntervalMs: job.gridIntervalMs,
    },
    emit,
  );
  register(session);
  return session.run();
}
