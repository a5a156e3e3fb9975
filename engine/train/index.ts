/**
 * Training runs, pure Node (no vscode): config resolution, the session (loop, metrics, checkpoints,
 * plots), the worker-backed host API, run folders and their listing, Evaluate and Predict, and the CLI.
 */
export { resolveRunConfig, ConfigError, type RunConfig, type Overrides, type DataSpec } from './config';
export { startRun, TrainingRun, defaultWorkerPath, type StartRunOptions } from './host';
export { TrainingSession, type SessionInput } from './session';
export { listRuns, readRun, summarizeRun, compareRuns, type RunSummary, type RunDetails } from './runs';
export { evaluateRun, predictRun, loadRunModel, type RunEvaluation, type Prediction } from './after';
export { previewCsv, type CsvPreview } from './preview';
export { exportOnnxFile, runOnnxFile } from './onnx';
export { runTrainCommand } from './cli';
export { ChoiceError } from './validate';
export * from './protocol';
