/**
 * The small PyTorch training script appended to generated model code: the document's `training` section
 * (data, loss, optimizer, schedule, epochs, batch size, split, seed) as plain torch code, so a user can
 * take a model to PyTorch (and from there to its distributed training) without NN Blocks.
 */
import type { TrainingSpec } from '../format';
import { LOSSES, SECTION_DEFAULTS, type WrittenData, type WrittenOptimizer, type WrittenSchedule } from '../training';
import { OPTIMIZERS } from '../../optim/table';
import { SCHEDULES } from '../../optim/schedule_table';
import type { FieldTable } from '../../optim/hyper';
import { py, pyFloat } from './py_literals';
import { builtinName } from '../training';
import { imageDataCode, imageHelpers, isImageData } from './python_image_data';

/** The body of `load_data()` for each data source (a new source without one is a compile error). */
function dataCode(d: WrittenData, inputShape: readonly number[]): string[] {
  switch (d.kind) {
    case 'builtin': {
      const o = d.options ?? {};
      if (builtinName(d.name) === 'flower') {
        return [
          '    # The tutorial\'s two-class "flower" (np.random.seed as in the notebook).',
          `    m, a = ${o.m ?? 400}, ${pyFloat(o.a ?? 4)}`,
          `    rng = np.random.RandomState(${o.seed ?? 1})`,
          '    n = m // 2',
          '    xs, ys = [], []',
          '    for j in range(2):',
          `        t = np.linspace(j * 3.12, (j + 1) * 3.12, n) + rng.randn(n) * ${pyFloat(o.noise ?? 0.2)}`,
          `        r = a * np.sin(4 * t) + rng.randn(n) * ${pyFloat(o.noise ?? 0.2)}`,
          '        xs.append(np.c_[r * np.sin(t), r * np.cos(t)])',
          '        ys.append(np.full((n, 1), j))',
          '    return torch.tensor(np.concatenate(xs), dtype=torch.float32), torch.tensor(np.concatenate(ys), dtype=torch.float32)',
        ];
      }
      if (d.name === 'moons') {
        return [
          "    # Two interleaving half circles (like scikit-learn's make_moons).",
          `    n, noise = ${o.n ?? 200}, ${pyFloat(o.noise ?? 0.1)}`,
          '    n_out = n // 2',
          '    n_in = n - n_out',
          '    t_out = torch.linspace(0, math.pi, n_out)',
          '    t_in = torch.linspace(0, math.pi, n_in)',
          '    x = torch.cat([torch.stack([t_out.cos(), t_out.sin()], 1), torch.stack([1 - t_in.cos(), 1 - t_in.sin() - 0.5], 1)])',
          '    x = x + noise * torch.randn_like(x)',
          '    y = torch.cat([torch.zeros(n_out, 1), torch.ones(n_in, 1)])',
          '    return x, y',
        ];
      }
      return [
        "    # The regression tutorial's noisy parabola.",
        `    n, noise = ${o.n ?? 100}, ${pyFloat(o.noise ?? 0.2)}`,
        '    x = torch.linspace(-1, 1, n).unsqueeze(1)',
        '    return x, x.pow(2) + noise * torch.rand(n, 1)',
      ];
    }
    case 'csv':
      return [
        `    # CSV with a header row; the path is relative to the model document.`,
        `    with open(os.path.join(DOCUMENT_DIR, ${py(d.path)}), newline='') as f:`,
        '        rows = list(csv.reader(f))',
        '    header, body = rows[0], [r for r in rows[1:] if r]',
        `    label = ${d.label ? py(d.label) : 'header[-1]'}`,
        `    features = ${d.features ? `[${d.features.map((f) => py(f)).join(', ')}]` : '[h for h in header if h != label]'}`,
        '    cols = [header.index(c) for c in features]',
        '    x = torch.tensor([[float(r[c]) for c in cols] for r in body], dtype=torch.float32)',
        '    y = torch.tensor([[float(r[header.index(label)])] for r in body], dtype=torch.float32)',
        '    return x, y',
      ];
    case 'safetensors':
      return [
        `    tensors = load_safetensors(os.path.join(DOCUMENT_DIR, ${py(d.path)}))`,
        `    return tensors[${py(d.x ?? 'x')}], tensors[${py(d.y ?? 'y')}]`,
      ];
    case 'idx':
    case 'fashionMnist':
    case 'imageFolder':
      return imageDataCode(d, inputShape).train;
  }
}

