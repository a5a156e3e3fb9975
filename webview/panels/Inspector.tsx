/**
 * The inspector for the selected node: type, name (validated as the user types: it becomes the
 * state-dict key), arguments with their types and ranges, per-parameter init, parameter shapes. With
 * nothing selected it shows the model: input shape, output shape, total parameters.
 */
import { memo, useState } from 'react';
import type { Analysis } from '../../engine/graph/analyze';
import { layerSpec, resolvedArgs, type ArgSpec } from '../../engine/graph/catalogue';
import type { InitSpec, LayerNode, ModelDocument, ModelNode } from '../../engine/graph/format';
import { isBlock, isLayer, isShared } from '../../engine/graph/nodes';
import { locate, nameProblem, type EditOp } from '../../engine/graph/edits';
import { Button, Checkbox, Select, TextField } from '../elements';
import { fmtArg, fmtCount, fmtShape } from '../graph/model';
import { parseArgText } from './argText';

interface Props {
  doc: ModelDocument;
  analysis: Analysis;
  selected: string[];
  edit: (op: EditOp) => void;
  openBlock: (name: string) => void;
}

const INIT_KINDS: InitSpec['kind'][] = [
  'default',
  'zeros',
  'ones',
  'constant',
  'normal',
  'uniform',
  'xavierUniform',
  'xavierNormal',
  'kaimingUniform',
  'kaimingNormal',
];

/** How an argument's type reads: 'int or [h, w]', 'int or [h, w] or same/valid', 'ints'. */
function typeText(a: ArgSpec): string {
  if (a.type === 'size') {
    const tuple = (a.arity ?? 2) === 2 ? ' or [h, w]' : (a.arity ?? 2) === 4 ? ' or [left, right, top, bottom]' : '';
    return `int${tuple}${a.keywords ? ` or ${a.keywords.join('/')}` : ''}`;
  }
  return a.type === 'ints' ? 'int or [d1, d2, …]' : a.type;
}

function argRange(a: ArgSpec): string {
  const parts: string[] = [typeText(a)];
  if (a.min !== undefined && a.max !== undefined) parts.push(`${a.min}…${a.max}`);
  else if (a.min !== undefined) parts.push(`≥ ${a.min}`);
  if (a.default !== undefined) parts.push(`default ${fmtArg(a.default)}`);
  if (a.required) parts.push('required');
  return parts.join(', ');
}

function ArgField({
  node,
  spec,
  arg,
  edit,
}: {
  node: LayerNode;
  spec: NonNullable<ReturnType<typeof layerSpec>>;
  arg: ArgSpec;
  edit: (op: EditOp) => void;
}) {
  const value = resolvedArgs(spec, node.args)[arg.name];
  const [draft, setDraft] = useState<string | null>(null);
  const parsed = draft !== null ? parseArgText(arg, draft) : null;
  const problem = parsed !== null && 'problem' in parsed ? parsed.problem : null;
  const invalid = problem !== null;
  return (
    <label className="nnb-field">
      <span className="nnb-field-name" title={arg.doc}>
        {arg.name} <small>{argRange(arg)}</small>
      </span>
      {arg.type === 'bool' ? (
        <Checkbox
          checked={value === true}
          label={arg.doc}
          onChange={(v) => edit({ kind: 'setArgs', id: node.id, args: { [arg.name]: v } })}
          testId={`arg-${arg.name}`}
        />
      ) : arg.type === 'enum' ? (
        <Select
          value={String(value ?? '')}
          options={(arg.options ?? []).map((o) => ({ value: o, label: o }))}
          onChange={(v) => edit({ kind: 'setArgs', id: node.id, args: { [arg.name]: v } })}
        />
      ) : (
        <TextField
          value={value === undefined ? '' : fmtArg(value)}
          invalid={invalid}
          label={arg.name}
          testId={`arg-${arg.name}`}
          onInput={setDraft}
          onCommit={(text) => {
            const r = parseArgText(arg, text);
            setDraft(null);
            if ('value' in r && fmtArg(r.value ?? undefined) !== fmtArg(value)) edit({ kind: 'setArgs', id: node.id, args: { [arg.name]: r.value } });
          }}
        />
      )}
      {invalid && <span className="nnb-field-error">{problem}</span>}
    </label>
  );
}

