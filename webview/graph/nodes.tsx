/**
 * The node components of the canvas: a compact layer card (type, name, key arguments, output shape,
 * parameter count, error and tie markers), an expanded group frame, and the input/output ports.
 * Memoised on their data: dragging one node re-renders that node only.
 */
import { memo } from 'react';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { layerSpec } from '../../engine/graph/catalogue';
import { stats } from '../stats';
import { useCanvasActions } from './actions';
import { fmtCount, fmtShape, type NodeView } from './model';
import type { FlowNodeT } from './toFlow';

type Props = NodeProps<FlowNodeT>;

export function categoryOf(op: string): string {
  if (op === 'Sequential' || op === 'Graph') return 'container';
  if (op === 'Block' || op === 'Shared') return 'block';
  return layerSpec(op)?.category ?? 'unknown';
}

function Badges({ view }: { view: NodeView }) {
  const errors = view.errors.length + (view.hiddenErrors ?? 0);
  return (
    <span className="nnb-badges">
      {errors > 0 && (
        <span
          className="nnb-badge nnb-badge-error"
          title={view.errors.join('\n') || `${errors} error(s) inside this group`}
          data-testid="error-badge"
        >
          {errors}
        </span>
      )}
      {view.warnings.length > 0 && (
        <span className="nnb-badge nnb-badge-warning" title={view.warnings.join('\n')}>
          !
        </span>
      )}
    </span>
  );
}

function TieMarker({ view }: { view: NodeView }) {
  if (view.tiedTo === undefined && view.tiedCount === 0) return null;
  const text =
    view.tiedTo !== undefined
      ? `shares weights with ${view.tiedTo}`
      : `weights shared with ${view.tiedCount} other node${view.tiedCount > 1 ? 's' : ''}`;
  return (
    <span className="nnb-tie" title={text} aria-label={text}>
      <svg width="12" height="12" viewBox="0 0 16 16" aria-hidden="true">
        <path
          fill="currentColor"
          d="M6.9 4.5l1.6-1.6a3 3 0 014.2 4.2l-1.6 1.6-1-1 1.6-1.6a1.6 1.6 0 00-2.2-2.2L7.9 5.5zM9.1 11.5l-1.6 1.6a3 3 0 01-4.2-4.2l1.6-1.6 1 1-1.6 1.6a1.6 1.6 0 002.2 2.2l1.6-1.6zM5.6 9.4l3.8-3.8 1 1-3.8 3.8z"
        />
      </svg>
    </span>
  );
}

const tieGroup = (v: NodeView) => v.tiedTo ?? (v.tiedCount > 0 ? v.modelId : undefined);

function Handles({ view }: { view: NodeView }) {
  const connectable = view.graph !== undefined;
  return (
    <>
      <Handle type="target" position={Position.Top} id="in" isConnectable={connectable} className={connectable ? '' : 'nnb-handle-fixed'} />
      <Handle type="source" position={Position.Bottom} id="out" isConnectable={connectable} className={connectable ? '' : 'nnb-handle-fixed'} />
      <Handle type="target" position={Position.Right} id="tie-in" isConnectable={false} className="nnb-handle-tie" />
      <Handle type="source" position={Position.Right} id="tie-out" isConnectable={false} className="nnb-handle-tie" />
    </>
  );
}

export const LayerNodeView = memo(function LayerNodeView({ data, selected }: Props) {
  stats.nodeRenders++;
  const actions = useCanvasActions();
  const tie = tieGroup(data);
  const container = data.op === 'Sequential' || data.op === 'Graph';
  return (
    <div
      className={`nnb-node nnb-cat-${categoryOf(data.op)}${selected ? ' selected' : ''}${data.errors.length ? ' has-error' : ''}`}
      data-testid={`node-${data.modelId}`}
      data-tie={tie}
      onMouseEnter={tie ? () => actions.hoverTie(tie) : undefined}
      onMouseLeave={tie ? () => actions.hoverTie(null) : undefined}
      onDoubleClick={
        data.op === 'Block'
          ? () => actions.openBlock(data.summary.replace(/^block /, ''))
          : container
            ? () => actions.toggleCollapse(data.modelId)
            : undefined
      }
    >
      <Handles view={data} />
      <div className="nnb-node-head">
        {container && (
          <button className="nnb-twisty" title="Expand" aria-label="Expand group" onClick={() => actions.toggleCollapse(data.modelId)}>
            ▸
          </button>
        )}
        <span className="nnb-op">{data.op}</span>
        <span className="nnb-title">{data.title}</span>
        <TieMarker view={data} />
        <Badges view={data} />
      </div>
      <div className="nnb-node-body">
        <span className="nnb-summary">{container ? `${fmtShape(data.inShape)} → ${fmtShape(data.outShape)}` : data.summary}</span>
      </div>
      <div className="nnb-node-foot">
        <span className="nnb-shape" title={container ? undefined : 'output shape (N = batch)'}>
          {container ? data.summary : fmtShape(data.outShape)}
        </span>
        {data.params > 0 && (
          <span className="nnb-params" title={`${data.params.toLocaleString('en-US')} parameters`}>
            {fmtCount(data.params)} params
          </span>
        )}
      </div>
    </div>
  );
});

export const GroupNodeView = memo(function GroupNodeView({ data, selected }: Props) {
  const actions = useCanvasActions();
  return (
    <div
      className={`nnb-group nnb-group-${data.op.toLowerCase()}${selected ? ' selected' : ''}${data.errors.length ? ' has-error' : ''}`}
      data-testid={`group-${data.modelId}`}
    >
      <Handles view={data} />
      <div className="nnb-group-head">
        <button className="nnb-twisty" title="Collapse" aria-label="Collapse group" onClick={() => actions.toggleCollapse(data.modelId)}>
          ▾
        </button>
        <span className="nnb-op">{data.op}</span>
        <span className="nnb-title">{data.title}</span>
        <span className="nnb-shape">
          {fmtShape(data.inShape)} → {fmtShape(data.outShape)}
        </span>
        {data.params > 0 && <span className="nnb-params">{fmtCount(data.params)} params</span>}
        <Badges view={data} />
      </div>
    </div>
  );
});

export const PortNodeView = memo(function PortNodeView({ data }: Props) {
  return (
    <div className={`nnb-port nnb-port-${data.port}`} data-testid={`port-${data.port}-${data.title}`}>
      {data.port === 'output' && <Handle type="target" position={Position.Top} id="in" isConnectable={data.graph !== undefined} />}
      <span className="nnb-port-name">{data.title}</span>
      <span className="nnb-shape">{fmtShape(data.outShape)}</span>
      {data.port === 'input' && <Handle type="source" position={Position.Bottom} id="out" isConnectable={data.graph !== undefined} />}
    </div>
  );
});

export const nodeTypes = { layer: LayerNodeView, group: GroupNodeView, port: PortNodeView };