/**
 * The keyword arguments of the fields a document wrote, spelled as the table says PyTorch spells them;
 * fields left out take torch's own defaults, which are the table's.
 */
function keywords(fields: FieldTable, written: Readonly<Record<string, unknown>>): string[] {
  const out: string[] = [];
  for (const [name, f] of Object.entries(fields)) {
    const v = written[name];
    if (v === undefined) continue;
    if (f.kind === 'boolean' && typeof v === 'boolean') out.push(`${f.torch}=${py(v)}`);
    else if (f.kind === 'number' && typeof v === 'number') out.push(`${f.torch}=${f.integer ? String(v) : pyFloat(v)}`);
    else if (f.kind === 'pair' && Array.isArray(v)) out.push(`${f.torch}=(${v.map((x: number) => pyFloat(x)).join(', ')})`);
  }
  return out;
}

/** The optimizer a section names, as a torch call over `params` (a Python expression). */
export function optimizerCode(o: WrittenOptimizer, params = 'model.parameters()'): string {
  return `torch.optim.${o.type}(${params}, ${keywords(OPTIMIZERS[o.type].fields, o).join(', ')})`;
}

export function scheduleCode(s: WrittenSchedule | undefined): string | null {
  if (s === undefined || s.type === 'none') return null;
  return `torch.optim.lr_scheduler.${s.type}(optimizer, ${keywords(SCHEDULES[s.type].fields, s).join(', ')})`;
}

const SAFETENSORS_READER = `def load_safetensors(path):
    """Reads a .safetensors file (the safetensors package when installed, else the format directly)."""
    try:
        from safetensors.torch import load_file
        return load_file(path)
    except ImportError:
        pass
    with open(path, 'rb') as f:
        size = struct.unpack('<Q', f.read(8))[0]
        header = json.loads(f.read(size))
        data = f.read()
    dtypes = {'F32': np.float32, 'F64': np.float64, 'I64': np.int64, 'I32': np.int32}
    out = {}
    for name, info in header.items():
        if name == '__metadata__':
            continue
        start, end = info['data_offsets']
        array = np.frombuffer(data[start:end], dtype=dtypes[info['dtype']]).reshape(info['shape'])
        out[name] = torch.from_numpy(array.copy())
    return out`;

/** Standard-library and numpy imports the training part needs (placed with the file's other imports). */
export const TRAINING_IMPORTS = [
  'import argparse',
  'import csv',
  'import json',
  'import math',
  'import os',
  'import struct',
  '',
  'import numpy as np',
];

/**
 * The data part shared by the single-file script and the project's data.py: DOCUMENT_DIR, the safetensors
 * reader, the image helpers and transforms (image data), load_data() and load_test_data() (None when the
 * data has no test set).
 */
function dataSection(t: TrainingSpec, documentDir: string, inputShape: readonly number[], testAlways: boolean): string[] {
  const image = isImageData(t.data) ? imageDataCode(t.data, inputShape) : null;
  const test = image !== null ? image.test : testAlways ? ['    return None'] : null;
  return [
    'HERE = os.path.dirname(os.path.abspath(__file__))',
    documentDir === ''
      ? "DOCUMENT_DIR = HERE  # the model document's folder: data paths are relative to it"
      : `DOCUMENT_DIR = os.path.normpath(os.path.join(HERE, ${py(documentDir)}))  # the model document's folder`,
    '',
    '',
    SAFETENSORS_READER,
    '',
    '',
    ...(image === null ? [] : [imageHelpers(inputShape), '', '', image.transforms, '', '']),
    'def load_data():',
    `    """The document's data: ${t.data.kind === 'builtin' ? `built-in '${t.data.name}'` : 'path' in t.data ? `${t.data.kind} '${t.data.path}'` : t.data.kind}."""`,
    ...dataCode(t.data, inputShape),
    ...(test === null
      ? []
      : ['', '', 'def load_test_data():', `    """The data's test set (distinct from the validation split), or None."""`, ...test]),
  ];
}

/**
 * data.py of a generated PyTorch project: the document's data source as plain torch/numpy code, with
 * `transform(xb, training)` (the image transforms, or the identity) so train.py treats every source alike.
 */
export function dataModule(t: TrainingSpec, documentDir = '', inputShape: readonly number[] = []): string {
  const image = isImageData(t.data);
  return [
    '"""The training data of the model document, read as NN Blocks reads it (generated by NN Blocks)."""',
    ...TRAINING_IMPORTS,
    'import torch',
    '',
    '',
    ...dataSection(t, documentDir, inputShape, true),
    ...(image
      ? []
      : [
          '',
          '',
          'def transform(xb, training):',
          '    """Feature rows go to the model as they are (image data transforms its pixel bytes here)."""',
          '    return xb',
        ]),
    '',
  ].join('\n');
}

