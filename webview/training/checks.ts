/**
 * What a run of the training section would fail with, phrased as what to change, checked in the panel as
 * the user edits: the same resolver the run uses (the grammar's messages with JSON paths, including the
 * optimizer table's rules between fields), the loss against the model's output size, and the problems
 * the host found in the first rows of a CSV (non-numeric values with line and column, labels that do not
 * fit the loss).
 */
import { resolveRunConfig } from '../../engine/train/config';
import { LOSSES } from '../../engine/graph/training';

export type Section = Record<string, unknown>;

/** A part of the section as the object it should be (`data`, `optimizer`, ...), or {} when it is not one. */
export const asRecord = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

export function checkSection(section: Section, outputSize?: number, csvProblems: readonly string[] = []): string[] {
  const problems: string[] = [];
  try {
    const c = resolveRunConfig('model', section);
    if (outputSize !== undefined) {
      const loss = c.loss.type;
      const targets = LOSSES[loss].targets;
      if (targets === 'binary' && outputSize !== 1) {
        problems.push(
          `${loss} needs one logit per sample, but the model outputs ${outputSize}: set the last layer's output size to 1, or use CrossEntropyLoss with ${outputSize} classes`,
        );
      }
      if (targets === 'classes' && outputSize < 2) {
        problems.push(
          `${loss} needs one output per class, but the model outputs ${outputSize}: set the last layer's output size to the number of classes, or use BCEWithLogitsLoss for two classes`,
        );
      }
      if (c.data.kind === 'builtin' && c.data.name === 'quadratic' && targets !== 'values') {
        problems.push(`the y = x^2 data is a regression set: use MSELoss or L1Loss`);
      }
    }
    if (c.data.kind === 'csv') for (const p of csvProblems) if (!problems.includes(p)) problems.push(p);
  } catch (e) {
    problems.push((e as Error).message);
  }
  return problems;
}

/** One line for the collapsed form: what will be trained, and how. */
export function summarizeSection(section: Section): string {
  try {
    const c = resolveRunConfig('model', section);
    const d = c.data;
    const data = d.kind === 'builtin' ? d.name : d.kind === 'fashionMnist' ? 'Fashion-MNIST' : d.kind === 'idx' ? d.images : d.path;
    const batch = c.batchSize === null ? 'full batch' : `batch ${c.batchSize}`;
    return `${data} · ${c.loss.type} · ${c.optimizer.type} lr ${c.optimizer.lr} · ${c.epochs} epochs · ${batch}`;
  } catch {
    return 'needs attention';
  }
}
