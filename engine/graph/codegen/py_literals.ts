/**
 * Python literals for the PyTorch generators (the model code in python.ts and the training script in
 * python_training.ts): strings, booleans, numbers, and floats Python reads as floats.
 */
import type { ArgValue } from '../catalogue';

export const py = (v: ArgValue | undefined): string => {
  if (v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return String(v);
  // A pair or a shape: PyTorch takes a tuple wherever it takes an int-or-tuple or a size.
  if (Array.isArray(v)) return v.length === 1 ? `(${v[0]},)` : `(${v.join(', ')})`;
  return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
};

/** A float literal Python reads as a float (1 → 1.0). */
export const pyFloat = (v: number) => (Number.isInteger(v) ? `${v}.0` : String(v));
