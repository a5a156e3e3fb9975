/**
 * `nnb infer <model.onnx> --input data.csv`: one CSV row per sample, fed to onnxruntime, outputs as CSV.
 * A model with several inputs takes one CSV each, `--input x=a.csv --input y=b.csv`.
 */
import { runOnnx, type Provider } from '../engine/graph/onnx/run';
import { parseNumericCsv, formatCsv } from './csv';
import { readText, writeOut } from './files';
import { onnxInputs, type OnnxInputInfo } from './onnx_shape';
import { UsageError } from './errors';
import type { ParsedArgs } from './args';

/** Which CSV feeds which input: `name=file` where name is an input of the model, else the only input. */
function pairInputs(model: string, inputs: OnnxInputInfo[], specs: string[]): [OnnxInputInfo, string][] {
  const names = inputs.map((i) => i.name);
  const pairs = specs.map((spec): [OnnxInputInfo | undefined, string] => {
    const eq = spec.indexOf('=');
    const named = eq > 0 ? inputs.find((i) => i.name === spec.slice(0, eq)) : undefined;
    return named ? [named, spec.slice(eq + 1)] : [undefined, spec];
  });
  const example = names.map((n) => `--input ${n}=${n}.csv`).join(' ');
  if (pairs.length === 1 && pairs[0][0] === undefined) {
    if (inputs.length > 1) throw new Error(`${model} takes ${inputs.length} inputs (${names.join(', ')}): give one CSV for each, ${example}`);
    return [[inputs[0], pairs[0][1]]];
  }
  const unnamed = pairs.find(([i]) => i === undefined);
  if (unnamed)
    throw new UsageError(`with several --input, each is name=file.csv with a name of the model's inputs (${names.join(', ')}); got '${unnamed[1]}'`);
  const given = pairs as [OnnxInputInfo, string][];
  const missing = names.filter((n) => !given.some(([i]) => i.name === n));
  if (missing.length > 0) throw new Error(`${model}: no CSV for input(s) ${missing.join(', ')} (${example})`);
  return given;
}

export async function inferCommand(a: ParsedArgs): Promise<number> {
  const specs = a.lists.get('input') ?? [];
  if (specs.length === 0) throw new UsageError('infer needs --input <data.csv>');
  const provider = a.values.get('provider') ?? 'cpu';
  if (provider !== 'cpu' && provider !== 'cuda') throw new UsageError(`--provider must be cpu or cuda (got '${provider}')`);
  const model = a.positional[0];
  const feeds: Record<string, { data: Float32Array; shape: number[] }> = {};
  let rows: { file: string; n: number } | null = null;
  for (const [input, file] of pairInputs(model, onnxInputs(model), specs)) {
    const csv = parseNumericCsv(readText(file), file);
    // One CSV row per sample: rows of 784 values feed a [N, 1, 28, 28] input when the sizes agree.
    const feature = input.shape.slice(1);
    const size = feature.reduce<number>((p, d) => p * (typeof d === 'number' ? d : NaN), 1);
    if (Number.isFinite(size) && size !== csv.cols)
      throw new Error(`${file}: ${csv.cols} columns, but ${model} takes ${size} values per sample (input ${input.name} [${input.shape.join(', ')}])`);
    if (rows !== null && rows.n !== csv.rows)
      throw new Error(`${file}: ${csv.rows} row${csv.rows === 1 ? '' : 's'}, but ${rows.file} has ${rows.n}: every input needs one row per sample`);
    rows ??= { file, n: csv.rows };
    feeds[input.name] = { data: csv.data, shape: Number.isFinite(size) ? [csv.rows, ...(feature as number[])] : [csv.rows, csv.cols] };
  }
  const r = await runOnnx(model, feeds, {
    executionProviders: provider as Provider,
    onMissingProvider: a.flags.has('no-fallback') ? 'error' : 'fallback',
    warn: (m) => console.error(`warning: ${m}`),
  });
  const [name, o] = Object.entries(r.outputs)[0];
  const n = o.shape[0] ?? 1;
  const cols = o.data.length / Math.max(n, 1);
  const csvOut = formatCsv(
    Array.from({ length: cols }, (_, i) => (cols === 1 ? name : `${name}_${i}`)),
    n,
    o.data,
  );
  const out = a.values.get('o');
  if (out) {
    writeOut(out, csvOut);
    console.error(`wrote ${out} (${n} rows, provider ${r.providers.join(', ')})`);
  } else process.stdout.write(csvOut);
  return 0;
}
