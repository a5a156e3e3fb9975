/**
 * PyTorch code generation: the same program as the TypeScript generator, spelled as torch.nn code with
 * the same structure and attribute names, so `model.state_dict()` has exactly buildModel's keys (named
 * Sequential children go through an OrderedDict, as `add_module('block 0', ...)` would). With
 * `training: true` and a `training` section, a small script that trains the model is appended.
 */
import type { InitSpec, ModelDocument } from '../format';
import type { Args, ArgSpec, ArgValue, LayerSpec } from '../catalogue';
import { constructorArgs } from '../layers/define';
import { lowerDocument, type ClassUnit, type Expr, type ForwardStep, type FunctionUnit, type Local } from './lower';
import { trainingScript, TRAINING_IMPORTS } from './python_training';
import { py, pyDocText as docText, pyFloat, pyOneLine } from './py_literals';

export interface PyOptions {
  /** Append a `train()` function and a `__main__` entry built from the document's training section. */
  training?: boolean;
  sourceName?: string;
  /** The model document's folder relative to the generated file's (default: the same folder), for data paths. */
  documentDir?: string;
}

/** An argument as Python reads it: floats for float arguments (1 → 1.0), tuples for pairs and shapes. */
const argValue = (s: ArgSpec, v: ArgValue): string => (s.type === 'number' && typeof v === 'number' ? pyFloat(v) : py(v));

/**
 * The torch.nn constructor call: the positional arguments up to the last required one positionally,
 * the rest as keywords (keywords cannot precede positional arguments), defaults left out.
 */
function layerExpr(spec: LayerSpec, a: Args): string {
  const { positional, options } = constructorArgs(spec, a, true);
  let lastRequired = -1;
  positional.forEach((p, i) => (lastRequired = p.spec.required ? i : lastRequired));
  const parts = [
    ...positional.slice(0, lastRequired + 1).map((p) => argValue(p.spec, p.value)),
    ...[...positional.slice(lastRequired + 1), ...options].map((o) => `${o.spec.torchName}=${argValue(o.spec, o.value)}`),
  ];
  return `${spec.torchClass}(${parts.join(', ')})`;
}

function expr(e: Expr, indent: string): string {
  switch (e.kind) {
    case 'layer':
      return layerExpr(e.spec, e.args);
    case 'local':
      return e.name;
    case 'callBlock':
      return `${e.fn}()`;
    case 'newClass':
      return `${e.cls}()`;
    case 'sequential': {
      const inner = `${indent}    `;
      if (e.items.length === 0) return 'nn.Sequential()';
      if (e.named) {
        const items = e.items.map((it) => `${inner}    (${py(it.key)}, ${expr(it.expr, `${inner}    `)}),`).join('\n');
        return `nn.Sequential(\n${inner}OrderedDict([\n${items}\n${inner}])\n${indent})`;
      }
      return `nn.Sequential(\n${e.items.map((it) => `${inner}${expr(it.expr, inner)},`).join('\n')}\n${indent})`;
    }
  }
}

function initCall(target: string, param: string, s: InitSpec): string {
  const t = `${target}.${param}`;
  switch (s.kind) {
    case 'default':
      return '';
    case 'zeros':
      return `nn.init.zeros_(${t})`;
    case 'ones':
      return `nn.init.ones_(${t})`;
    case 'constant':
      return `nn.init.constant_(${t}, ${pyFloat(s.value)})`;
    case 'normal':
      return `nn.init.normal_(${t}, ${s.mean === undefined ? '' : `mean=${pyFloat(s.mean)}, `}std=${pyFloat(s.std)})`;
    case 'uniform':
      return `nn.init.uniform_(${t}, a=${pyFloat(s.low)}, b=${pyFloat(s.high)})`;
    case 'xavierUniform':
      return `nn.init.xavier_uniform_(${t}, gain=${pyFloat(s.gain ?? 1)})`;
    case 'xavierNormal':
      return `nn.init.xavier_normal_(${t}, gain=${pyFloat(s.gain ?? 1)})`;
    case 'kaimingUniform':
      return `nn.init.kaiming_uniform_(${t}, nonlinearity='${s.nonlinearity ?? 'leaky_relu'}')`;
    case 'kaimingNormal':
      return `nn.init.kaiming_normal_(${t}, nonlinearity='${s.nonlinearity ?? 'leaky_relu'}')`;
  }
}

function locals(ls: Local[], indent: string): string[] {
  const out: string[] = [];
  for (const l of ls) {
    out.push(`${indent}${l.name} = ${expr(l.expr, indent)}`);
    for (const i of l.init) out.push(`${indent}${initCall(l.name, i.param, i.spec)}`);
  }
  return out;
}

function step(s: ForwardStep): string {
  return s.kind === 'call' ? `self.${s.attr}(${s.args[0]})` : s.spec.torchExpr(s.args, s.mergeArgs);
}

function classUnit(u: ClassUnit): string {
  const lines = [`class ${u.name}(nn.Module):`, '    def __init__(self):', '        super().__init__()'];
  lines.push(...locals(u.locals, '        '));
  for (const a of u.attrs) lines.push(`        self.${a.key} = ${expr(a.expr, '        ')}`);
  lines.push('', `    def forward(self, ${u.inputs.join(', ')}):`);
  for (const s of u.steps) lines.push(`        ${s.out} = ${step(s)}`);
  lines.push(`        return ${u.output}`);
  return lines.join('\n');
}

function functionUnit(u: FunctionUnit, name = u.name, doc?: string): string {
  const lines = [`def ${name}():`];
  if (doc) lines.push(`    """${docText(doc)}"""`);
  lines.push(...locals(u.locals, '    '));
  lines.push(`    return ${expr(u.expr, '    ')}`);
  return lines.join('\n');
}

/** PyTorch code for a valid document; `create_model()` returns the model. */
export function generatePyTorch(doc: ModelDocument, options: PyOptions = {}): string {
  const p = lowerDocument(doc);
  const header = [
    `# ${doc.name}: generated by NN Blocks from ${pyOneLine(options.sourceName ?? `${doc.name}.nnb.json`)}. Edit the model document, not this file.`,
    ...(doc.description ? [`# ${pyOneLine(doc.description)}`] : []),
  ];
  const withTraining = options.training === true && doc.training !== undefined;
  const imports = ['import torch', 'from torch import nn'];
  const text = [p.entry, ...p.units].map((u) => JSON.stringify(u)).join('');
  if (text.includes('"named":true')) imports.unshift('from collections import OrderedDict');
  if (withTraining) imports.unshift(...TRAINING_IMPORTS, '');
  const parts = [header.join('\n'), imports.join('\n')];
  for (const spec of p.used) if (!spec.merge && spec.torchHelper !== undefined) parts.push(spec.torchHelper);
  for (const u of p.units) parts.push(u.kind === 'class' ? classUnit(u) : functionUnit(u));
  if (p.entry.kind === 'class') {
    parts.push(classUnit(p.entry));
    parts.push(`def create_model():\n    """${docText(doc.description ?? `The ${doc.name} model.`)}"""\n    return ${p.entry.name}()`);
  } else parts.push(functionUnit(p.entry, 'create_model', doc.description ?? `The ${doc.name} model.`));
  if (options.training === true && doc.training !== undefined)
    parts.push(trainingScript(doc.name, doc.training, options.documentDir, doc.input.shape));
  return `${parts.join('\n\n\n')}\n`;
}