function InitField({ node, param, edit }: { node: LayerNode; param: string; edit: (op: EditOp) => void }) {
  const init: InitSpec = node.init?.[param] ?? { kind: 'default' };
  const set = (next: InitSpec) => edit({ kind: 'setInit', id: node.id, param, init: next });
  const num = (key: string, v: number | undefined, fallback: number) => (
    <TextField
      key={key}
      value={String(v ?? fallback)}
      label={`${param} ${key}`}
      onCommit={(t) => {
        const n = Number(t);
        if (Number.isFinite(n)) set({ ...init, [key]: n } as InitSpec);
      }}
    />
  );
  const withDefaults = (kind: InitSpec['kind']): InitSpec =>
    kind === 'constant'
      ? { kind, value: 0 }
      : kind === 'normal'
        ? { kind, mean: 0, std: 0.01 }
        : kind === 'uniform'
          ? { kind, low: -0.1, high: 0.1 }
          : ({ kind } as InitSpec);
  return (
    <div className="nnb-init">
      <span className="nnb-field-name">init {param}</span>
      <Select
        value={init.kind}
        options={INIT_KINDS.map((k) => ({ value: k, label: k }))}
        onChange={(k) => set(withDefaults(k as InitSpec['kind']))}
        label={`init of ${param}`}
      />
      {init.kind === 'constant' && num('value', init.value, 0)}
      {init.kind === 'normal' && [num('mean', init.mean, 0), num('std', init.std, 0.01)]}
      {init.kind === 'uniform' && [num('low', init.low, -0.1), num('high', init.high, 0.1)]}
    </div>
  );
}

function NameField({ doc, node, edit }: { doc: ModelDocument; node: ModelNode; edit: (op: EditOp) => void }) {
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <label className="nnb-field">
      <span className="nnb-field-name">
        name <small>state-dict key; empty uses {locate(doc, node.id)?.parent?.op === 'Graph' ? 'the id' : 'the position'}</small>
      </span>
      <TextField
        value={node.name ?? ''}
        placeholder={node.id}
        invalid={problem !== null}
        label="name"
        testId="inspector-name"
        onInput={(v) => setProblem(nameProblem(doc, node.id, v.trim()))}
        onCommit={(v) => {
          const p = nameProblem(doc, node.id, v.trim());
          setProblem(p);
          if (p === null && v.trim() !== (node.name ?? '')) edit({ kind: 'rename', id: node.id, name: v });
        }}
      />
      {problem && (
        <span className="nnb-field-error" data-testid="name-error">
          {problem}
        </span>
      )}
    </label>
  );
}

function ModelSummary({ doc, analysis, edit }: { doc: ModelDocument; analysis: Analysis; edit: (op: EditOp) => void }) {
  return (
    <div className="nnb-inspector" data-testid="inspector">
      <h2>{doc.name}</h2>
      {doc.description && <p className="nnb-doc">{doc.description}</p>}
      <label className="nnb-field">
        <span className="nnb-field-name">
          input shape <small>features per sample, without the batch</small>
        </span>
        <TextField
          value={doc.input.shape.join(', ')}
          label="input shape"
          onCommit={(t) => {
            const shape = t
              .split(/[\s,x×]+/)
              .filter(Boolean)
              .map(Number);
            if (shape.join(',') !== doc.input.shape.join(',')) edit({ kind: 'setInputShape', shape });
          }}
        />
      </label>
      <dl className="nnb-facts">
        <dt>output</dt>
        <dd>{fmtShape(analysis.outputShape)}</dd>
        <dt>parameters</dt>
        <dd data-testid="total-params">{analysis.totalParams.toLocaleString('en-US')}</dd>
        <dt>blocks</dt>
        <dd>{Object.keys(doc.blocks ?? {}).join(', ') || 'none'}</dd>
      </dl>
      <p className="nnb-hint">Select a node to edit it. Drag layers from the palette; right-click for grouping, blocks and shared weights.</p>
    </div>
  );
}