/**
 * The training part of the generated Python file: data, loop, and a `__main__` entry. `documentDir` is
 * the model document's folder relative to the generated file's ('' when they share one): the data paths
 * of the training section are relative to the document, wherever the script is written.
 */
export function trainingScript(modelName: string, t: TrainingSpec, documentDir = '', inputShape: readonly number[] = []): string {
  const image = isImageData(t.data) ? imageDataCode(t.data, inputShape) : null;
  // Image batches are pixel bytes until transform() runs the data's transforms on them.
  const feed = (x: string, training: boolean) => (image === null ? x : `transform(${x}, ${training ? 'True' : 'False'})`);
  const loss =
    typeof t.loss === 'string'
      ? { type: t.loss, reduction: SECTION_DEFAULTS.reduction }
      : { type: t.loss.type, reduction: t.loss.reduction ?? SECTION_DEFAULTS.reduction };
  const classTargets = LOSSES[loss.type].targets === 'classes';
  const seed = t.seed ?? SECTION_DEFAULTS.seed;
  const schedule = scheduleCode(t.schedule);
  const lines = [
    ...dataSection(t, documentDir, inputShape, false),
    '',
    '',
    'def train(epochs=None, out=None):',
    `    torch.manual_seed(${seed})`,
    '    model = create_model()',
    '    x, y = load_data()',
    ...(classTargets ? ['    y = y.reshape(-1).long()  # class indices'] : []),
    `    n_val = int(len(x) * ${pyFloat(t.validationSplit ?? SECTION_DEFAULTS.validationSplit)})`,
    `    order = torch.randperm(len(x), generator=torch.Generator().manual_seed(${seed}))`,
    '    val_idx, train_idx = order[:n_val], order[n_val:]',
    '    train_set = torch.utils.data.TensorDataset(x[train_idx], y[train_idx])',
    `    batch_size = ${t.batchSize ?? 'len(train_set)'}`,
    `    loader = torch.utils.data.DataLoader(train_set, batch_size=batch_size, shuffle=${py(t.shuffle ?? SECTION_DEFAULTS.shuffle)}${t.dropLast === true ? ', drop_last=True' : ''})`,
    `    loss_fn = nn.${loss.type}(reduction='${loss.reduction}')`,
    `    optimizer = ${optimizerCode(t.optimizer)}`,
    ...(schedule ? [`    scheduler = ${schedule}`] : []),
    `    epochs = epochs or ${t.epochs}`,
    `    log_every = max(1, epochs // 10)`,
    '    for epoch in range(epochs):',
    '        model.train()',
    '        for xb, yb in loader:',
    '            optimizer.zero_grad()',
    `            loss = loss_fn(model(${feed('xb', true)}), yb)`,
    '            loss.backward()',
    '            optimizer.step()',
    ...(schedule ? ['        scheduler.step()'] : []),
    '        if (epoch + 1) % log_every == 0 or epoch + 1 == epochs:',
    '            model.eval()',
    '            with torch.no_grad():',
    `                line = f'epoch {epoch + 1}: loss {loss_fn(model(${feed('x[train_idx]', false)}), y[train_idx]).item():.6f}'`,
    '                if n_val > 0:',
    `                    line += f'  val loss {loss_fn(model(${feed('x[val_idx]', false)}), y[val_idx]).item():.6f}'`,
    '            print(line)',
    ...(image === null
      ? []
      : [
          '    test = load_test_data()',
          '    if test is not None:',
          '        model.eval()',
          '        with torch.no_grad():',
          '            predicted = torch.cat([model(transform(xb, False)).argmax(1) for xb in test[0].split(4096)])',
          "        print(f'test accuracy {(predicted == test[1]).float().mean().item():.4f}')",
        ]),
    `    torch.save(model.state_dict(), out or os.path.join(HERE, '${modelName}.pt'))`,
    '    return model',
    '',
    '',
    "if __name__ == '__main__':",
    "    parser = argparse.ArgumentParser(description='Train the model on the data of its NN Blocks document.')",
    "    parser.add_argument('--epochs', type=int, default=None)",
    "    parser.add_argument('--out', default=None, help='where to save the state dict (.pt)')",
    '    args = parser.parse_args()',
    '    train(args.epochs, args.out)',
  ];
  return lines.join('\n');
}