export const Inspector = memo(function Inspector({ doc, analysis, selected, edit, openBlock }: Props) {
  if (selected.length !== 1) {
    if (selected.length > 1)
      return (
        <div className="nnb-inspector">
          <h2>{selected.length} nodes selected</h2>
          <p className="nnb-hint">Ctrl+G groups them as a Sequential; Delete removes them.</p>
        </div>
      );
    return <ModelSummary doc={doc} analysis={analysis} edit={edit} />;
  }
  const loc = locate(doc, selected[0]);
  if (loc === undefined) return <ModelSummary doc={doc} analysis={analysis} edit={edit} />;
  const node = loc.node;
  const layer = isLayer(node) ? node : null;
  const spec = layer ? layerSpec(layer.op) : undefined;
  const args = spec && layer ? resolvedArgs(spec, layer.args) : {};
  const params = spec ? spec.params(args) : [];
  const inputs = Object.entries(analysis.edgeShapes)
    .filter(([k]) => k.endsWith(`->${node.id}`))
    .map(([, s]) => s);
  return (
    <div className="nnb-inspector" data-testid="inspector">
      <h2>
        <span className="nnb-op">{node.op}</span> {node.name ?? node.id}
      </h2>
      <p className="nnb-doc">
        {spec?.doc ?? (isBlock(node) ? `Instance of block '${node.block}'.` : isShared(node) ? `Uses the weights of ${node.ref}.` : '')}
      </p>
      {spec?.shapeRule && (
        <p className="nnb-doc" data-testid="inspector-shape-rule">
          Shape: {spec.shapeRule}
        </p>
      )}
      <dl className="nnb-facts">
        <dt>id</dt>
        <dd>{node.id}</dd>
        <dt>input</dt>
        <dd>{inputs.length ? inputs.map(fmtShape).join(', ') : '?'}</dd>
        <dt>output</dt>
        <dd data-testid="inspector-output">{fmtShape(analysis.nodeShapes[node.id])}</dd>
        <dt>parameters</dt>
        <dd>{fmtCount(analysis.params[node.id] ?? 0)}</dd>
      </dl>
      {!(spec?.merge ?? false) && <NameField doc={doc} node={node} edit={edit} />}
      {spec && layer && spec.args.map((a) => <ArgField key={`${node.id}:${a.name}`} node={layer} spec={spec} arg={a} edit={edit} />)}
      {layer && params.length > 0 && (
        <>
          <h3>Parameters</h3>
          <ul className="nnb-param-list">
            {params.map(([p, shape]) => (
              <li key={p}>
                <code>{p}</code> {fmtShape(shape)}
              </li>
            ))}
          </ul>
          {params.map(([p]) => (
            <InitField key={`${node.id}:${p}`} node={layer} param={p} edit={edit} />
          ))}
        </>
      )}
      <div className="nnb-actions">
        {node.op === 'Shared' && (
          <Button onClick={() => edit({ kind: 'untie', id: node.id })} testId="untie">
            Untie
          </Button>
        )}
        {isBlock(node) && <Button onClick={() => openBlock(node.block)}>Edit definition</Button>}
        {node.op === 'Sequential' && (
          <Button secondary onClick={() => edit({ kind: 'ungroup', id: node.id })}>
            Ungroup
          </Button>
        )}
        {loc.parent?.op === 'Sequential' && (
          <>
            <Button secondary title="Move up (Alt+Up)" onClick={() => edit({ kind: 'reorder', id: node.id, delta: -1 })}>
              Move up
            </Button>
            <Button secondary title="Move down (Alt+Down)" onClick={() => edit({ kind: 'reorder', id: node.id, delta: 1 })}>
              Move down
            </Button>
          </>
        )}
      </div>
    </div>
  );
});
